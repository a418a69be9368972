/// The rewards service's database: a ledger of points awarded (and revoked) per order.
public struct RewardsDB: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        // Widest first, so that an entry takes 40 bytes, not 48: the ledger keeps one or two
        // an order.
        public var customer: String
        public var points: Int
        public var at: Millis
        public var orderId: OrderId
        public var eventId: EventId

        public init(orderId: OrderId, customer: String, points: Int, eventId: EventId, at: Millis) {
            (self.orderId, self.customer, self.points, self.eventId, self.at) = (orderId, customer, points, eventId, at)
        }
    }

    /// A notice sent to a customer by the orchestrated saga's send-notification step.
    public struct Notification: Hashable, Sendable {
        public var orderId: OrderId
        public var customer: String
        public var at: Millis
    }

    public private(set) var ledger: [Entry] = []
    public internal(set) var notifications: [Notification] = []
    /// Sums of `ledger` per customer and per order, kept as entries are written.
    public private(set) var pointsOfCustomer = PointsByCustomer()
    public private(set) var pointsOfOrder = ByOrder<Int>(empty: 0)
    /// Customers in the order they first earned points (read from `pointsOfCustomer`,
    /// which keeps its entries in that order).
    public var customers: [String] { pointsOfCustomer.entries.map(\.0) }

    public func points(of customer: String) -> Int { pointsOfCustomer[customer] }

    public func points(forOrder id: OrderId) -> Int { pointsOfOrder[id] }

    /// Makes room for `n` more orders' entries.
    mutating func makeRoom(forOrders n: Int) {
        ledger.reserveCapacity(ledger.count + n)
        ledger.prefaultRoom()
        pointsOfOrder.makeRoom(forOrders: n)
    }

    /// Makes room for the points of the customers `prefix` + N, N in `numbers`, by number.
    mutating func makeRoom(customers prefix: String, numbers: ClosedRange<Int>, firstOrder: OrderId) {
        pointsOfCustomer.makeRoom(prefix: prefix, numbers: numbers, firstOrder: firstOrder)
    }

    mutating func write(_ entry: Entry) {
        pointsOfCustomer.add(entry.points, to: entry.customer)
        pointsOfOrder.update(entry.orderId) { $0 += entry.points }
        ledger.append(entry)
        ledger.prefaultAhead(grewFrom: ledger.count - 1)
    }
}
