/// Payment kept exactly the confirmed orders' money: what it captured less what it refunded.
struct MoneyBalanced: Invariant {
    let id = "money-balanced"
    let title = "captured - refunded = confirmed orders' total"

    func holds(in w: World) -> Bool { w.payment.captured - w.payment.refunded == w.orders.confirmedTotal }

    func evidence(in w: World) -> [String] {
        report(captured: w.payment.captured, refunded: w.payment.refunded, confirmed: w.orders.confirmedTotal)
    }

    func reference(in w: World) -> [String] {
        let charges = w.payment.charges
        return report(captured: charges.reduce(0) { $0 + $1.amount },
                      refunded: charges.filter(\.refunded).reduce(0) { $0 + $1.amount },
                      confirmed: Invariants.confirmedTotalFromScratch(w))
    }

    private func report(captured: Int, refunded: Int, confirmed: Int) -> [String] {
        let net = captured - refunded
        return net == confirmed ? [] : [
            "captured \(money(captured)) - refunded \(money(refunded)) = \(money(net)), confirmed total \(money(confirmed))",
        ]
    }
}
