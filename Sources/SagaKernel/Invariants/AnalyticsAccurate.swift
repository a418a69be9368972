/// The analytics service's figures equal the orders service's truth.
struct AnalyticsAccurate: Invariant {
    let id = "analytics-accurate"
    let title = "analytics revenue and counts equal the orders' truth"

    func holds(in w: World) -> Bool {
        let a = w.analytics
        return a.revenue == w.orders.confirmedTotal && a.orderCount == w.orders.orders.count
            && a.successful == w.orders.confirmedCount && a.failed == w.orders.unsuccessfulCount
    }

    func evidence(in w: World) -> [String] {
        report(w.analytics, revenue: w.orders.confirmedTotal, orders: w.orders.orders.count,
               confirmed: w.orders.confirmedCount, unsuccessful: w.orders.unsuccessfulCount)
    }

    func reference(in w: World) -> [String] {
        let all = w.orders.orders
        return report(w.analytics, revenue: Invariants.confirmedTotalFromScratch(w), orders: all.count,
                      confirmed: all.filter { $0.status == .confirmed }.count,
                      unsuccessful: all.filter { $0.status.isUnsuccessful }.count)
    }

    private func report(_ a: AnalyticsDB, revenue: Int, orders: Int, confirmed: Int, unsuccessful: Int) -> [String] {
        var evidence: [String] = []
        if a.revenue != revenue { evidence.append("analytics revenue \(money(a.revenue)), confirmed total \(money(revenue))") }
        if a.orderCount != orders { evidence.append("analytics counts \(a.orderCount) orders, orders has \(orders)") }
        if a.successful != confirmed { evidence.append("analytics counts \(a.successful) successful, \(confirmed) confirmed") }
        if a.failed != unsuccessful { evidence.append("analytics counts \(a.failed) failed, \(unsuccessful) cancelled") }
        return evidence
    }
}
