import SagaKernel

/// What `trace` and `log` show: one order, some services (or all but some), a stretch of
/// virtual time. The parts combine; each left out lets everything through.
public struct TraceFilter: Hashable, Sendable {
    /// The order as typed (`ord-3`); nil for every order.
    public var order: String?
    /// Only these services' lanes; empty for all of them.
    public var services: [ServiceName]
    /// Lanes hidden (`-analytics`, or `quiet` for analytics and rewards).
    public var hidden: [ServiceName]
    /// From this time on (inclusive).
    public var from: Millis?
    /// Up to this time (inclusive).
    public var to: Millis?

    public init(order: String? = nil, services: [ServiceName] = [], hidden: [ServiceName] = [],
                from: Millis? = nil, to: Millis? = nil) {
        self.order = order
        self.services = services
        self.hidden = hidden
        self.from = from
        self.to = to
    }

    /// The lanes left to show, in the lab's order.
    public var lanes: [ServiceName] {
        ServiceName.allCases.filter { (services.isEmpty || services.contains($0)) && !hidden.contains($0) }
    }

    /// True when only the order (or nothing) narrows the trace: the old `trace [ORDER]`.
    public var isOrderOnly: Bool { services.isEmpty && hidden.isEmpty && from == nil && to == nil }

    /// The entries of `trace` that are shown: those `admits` lets through and, for an
    /// order, the request that created it, logged before the order had its id. For an
    /// order, each entry's order is read first and only the entries of that order (or of
    /// none) are read whole: a million orders' trace is mostly packed bytes.
    public func entries(of trace: TraceLog) -> [TraceEntry] {
        let lanes = self.lanes
        guard let order else { return trace.filter { admits($0, id: nil, lanes: lanes) } }
        guard let id = OrderId(parsing: order) else { return [] }
        var shown: [TraceEntry] = []
        trace.forEachOrderId { index, entryOrder in
            switch entryOrder {
            case id:
                let entry = trace[index]
                if admits(entry, id: id, lanes: lanes) { shown.append(entry) }
            case nil:
                if admitsRequest(at: index, of: id, lanes: lanes, in: trace) { shown.append(trace[index]) }
            default:
                break
            }
        }
        return shown
    }

    /// Whether the entry at `index` is the `POST /orders` that created order `id`: the
    /// orders service's next answer to a request, before any other request, says so.
    static func isRequest(at index: Int, creating id: OrderId, in trace: TraceLog) -> Bool {
        guard case .api(.request) = trace[index].what, trace[index].orderId == nil else { return false }
        for next in (index + 1)..<trace.endIndex {
            guard case .api(let answer) = trace[next].what, trace[next].service == .orders else { continue }
            switch answer {
            case .created(let order, _, _, _): return order == id
            case .request: return false
            default: continue
            }
        }
        return false
    }

    private func admitsRequest(at index: Int, of id: OrderId, lanes: [ServiceName], in trace: TraceLog) -> Bool {
        let entry = trace[index]
        if let from, entry.time < from { return false }
        if let to, entry.time > to { return false }
        guard lanes.contains(.orders) else { return false }
        return TraceFilter.isRequest(at: index, creating: id, in: trace)
    }

    /// Whether `entry` is shown. An entry of no service (the lab, the bus) is shown unless
    /// services were picked; a broken invariant is always shown, for it concerns them all.
    public func admits(_ entry: TraceEntry) -> Bool {
        guard let order else { return admits(entry, id: nil, lanes: lanes) }
        guard let id = OrderId(parsing: order) else { return false }
        return admits(entry, id: id, lanes: lanes)
    }

    /// `admits`, with the order already read from its text and the lanes listed.
    private func admits(_ entry: TraceEntry, id: OrderId?, lanes: [ServiceName]) -> Bool {
        if let from, entry.time < from { return false }
        if let to, entry.time > to { return false }
        if let id, entry.orderId != id { return false }
        if let service = entry.service { return lanes.contains(service) }
        return entry.kind == .invariant || services.isEmpty
    }

    /// The filter in words, for the line saying that nothing matched: `for ord-3 in
    /// inventory from 01:00.000 to 02:00.000`.
    public var summary: String {
        var parts: [String] = []
        if let order { parts.append("for \(order)") }
        if !services.isEmpty { parts.append("in " + lanes.map(\.rawValue).joined(separator: ", ")) }
        else if !hidden.isEmpty { parts.append("without " + ServiceName.allCases.filter(hidden.contains).map(\.rawValue).joined(separator: ", ")) }
        if let from { parts.append("from \(VirtualTime.stamp(from))") }
        if let to { parts.append("to \(VirtualTime.stamp(to))") }
        return parts.joined(separator: " ")
    }

    /// The one line for an empty result.
    func nothing(_ verb: String, traceIsEmpty: Bool) -> String {
        if traceIsEmpty { return "nothing has happened yet" }
        if order == nil && isOrderOnly { return "nothing has happened yet" }
        return "nothing \(verb) \(summary)"
    }
}
