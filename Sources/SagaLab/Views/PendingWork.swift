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
        var tally = WorkTally()
        agenda.forEachUnordered { item in
            switch item.action {
            case .deliver(let delivery): tally.add(.delivery(delivery.event.type, delivery.target))
            case .call(let call): tally.add(.call(call.task))
            case .reply(let reply): tally.add(.result(reply.call.task))
            case .timer(let timer): tally.add(.timer(timer.kind.name))
            case .stage(let run): tally.add(.handling(run.service))
            case .poll, .report: break
            }
        }
        for service in ServiceName.allCases where !node(service).queue.isEmpty {
            tally.add(.queued(service), node(service).queue.count)
        }
        for service in ServiceName.publishers where node(service).publisherReachable {
            let rows = node(service).outbox.unpublished.count
            if rows > 0 { tally.add(.outbox(service), rows) }
        }
        let ranked = tally.kinds.map { (work: $0.work, count: $0.count, text: $0.work.text($0.count)) }
        guard let top = ranked.min(by: { ($1.count, $0.text) < ($0.count, $1.text) }) else { return nil }
        return (top.work, top.count)
    }
}

/// How many of each kind of work wait, counted along a short list rather than in a hash
/// table: a world holds a few dozen kinds at most, and deliveries waiting come in runs of
/// one kind, so comparing with the kind counted last, then with the others, costs less
/// than hashing every item (a million deliveries waiting: 20 to 60 ms a progress line,
/// where hashing took 70 to 150).
struct WorkTally {
    private(set) var kinds: [(work: WaitingWork, count: Int)] = []
    private var last = 0

    mutating func add(_ work: WaitingWork, _ n: Int = 1) {
        if last < kinds.count && kinds[last].work == work {
            kinds[last].count += n
        } else if let index = kinds.firstIndex(where: { $0.work == work }) {
            kinds[index].count += n
            last = index
        } else {
            kinds.append((work, n))
            last = kinds.count - 1
        }
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
