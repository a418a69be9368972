/// What keeps the world busy: the most common kind of work still waiting, for the line a
/// long command shows on a terminal, so a learner can see what the world is doing while
/// it takes so long.
extension World {
    /// The largest group of waiting work, such as `2188 order.created for inventory` (that
    /// many deliveries on their way), or nil when nothing is waiting. Publisher polls do
    /// not count; rows a running, connected publisher has still to send do. Costs one pass
    /// over the agenda.
    public var busiestWork: String? { busiest.map { $0.work.text($0.count) } }

    /// The largest group of waiting work and its size; of two as large, the one whose
    /// words come first, so the answer does not depend on the order of the agenda.
    var busiest: (work: WaitingWork, count: Int)? {
        var counts: [WaitingWork: Int] = [:]
        func add(_ work: WaitingWork, _ n: Int = 1) { counts[work, default: 0] += n }
        agenda.forEachUnordered { item in
            switch item.action {
            case .deliver(let delivery): add(.delivery(delivery.event.type, delivery.target))
            case .call(let call): add(.call(call.task))
            case .reply(let reply): add(.result(reply.call.task))
            case .timer(let timer): add(.timer(timer.kind.name))
            case .stage(let run): add(.handling(run.service))
            case .poll, .report: break
            }
        }
        for service in ServiceName.allCases where !node(service).queue.isEmpty {
            add(.queued(service), node(service).queue.count)
        }
        for service in ServiceName.publishers where node(service).publisherReachable {
            let rows = node(service).outbox.unpublished.count
            if rows > 0 { add(.outbox(service), rows) }
        }
        let ranked = counts.map { (work: $0.key, count: $0.value, text: $0.key.text($0.value)) }
        guard let top = ranked.min(by: { ($1.count, $0.text) < ($0.count, $1.text) }) else { return nil }
        return (top.work, top.count)
    }
}

/// One kind of work waiting in the world, as `busiestWork` groups it.
enum WaitingWork: Hashable {
    case delivery(EventType, ServiceName)
    case call(SagaTask)
    case result(SagaTask)
    case timer(String)
    case outbox(ServiceName)
    case handling(ServiceName)
    case queued(ServiceName)

    /// `n` of this kind in a few words: `3 order.created for inventory`, or without the
    /// service when `short`: `3 order.created`.
    func text(_ n: Int, short: Bool = false) -> String {
        let s = n == 1 ? "" : "s"
        switch self {
        case .delivery(let type, let target): return "\(n) \(type.rawValue)" + (short ? "" : " for \(target.rawValue)")
        case .call(let task): return "\(n) \(task.rawValue) call\(s)"
        case .result(let task): return "\(n) \(task.rawValue) result\(s)"
        case .timer(let name): return "\(n) saga \(name) timer\(s)"
        case .outbox(let service): return "\(n) outbox row\(s)" + (short ? "" : " at \(service.rawValue)")
        case .handling(let service): return "\(n) deliver\(n == 1 ? "y" : "ies") in progress" + (short ? "" : " at \(service.rawValue)")
        case .queued(let service): return "\(n) queued deliver\(n == 1 ? "y" : "ies")" + (short ? "" : " at \(service.rawValue)")
        }
    }
}

extension SagaTimer.Kind {
    /// The timer's kind in one word, for `busiestWork`.
    var name: String {
        switch self {
        case .start: return "start"
        case .timeout: return "timeout"
        case .retry: return "retry"
        case .deadline: return "deadline"
        }
    }
}
