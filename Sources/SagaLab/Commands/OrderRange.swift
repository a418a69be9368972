import SagaKernel

/// `order user-1..1000 ITEM...`: one request per customer in the range, each answered as
/// `order` would answer it, summed up in a few lines instead of a few thousand. The
/// requests' trace lines stay in the trace (`log`, `trace`); only the tally is shown.
extension Session {
    /// Requests sent between two questions to the watch, so Ctrl-C stops a long range.
    static let ordersBetweenChecks = 4096

    func placeOrders(_ range: CustomerRange, items: [OrderItem], in world: inout World, watch: CommandWatch) throws -> String {
        var created: (first: OrderId, last: OrderId, count: Int, total: Int)?
        var unanswered: [OrderId] = []
        var failures: [(answer: String, count: Int)] = []
        var sent = 0
        var outgrew: MemoryCeiling.Excess?
        let orders = range.last - range.first + 1
        if watch.memory?.allowsReserving(World.roomBytes(forOrders: orders)) ?? true {
            world.makeRoom(forOrders: orders)
            world.makeRoom(forCustomers: range.prefix, numbers: range.first...range.last)
        }
        for n in range.first...range.last {
            if sent % Session.ordersBetweenChecks == 0, sent > 0 {
                if watch.shouldStop() { break }
                outgrew = watch.memory?.check()
                if outgrew != nil { break }
            }
            sent += 1
            switch world.placeOrder(customer: range.name(n), items: items) {
            case .created(let id, let total):
                created = created.map { ($0.first, id, $0.count + 1, total) } ?? (id, id, 1, total)
            case .noResponse(let id):
                unanswered.append(id)
            case .failed(let status, let reason), .refused(let status, let reason):
                let answer = "\(status): \(reason)"
                if let index = failures.firstIndex(where: { $0.answer == answer }) {
                    failures[index].count += 1
                } else {
                    failures.append((answer, 1))
                }
            case .replayed:
                break
            }
        }
        var lines: [String] = []
        if let created {
            let ids = created.count == 1 ? "\(created.first)" : "\(created.first) to \(created.last)"
            lines.append(style.paint("201 Created: \(Session.count(created.count, "order")) (\(ids)), "
                + "each PENDING (\(money(created.total)))", .green))
        }
        if !unanswered.isEmpty {
            let saved = unanswered.map(\.description).joined(separator: ", ")
            lines.append(style.paint("no response to \(Session.count(unanswered.count, "request")): "
                + "the connection dropped (yet \(saved) \(unanswered.count == 1 ? "was" : "were") saved)", .red))
        }
        for failure in failures {
            lines.append(style.paint("\(failure.answer) (\(Session.count(failure.count, "request")))", .red))
        }
        if sent < range.count {
            let stop = outgrew.map { Session.outgrewText($0, after: "\(sent) of \(range.count) requests") }
                ?? "interrupted after \(sent) of \(range.count) requests"
            lines.append(style.paint(stop + "; the rest were not sent", .yellow))
            throw Interrupted(steps: 0, text: lines.map { TextWrap.wrap($0, width: style.proseWidth, hanging: "  ") }.joined(separator: "\n"),
                              recorded: "order \(CustomerRange(prefix: range.prefix, first: range.first, last: range.first + sent - 1)) "
                                + items.map(\.description).joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// `1 order`, `20000 orders`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
