/// An order as the orders service stores it.
public struct Order: Hashable, Sendable {
    public enum Status: String, Sendable {
        case pending = "PENDING", confirmed = "CONFIRMED", cancelled = "CANCELLED"
        /// An orchestrated saga that was compensated (seed 004: "updates order status to FAILED").
        case failed = "FAILED"

        /// Settled without success: cancelled by choreography or failed under orchestration.
        public var isUnsuccessful: Bool { self == .cancelled || self == .failed }
    }

    public var id: String
    public var customer: String
    public var items: [OrderItem]
    /// Total in cents.
    public var total: Int
    public var status: Status
    public var reason: String?
    public var createdAt: Millis
    /// When the order reached CONFIRMED or CANCELLED.
    public var settledAt: Millis?
    public var sagaId: String
    /// How this order's saga is carried out, fixed when it was placed.
    public var mode: SagaMode = .choreography
}

/// The orders service's database: orders, their saga states, the orchestrator's executions
/// and the API's idempotency table.
public struct OrdersDB: Hashable, Sendable {
    public private(set) var orders: [Order] = []
    public private(set) var sagas: [SagaState] = []
    public private(set) var executions: [Execution] = []
    public var idempotency = IdempotencyStore()
    /// Running aggregates of `orders`, kept by `add` and `updateOrder` so the invariants
    /// read them in O(1): orders per status, and the confirmed orders' total in cents.
    public private(set) var pendingCount = 0
    public private(set) var confirmedCount = 0
    public private(set) var unsuccessfulCount = 0
    /// The sum of the confirmed orders' totals, in cents: what money and analytics must agree with.
    public private(set) var confirmedTotal = 0
    /// Points the confirmed orders earn per customer (a point per dollar).
    public private(set) var earnedPoints: [String: Int] = [:]
    /// Where each order's execution sits in `executions`.
    private var executionOfOrder: [String: Int] = [:]

    /// The order with `id`. Ids are handed out in sequence, so `ord-N` sits at N - 1.
    public func order(_ id: String) -> Order? {
        let n = idNumber(id)
        if n >= 1, n <= orders.count, orders[n - 1].id == id { return orders[n - 1] }
        return nil
    }
    public func saga(forOrder id: String) -> SagaState? {
        let n = idNumber(id)
        if n >= 1, n <= sagas.count, sagas[n - 1].orderId == id { return sagas[n - 1] }
        return nil
    }
    public func saga(_ id: String) -> SagaState? {
        let n = idNumber(id)
        if n >= 1, n <= sagas.count, sagas[n - 1].sagaId == id { return sagas[n - 1] }
        return sagas.first { $0.sagaId == id }
    }
    public func execution(_ id: String) -> Execution? {
        let n = idNumber(id)
        if n >= 1, n <= executions.count, executions[n - 1].id == id { return executions[n - 1] }
        return nil
    }
    public func execution(forOrder id: String) -> Execution? {
        executionOfOrder[id].map { executions[$0] }
    }

    /// Saves a new order with its saga state, in one transaction.
    mutating func add(_ order: Order, saga: SagaState) {
        orders.append(order)
        sagas.append(saga)
        count(order, +1)
    }

    mutating func add(_ execution: Execution) {
        executionOfOrder[execution.orderId] = executions.count
        executions.append(execution)
    }

    mutating func updateExecution(_ id: String, _ change: (inout Execution) -> Void) {
        let n = idNumber(id)
        if n >= 1, n <= executions.count, executions[n - 1].id == id { change(&executions[n - 1]) }
    }
    mutating func updateOrder(_ id: String, _ change: (inout Order) -> Void) {
        let n = idNumber(id)
        guard n >= 1, n <= orders.count, orders[n - 1].id == id else { return }
        count(orders[n - 1], -1)
        change(&orders[n - 1])
        count(orders[n - 1], +1)
    }
    mutating func updateSaga(forOrder id: String, _ change: (inout SagaState) -> Void) {
        let n = idNumber(id)
        if n >= 1, n <= sagas.count, sagas[n - 1].orderId == id { change(&sagas[n - 1]) }
    }

    private mutating func count(_ order: Order, _ sign: Int) {
        switch order.status {
        case .pending: pendingCount += sign
        case .confirmed:
            confirmedCount += sign
            confirmedTotal += sign * order.total
            earnedPoints[order.customer, default: 0] += sign * (order.total / 100)
        case .cancelled, .failed: unsuccessfulCount += sign
        }
    }
}

/// The inventory service's database: available stock per product and the reservations
/// held for orders. `supplied` counts every unit the lab ever put on the shelf, so the
/// conservation check can tell a lost or invented unit.
public struct InventoryDB: Hashable, Sendable {
    public struct Reservation: Hashable, Sendable {
        public var orderId: String
        public var items: [OrderItem]
        public var eventId: String
        public var at: Millis
        /// Position in the order reservations were made, for listing them in that order.
        var sequence: Int
    }

    public var available: [String: Int]
    public var supplied: [String: Int]
    /// The reservations held, by order.
    public private(set) var held: [String: [Reservation]] = [:]
    /// Units reserved per product: the sum over `held`, kept as reservations come and go.
    public private(set) var reservedUnits: [String: Int] = [:]
    private var nextSequence = 0

