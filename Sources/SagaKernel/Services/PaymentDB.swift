/// The payment service's database: one charge row per successful charge.
public struct PaymentDB: Hashable, Sendable {
    public struct Charge: Hashable, Sendable {
        public var id: ChargeId
        public var orderId: OrderId
        public var customer: String
        public var amount: Int
        public var refunded: Bool
        public var at: Millis
    }

    public private(set) var charges: [Charge] = []
    /// Sums of `charges`, kept as charges are captured and refunded.
    public private(set) var captured = 0
    public private(set) var refunded = 0
    /// The fence marks of orders whose charge was rolled back (`pattern fence`).
    public internal(set) var fence = FenceLog()
    /// Where each order's charges sit in `charges`.
    private var chargesOfOrder = ByOrder<[Int]>(empty: [])

    /// Hints at the list of charges of `order` (`World.prefetchRows`).
    @inline(__always)
    func prefetch(_ order: OrderId) { chargesOfOrder.prefetch(order) }

    public func charges(forOrder id: OrderId) -> [Charge] { chargesOfOrder[id].map { charges[$0] } }

    /// Makes room for `n` more orders' charges.
    mutating func makeRoom(forOrders n: Int) {
        charges.reserveCapacity(charges.count + n)
        chargesOfOrder.makeRoom(forOrders: n)
    }

    mutating func capture(_ charge: Charge) {
        let index = charges.count
        chargesOfOrder.update(charge.orderId) { $0.append(index) }
        charges.append(charge)
        captured += charge.amount
    }

    /// Adds a stored charge row as it is, refunded or not (`World(stored:)`).
    mutating func restore(_ charge: Charge) {
        capture(charge)
        if charge.refunded { refunded += charge.amount }
    }

    /// Refunds every open charge of the order and returns the amount refunded, or nil
    /// when the order has no open charge.
    mutating func refundAll(forOrder id: OrderId) -> Int? {
        let open = chargesOfOrder[id].filter { !charges[$0].refunded }
        guard !open.isEmpty else { return nil }
        var total = 0
        for index in open {
            charges[index].refunded = true
            total += charges[index].amount
        }
        refunded += total
        return total
    }
}
