/// A rebuild in words: the trace line, then what `rebuild` adds below it.
extension World.Rebuild {
    /// The trace line: how much was replayed and whether the result equals what was there.
    public var summary: String {
        let events = rows == 1 ? "1 stored event" : "\(rows) stored events"
        return "rebuilt from \(events): " + (isEqual ? "equal to what it had" : "differs from what it had")
    }

    /// What differs, one line each with the names aligned: `revenue  $20.00 -> $45.00`.
    public var changes: [String] {
        let width = differences.map { $0.name.count }.max() ?? 0
        return differences.map { $0.name + String(repeating: " ", count: width - $0.name.count + 2) + $0.change }
    }

    /// Why the replay applied or skipped a repeated event, one sentence each.
    public var notes: [String] {
        var out: [String] = []
        let name = service.rawValue
        for again in repeats {
            let applied = World.Rebuild.times(again.applied)
            let event = "\(again.type.rawValue) \(again.eventId)"
            if again.stored > 1 {
                out.append("the store holds \(event) \(World.Rebuild.times(again.stored)) and \(name) marks no processed "
                    + "events, so the replay applied it \(applied)")
            } else {
                out.append("two rules route \(event) to \(name), which marks no processed events, so the replay applied it \(applied)")
            }
        }
        if !skipped.isEmpty {
            var ids: [EventId] = []
            for id in skipped where !ids.contains(id) { ids.append(id) }
            let list = ids.map(\.description).joined(separator: ", ")
            let rows = skipped.count == 1 ? "\(list)'s second row" : "\(skipped.count) repeated rows of \(list)"
            out.append("skipped \(rows): \(name) marks each event processed, and the replay found "
                + (ids.count == 1 ? "it" : "them") + " marked")
        }
        return out
    }

    static func times(_ n: Int) -> String {
        switch n {
        case 1: return "once"
        case 2: return "twice"
        default: return "\(n) times"
        }
    }
}

extension World.Rebuild.Difference {
    /// What differs: a figure's name, `orders per minute` or a customer.
    public var name: String {
        switch self {
        case .figure(let figure, _, _): return figure.name
        case .windows: return "orders per minute"
        case .points(let customer, _, _): return customer
        }
    }

    /// How it changed, had -> rebuilt: `$20.00 -> $45.00`, `25 -> 0 points`.
    public var change: String {
        switch self {
        case .figure(let figure, let was, let now): return "\(figure.format(was)) -> \(figure.format(now))"
        case .windows(let n): return n == 1 ? "differ in 1 window" : "differ in \(n) windows"
        case .points(_, let was, let now): return "\(was) -> \(now) points"
        }
    }
}

extension World.AnalyticsFigure {
    /// Its name, as `show analytics` words it.
    public var name: String {
        switch self {
        case .orders: return "orders counted"
        case .successful: return "successful"
        case .failed: return "failed"
        case .revenue: return "revenue"
        case .eventsConsumed: return "events consumed"
        case .streamTime: return "stream time"
        case .lateDropped: return "late dropped"
        case .paymentsPassed: return "passed payment"
        case .paymentsFailed: return "failed payment"
        case .paymentRevenue: return "payments taken"
        }
    }

    func format(_ value: Int) -> String {
        switch self {
        case .revenue, .paymentRevenue: return money(value)
        case .streamTime: return VirtualTime.stamp(value)
        default: return "\(value)"
        }
    }
}