    init() {
        var stock: [String: Int] = [:]
        for product in Catalog.products { stock[product.id] = product.initialStock }
        available = stock
        supplied = stock
    }

    /// Every reservation held, in the order they were made. O(n log n): for views and tests.
    public var reservations: [Reservation] {
        held.values.joined().sorted { $0.sequence < $1.sequence }
    }

    /// The reservations held for one order, oldest first.
    public func reservations(forOrder id: String) -> [Reservation] { held[id] ?? [] }

    public func reserved(_ product: String) -> Int { reservedUnits[product] ?? 0 }

    /// Whether every catalog product's available stock is zero or more.
    var neverNegative: Bool {
        for product in Catalog.products where (available[product.id] ?? 0) < 0 { return false }
        return true
    }

    /// Whether, for every catalog product, available + reserved = supplied.
    var isConserved: Bool {
        for product in Catalog.products
        where (available[product.id] ?? 0) + (reservedUnits[product.id] ?? 0) != (supplied[product.id] ?? 0) {
            return false
        }
        return true
    }

    mutating func reserve(_ items: [OrderItem], for orderId: String, event eventId: String, at time: Millis) {
        for item in items {
            available[item.product, default: 0] -= item.quantity
            reservedUnits[item.product, default: 0] += item.quantity
        }
        held[orderId, default: []].append(Reservation(orderId: orderId, items: items, eventId: eventId, at: time, sequence: nextSequence))
        nextSequence += 1
    }

    /// Puts back everything held for `orderId` and returns what was held.
    mutating func release(_ orderId: String) -> [Reservation] {
        guard let released = held.removeValue(forKey: orderId) else { return [] }
        for item in released.flatMap(\.items) {
            available[item.product, default: 0] += item.quantity
            reservedUnits[item.product, default: 0] -= item.quantity
        }
        return released
    }
}

/// The payment service's database: one charge row per successful charge.
public struct PaymentDB: Hashable, Sendable {
    public struct Charge: Hashable, Sendable {
        public var id: String
        public var orderId: String
        public var customer: String
        public var amount: Int
        public var refunded: Bool
        public var at: Millis
    }

    public private(set) var charges: [Charge] = []
    /// Sums of `charges`, kept as charges are captured and refunded.
    public private(set) var captured = 0
    public private(set) var refunded = 0
    /// Where each order's charges sit in `charges`.
    private var chargesOfOrder: [String: [Int]] = [:]

    public func charges(forOrder id: String) -> [Charge] { (chargesOfOrder[id] ?? []).map { charges[$0] } }

    mutating func capture(_ charge: Charge) {
        chargesOfOrder[charge.orderId, default: []].append(charges.count)
        charges.append(charge)
        captured += charge.amount
    }

    /// Refunds every open charge of the order and returns the amount refunded, or nil
    /// when the order has no open charge.
    mutating func refundAll(forOrder id: String) -> Int? {
        let open = (chargesOfOrder[id] ?? []).filter { !charges[$0].refunded }
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

/// The rewards service's database: a ledger of points awarded (and revoked) per order.
public struct RewardsDB: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var orderId: String
        public var customer: String
        public var points: Int
        public var eventId: String
        public var at: Millis
    }

    /// A notice sent to a customer by the orchestrated saga's send-notification step.
    public struct Notification: Hashable, Sendable {
        public var orderId: String
        public var customer: String
        public var at: Millis
    }

    public private(set) var ledger: [Entry] = []
    public internal(set) var notifications: [Notification] = []
    /// Sums of `ledger` per customer and per order, kept as entries are written.
    public private(set) var pointsOfCustomer: [String: Int] = [:]
    public private(set) var pointsOfOrder: [String: Int] = [:]
    /// Customers in the order they first earned points.
    public private(set) var customers: [String] = []

    public func points(of customer: String) -> Int { pointsOfCustomer[customer] ?? 0 }

    public func points(forOrder id: String) -> Int { pointsOfOrder[id] ?? 0 }

    mutating func write(_ entry: Entry) {
        if pointsOfCustomer[entry.customer] == nil { customers.append(entry.customer) }
        pointsOfCustomer[entry.customer, default: 0] += entry.points
        pointsOfOrder[entry.orderId, default: 0] += entry.points
        ledger.append(entry)
    }
}

/// The analytics service's state: running aggregates over the events it consumes, and
/// orders per one-minute tumbling window of event time (seed 003's streaming analytics).
public struct AnalyticsDB: Hashable, Sendable {
    public var revenue = 0
    public var orderCount = 0
    public var successful = 0
    public var failed = 0
    public var eventsSeen = 0
    /// Orders per window, keyed by the window's start (a multiple of one minute).
    public var windows: [Millis: Int] = [:]
    /// The highest event time seen: Kafka Streams' "stream time".
    public var streamTime: Millis = 0
    /// Records that arrived after their window closed (window end + grace ≤ stream time).
    public var lateDropped = 0

    public var successRate: Double? {
        let settled = successful + failed
        return settled == 0 ? nil : Double(successful) / Double(settled) * 100
    }
}
