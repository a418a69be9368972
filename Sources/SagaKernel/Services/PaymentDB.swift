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
    private var chargesOfOrder = ByOrder<ChargeSlots>(empty: ChargeSlots())

    /// Where one order's charges sit in `charges`: the first in place, any later one (a
    /// charge made again, with idempotency off) in an array. An order's first charge then
    /// allocates nothing, where an array of one took an allocation for every order charged.
    struct ChargeSlots: Hashable, Sendable, Sequence {
        private var first: Int32 = -1
        private var more: [Int32] = []

        mutating func append(_ index: Int) {
            if first < 0 { first = Int32(index) } else { more.append(Int32(index)) }
        }

        struct Iterator: IteratorProtocol {
            fileprivate let slots: ChargeSlots
            fileprivate var position = -1

            mutating func next() -> Int? {
                defer { position += 1 }
                if position < 0 { return slots.first < 0 ? nil : Int(slots.first) }
                return position < slots.more.count ? Int(slots.more[position]) : nil
            }
        }

        func makeIterator() -> Iterator { Iterator(slots: self) }
    }

    /// Hints at the list of charges of `order` (`World.prefetchRows`).
    @inline(__always)
    func prefetch(_ order: OrderId) { chargesOfOrder.prefetch(order) }

    public func charges(forOrder id: OrderId) -> [Charge] { chargesOfOrder[id].map { charges[$0] } }

    /// Makes room for `n` more orders' charges.
    mutating func makeRoom(forOrders n: Int) {
        charges.reserveCapacity(charges.count + n)
        charges.prefaultRoom()
        chargesOfOrder.makeRoom(forOrders: n)
    }

    mutating func capture(_ charge: Charge) {
        let index = charges.count
        chargesOfOrder.update(charge.orderId) { $0.append(index) }
        charges.append(charge)
        charges.prefaultAhead(grewFrom: charges.count - 1)
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
        var total: Int?
        for index in chargesOfOrder[id] where !charges[index].refunded {
            charges[index].refunded = true
            total = (total ?? 0) + charges[index].amount
        }
        refunded += total ?? 0
        return total
    }
}
