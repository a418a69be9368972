extension LabHappening {
    var text: String {
        switch self {
        case .setting(let name, let value): return "\(name) = \(Settings.describe(name, value))"
        case .armedCrash(let point): return "armed: crash at \(point.rawValue)"
        case .armedMessageFault(let kind, let selector): return "armed: \(kind.verb) \(selector.described)"
        case .armedUntilPublished(let kind, let id): return "armed: \(kind.verb) \(id) when it is published"
        case .failures(let service, let mode): return "\(service.rawValue) failures: \(mode.description)"
        case .stockSet(let product, let quantity, let was): return "stock of \(product) set to \(quantity) (was \(was))"
        case .rollback(.pivot): return "rollback pivot: new executions only go forward after the pivot"
        case .rollback(.anyStep): return "rollback any-step: any failing step compensates new executions"
        case .design(let design): return "now \(design.name); `design` shows what it sets"
        case .restarts(let auto):
            return auto ? "restarts auto: a crashed service starts again at once, as a serverless function does"
                : "restarts manual: a crashed service stays down until `restart`"
        case .product(let product, let price, nil): return "new product \(product) at \(money(price))"
        case .product(let product, let price, let was?): return "\(product) now costs \(money(price)) (was \(money(was)))"
        case .outbox(let on, let services): return "outbox \(on ? "on" : "off") for \(Self.list(services))"
        case .idempotency(let mode, let services): return "idempotency \(mode.rawValue) for \(Self.list(services))"
        case .recipe(let service, let type, let recipe):
            return "recipe of \(service.rawValue) for \(type?.rawValue ?? "every event"): \(recipe)"
        case .concurrency(let service, let n):
            return "\(service.rawValue) works on up to \(n) deliver\(n == 1 ? "y" : "ies") at once"
        case .flow(let flow): return "flow \(flow.rawValue) for new orders; orders in flight keep theirs"
        case .ruleAdded(let type, let service, let handler):
            return "rule added: \(type.rawValue) -> \(service.rawValue) (\(handler.rawValue))"
        case .ruleRemoved(let type, let service): return "rule removed: \(type.rawValue) -> \(service.rawValue)"
        case .mode(let mode):
            let how = mode == .orchestration
                ? "the orchestrator in orders runs new orders' sagas"
                : "new orders' participants react to events on the bus"
            return "mode \(mode.rawValue): \(how)"
        case .durableTimers(let on):
            return "durable-timers " + (on ? "on: the orchestrator stores its timers with its executions"
                : "off: the orchestrator keeps its timers in memory only")
        case .slowness(let service, let extra):
            return extra == 0 ? "\(service.rawValue) answers at normal speed"
                : "\(service.rawValue) takes \(VirtualTime.duration(extra)) longer to answer the orchestrator"
        case .keyValidation(let on): return "key-validation \(on ? "on" : "off") for the orders API"
        case .rebuilt(let rebuild): return rebuild.summary
        case .fence(let on):
            return "fence " + (on ? "on: inventory and payment refuse a try after its rollback"
                : "off: a try arriving after its rollback takes effect")
        case .publishers(.inService): return "publishers in-service: each publisher runs inside its service"
        case .publishers(.ownProcess): return "publishers own-process: each publisher is a process of its own"
        }
    }

    private static func list(_ services: [ServiceName]) -> String {
        services.map(\.rawValue).joined(separator: ", ")
    }
}
