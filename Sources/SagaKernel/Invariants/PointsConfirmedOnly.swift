/// Each customer holds exactly the points their confirmed orders earn (a point per dollar).
struct PointsConfirmedOnly: Invariant {
    let id = "points-confirmed-only"
    let title = "points only for confirmed orders"

    func holds(in w: World) -> Bool {
        w.rewards.pointsOfCustomer.sameNonZero(as: w.orders.earnedPoints)
    }

    func evidence(in w: World) -> [String] { evidence(in: w, upTo: .max).lines }

    func evidence(in w: World, upTo limit: Int) -> (lines: [String], count: Int) {
        guard !holds(in: w) else { return ([], 0) }
        return report(w, ledger: w.rewards.pointsOfCustomer.entries, inLedger: { w.rewards.pointsOfCustomer.contains($0) },
                      earned: { w.orders.earnedPoints[$0] }, upTo: limit, counting: true)
    }

    func firstEvidence(in w: World) -> String? {
        holds(in: w) ? nil : report(w, ledger: w.rewards.pointsOfCustomer.entries,
                                    inLedger: { w.rewards.pointsOfCustomer.contains($0) }, earned: { w.orders.earnedPoints[$0] },
                                    upTo: 1, counting: false).lines.first
    }

    func reference(in w: World) -> [String] {
        var points: [String: Int] = [:]
        var customers: [String] = []
        for entry in w.rewards.ledger {
            if points[entry.customer] == nil { customers.append(entry.customer) }
            points[entry.customer, default: 0] += entry.points
        }
        var earned: [String: Int] = [:]
        for order in Invariants.confirmedFromScratch(w) { earned[order.customer, default: 0] += order.total / 100 }
        return report(w, ledger: customers.map { ($0, points[$0]!) }, inLedger: { points[$0] != nil },
                      earned: { earned[$0] ?? 0 }, upTo: .max, counting: false).lines
    }

    /// Customers in the order they first earned points (`ledger`: each with the points it
    /// holds), then those who only placed confirmed orders: at most `limit` lines, and,
    /// `counting`, how many customers are wrong in all (otherwise it stops at the limit).
    private func report<Ledger: Sequence<(String, Int)>>(
        _ w: World, ledger: Ledger, inLedger: (String) -> Bool,
        earned: (String) -> Int, upTo limit: Int, counting: Bool
    ) -> (lines: [String], count: Int) {
        var lines: [String] = []
        var count = 0
        func judge(_ customer: String, holding held: Int) -> Bool {
            let owed = earned(customer)
            if held != owed {
                count += 1
                if lines.count < limit { lines.append("\(customer) holds \(held) points, confirmed orders earn \(owed)") }
            }
            return counting || lines.count < limit
        }
        for (customer, held) in ledger where !judge(customer, holding: held) { return (lines, count) }
        // Customers with no points at all, each once.
        var unpaid = Set<String>()
        for order in w.orders.orders where order.status == .confirmed && !inLedger(order.customer) {
            guard unpaid.insert(order.customer).inserted else { continue }
            if !judge(order.customer, holding: 0) { return (lines, count) }
        }
        return (lines, count)
    }
}
