/// Each customer holds exactly the points their confirmed orders earn (a point per dollar).
struct PointsConfirmedOnly: Invariant {
    let id = "points-confirmed-only"
    let title = "points only for confirmed orders"

    func holds(in w: World) -> Bool {
        w.rewards.pointsOfCustomer.sameNonZero(as: w.orders.earnedPoints)
    }

    func evidence(in w: World) -> [String] {
        holds(in: w) ? [] : report(w, points: { w.rewards.pointsOfCustomer[$0] }, ledgerCustomers: w.rewards.customers,
                                   earned: { w.orders.earnedPoints[$0] })
    }

    func firstEvidence(in w: World) -> String? {
        holds(in: w) ? nil : report(w, points: { w.rewards.pointsOfCustomer[$0] }, ledgerCustomers: w.rewards.customers,
                                    earned: { w.orders.earnedPoints[$0] }, upTo: 1).first
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
        return report(w, points: { points[$0] ?? 0 }, ledgerCustomers: customers, earned: { earned[$0] ?? 0 })
    }

    /// Customers in the order they first earned points, then those who only placed
    /// confirmed orders: at most `limit` lines.
    private func report(
        _ w: World, points: (String) -> Int, ledgerCustomers: [String], earned: (String) -> Int, upTo limit: Int = .max
    ) -> [String] {
        var lines: [String] = []
        func judge(_ customer: String) -> Bool {
            let held = points(customer)
            let owed = earned(customer)
            if held != owed { lines.append("\(customer) holds \(held) points, confirmed orders earn \(owed)") }
            return lines.count < limit
        }
        for customer in ledgerCustomers where !judge(customer) { return lines }
        var seen = Set(ledgerCustomers)
        for order in w.orders.orders where order.status == .confirmed && seen.insert(order.customer).inserted {
            if !judge(order.customer) { return lines }
        }
        return lines
    }
}
