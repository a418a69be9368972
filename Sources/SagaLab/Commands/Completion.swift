/// TAB completion: the words that could come next, taken from the command catalogue and
/// from the live world (services, crash points, event ids, order ids, products).
public enum Completion {
    /// Candidates for the word being typed at the end of `line` (full words, not suffixes).
    /// `extra` supplies words the host knows and the world does not (lesson numbers, chapters).
    public static func candidates(_ line: String, world: World, extra: [String: [String]] = [:]) -> [String] {
        let endsWithSpace = line.last?.isWhitespace ?? true
        var words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        let partial = endsWithSpace ? "" : (words.popLast() ?? "")
        let options: [String]
        if words.isEmpty {
            options = CommandCatalog.names
        } else {
            options = arguments(words[0].lowercased(), Array(words.dropFirst()), world, extra)
        }
        let lower = partial.lowercased()
        var seen: Set<String> = []
        return options.filter { $0.hasPrefix(lower) && seen.insert($0).inserted }
    }

    /// The order TAB lists candidates in: numbers first and by value (1, 2, ... 10), then
    /// words alphabetically.
    public static func listedBefore(_ a: String, _ b: String) -> Bool {
        switch (Int(a), Int(b)) {
        case let (x?, y?): return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a < b
        }
    }

    static func arguments(_ command: String, _ args: [String], _ w: World, _ extra: [String: [String]]) -> [String] {
        let services = ServiceName.allCases.map(\.rawValue)
        let publishers = ServiceName.publishers.map(\.rawValue)
        let publisherProcesses = w.publishers == .ownProcess ? ServiceName.publishers.map(\.publisherName) : []
        let types = EventType.allCases.map(\.rawValue)
        let orders = w.orders.orders.map(\.id.description)
        let position = args.count
        switch command {
        case "help": return position == 0 ? CommandCatalog.names : []
        case "order":
            if position == 0 { return w.orders.orders.map(\.customer) + ["alice", "bob", "carol"] }
            return w.catalog.ids.flatMap { [$0, "\($0)x2"] } + orderKeyWords(args, w)
        case "crash":
            switch position {
            case 0: return services + publisherProcesses
            case 1: return ["at"]
            case 2:
                if ServiceName(publisherName: args[0]) != nil { return [CrashPoint.afterPublish.rawValue] }
                return CrashPoint.allCases.filter { p in
                    ServiceName(rawValue: args[0].lowercased()).map { p.services.contains($0) } ?? true
                }.map(\.rawValue)
            default: return []
            }
        case "restart":
            guard position == 0 else { return [] }
            return ServiceName.allCases.filter { !w.node($0).isUp }.map(\.rawValue)
                + ServiceName.publishers.filter { w.publishers == .ownProcess && !w.node($0).publisherUp }.map(\.publisherName)
        case "publishers": return position == 0 ? PublisherDeployment.allCases.map(\.rawValue) : []
        case "partition": return position == 0 ? services : []
        case "publish": return position == 0 ? publishers : []
        case "duplicate", "drop", "delay":
            let offset = command == "delay" ? 1 : 0
            if command == "delay" && position == 0 { return ["500ms", "30s", "2m"] }
            if position == offset { return ["next"] + w.knownEventIds.map(\.description) }
            if position == offset + 1 && args[offset].lowercased() == "next" { return types }
            return []
        case "fail":
            if position == 0 { return services }
            if position == 1 {
                let business = FailingService(rawValue: args[0].lowercased()) != nil
                return (business ? ["next", "off", "30%", "20%"] : []) + ["error"]
            }
            return position == 2 && args[1].lowercased() == "error" ? ["next", "always", "off", "30%"] : []
        case "inject":
            if position == 0 { return CommandParser.injectKinds }
            return position == 1 ? types : []
        case "retry":
            if position == 0 { return CommandParser.retryTargets }
            let target = args[0].lowercased()
            guard CommandParser.retryTargets.contains(target) else { return [] }
            let used = Set(args.dropFirst().compactMap { $0.split(separator: "=").first.map { $0.lowercased() } })
            let examples = ["immediate": ["0", "1", "3", "5"], "delayed": ["0", "1", "3"], "delay": ["1s", "5s", "10s", "30s"],
                            "interval": ["500ms", "1s", "2s"], "attempts": ["0", "1", "3", "5"], "backoff": ["1.0", "1.5", "2.0"],
                            "max-delay": ["2s", "10s", "none"], "jitter": ["full", "none"]]
            let keys = target == "consumers" ? CommandParser.consumerRetryKeys : CommandParser.stepRetryKeys
            return keys.filter { !used.contains($0) }.flatMap { key in
                (examples[key] ?? []).map { "\(key)=\($0)" }
            }
        case "redrive":
            if position == 0 {
                let holding = ServiceName.allCases.filter { !w.node($0).deadLetters.isEmpty }.map(\.rawValue)
                return holding.isEmpty ? services : holding
            }
            guard position == 1, let service = ServiceName(rawValue: args[0].lowercased()) else { return [] }
            return w.node(service).deadLetters.map(\.id.description)
        case "stock": return position == 0 ? w.catalog.ids : []
        case "product":
            if position == 0 { return w.catalog.ids }
            return position == 1 ? ["9.99", "1299.99"] : []
        case "pattern":
            switch position {
            case 0: return CommandParser.patternNames
            case 1:
                switch args[0].lowercased() {
                case "idempotency": return IdempotencyMode.allCases.map(\.rawValue)
                case "all": return ["on"]
                default: return ["on", "off"]
                }
            case 2:
                switch args[0].lowercased() {
                case "outbox": return publishers
                case "idempotency": return services
                default: return []
                }
            default: return []
            }
        case "flow": return position == 0 ? Flow.allCases.map(\.rawValue) : []
        case "mode": return position == 0 ? SagaMode.allCases.map(\.rawValue) : []
        case "design": return position == 0 ? Design.allCases.map(\.rawValue) : []
        case "rollback": return position == 0 ? Rollback.allCases.map(\.rawValue) : []
        case "slow":
            if position == 0 { return ["inventory", "payment", "rewards"] }
            return position == 1 ? ["10s", "6s", "off"] : []
        case "compare": return position == 0 ? ["5", "10", "20"] : []
        case "pick": return position == 0 ? w.pending.indices.map { "\($0 + 1)" } : []
        case "explore":
            if position == 0 { return ["random", "save", "depth=", "states=", "faults=0", "faults=1", "faults=2", "beyond-promise"] }
            if args[0].lowercased() == "save" { return [] }
            if args[0].lowercased() == "random" && position == 1 { return ["100", "500"] }
            return ["depth=", "states=", "faults=0", "faults=1", "faults=2", "beyond-promise"]
        case "export": return exportArguments(args, orders: orders)
        case "subscribe", "unsubscribe":
            if position == 0 { return services }
            if position == 1 {
                guard let service = ServiceName(rawValue: args[0].lowercased()) else { return types }
                if command == "unsubscribe" { return w.rules.filter { $0.target == service }.compactMap { $0.eventType?.rawValue } }
                return EventType.allCases.filter { Handler.of(service, for: $0) != nil }.map(\.rawValue)
            }
            return []
        case "set":
            if position == 0 { return Settings.names.map(\.name) + ["concurrency"] }
            guard args[0].lowercased() == "concurrency" else { return [] }
            if position == 1 { return services }
            return position == 2 ? ["1", "2", "4", "16"] : []
        case "recipe":
            if position == 0 { return services }
            guard let service = ServiceName(rawValue: args[0].lowercased()) else { return [] }
            let handled = EventType.allCases.filter { Handler.of(service, for: $0) != nil }.map(\.rawValue)
            let names = IdempotencyMode.allCases.map(\.rawValue)
            let steps = Recipe.Step.allCases.map(\.rawValue)
            if position == 1 { return handled + names + steps }
            let typed = EventType(rawValue: args[1].lowercased()) != nil
            return (position == 2 && typed ? names : []) + steps
        case "show":
            if position == 0 { return ShowTopic.names }
            guard position == 1 else { return [] }
            switch args[0].lowercased() {
            case "order": return orders
            case "saga": return w.orders.sagas.map(\.sagaId.description) + orders
            case "outbox": return publishers
            case "processed", "dlq", "recipe": return services
            case "sagas": return ["stuck", "compensating"]
            case "event-store": return orders + services + types
            case "execution": return w.orders.executions.map(\.orderId.description) + w.orders.executions.map(\.id.description)
            default: return []
            }
        case "trace", "log":
            // After `from` or `to` comes a time, which nothing completes.
            if let previous = args.last, ["from", "to"].contains(previous.lowercased()) { return [] }
            return orders + ServiceName.allCases.map(\.rawValue) + ServiceName.allCases.map { "-" + $0.rawValue } + ["quiet", "from", "to"]
        case "rebuild": return position == 0 ? World.projections.map(\.rawValue) : []
        case "history": return position == 0 ? ["all"] : []
        case "restarts": return position == 0 ? ["auto", "manual"] : []
        case "switch", "goto": return position == 0 ? extra[command] ?? [] : []
        case "compensate":
            return position == 0 ? w.orders.orders.filter { $0.status == .pending }.map(\.id.description) : []
        case "run": return position == 0 ? ["quiet"] : []
        case "advance": return position == 0 ? ["30s", "1m", "5m", "8d"] : []
        case "chapter":
            if position == 0 { return extra["chapter"] ?? [] }
            return position == 1 && Int(args[0]) != nil ? ["run"] : []
        case "lesson": return position == 0 ? (extra["lesson"] ?? []) + ["stop"] : []
        default: return []
        }
    }
}
