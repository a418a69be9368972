/// An order as the orders service stores it.
public struct Order: Equatable, Sendable {
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
public struct OrdersDB: Equatable, Sendable {
    public var orders: [Order] = []
    public var sagas: [SagaState] = []
    public var executions: [Execution] = []
    public var idempotency = IdempotencyStore()

    public func order(_ id: String) -> Order? { orders.first { $0.id == id } }
    /// The sum of the confirmed orders' totals, in cents: what money and analytics must agree with.
    public var confirmedTotal: Int { orders.reduce(0) { $1.status == .confirmed ? $0 + $1.total : $0 } }
    public func saga(forOrder id: String) -> SagaState? { sagas.first { $0.orderId == id } }
    public func saga(_ id: String) -> SagaState? { sagas.first { $0.sagaId == id } }
    public func execution(_ id: String) -> Execution? { executions.first { $0.id == id } }
    public func execution(forOrder id: String) -> Execution? { executions.first { $0.orderId == id } }
    mutating func updateExecution(_ id: String, _ change: (inout Execution) -> Void) {
        if let i = executions.firstIndex(where: { $0.id == id }) { change(&executions[i]) }
    }
    mutating func updateOrder(_ id: String, _ change: (inout Order) -> Void) {
        if let i = orders.firstIndex(where: { $0.id == id }) { change(&orders[i]) }
    }
    mutating func updateSaga(forOrder id: String, _ change: (inout SagaState) -> Void) {
        if let i = sagas.firstIndex(where: { $0.orderId == id }) { change(&sagas[i]) }
    }
}

/// The inventory service's database: available stock per product and the reservations
/// held for orders. `supplied` counts every unit the lab ever put on the shelf, so the
/// conservation check can tell a lost or invented unit.
public struct InventoryDB: Equatable, Sendable {
    public struct Reservation: Equatable, Sendable {
        public var orderId: String
        public var items: [OrderItem]
        public var eventId: String
        public var at: Millis
    }

    public var available: [String: Int]
    public var supplied: [String: Int]
    public var reservations: [Reservation] = []

    init() {
        var stock: [String: Int] = [:]
        for product in Catalog.products { stock[product.id] = product.initialStock }
        available = stock
        supplied = stock
    }

    public func reserved(_ product: String) -> Int {
        reservations.reduce(0) { sum, r in
            sum + r.items.filter { $0.product == product }.reduce(0) { $0 + $1.quantity }
        }
    }
}

/// The payment service's database: one charge row per successful charge.
public struct PaymentDB: Equatable, Sendable {
    public struct Charge: Equatable, Sendable {
        public var id: String
        public var orderId: String
        public var customer: String
        public var amount: Int
        public var refunded: Bool
        public var at: Millis
    }

    public var charges: [Charge] = []

    public var captured: Int { charges.reduce(0) { $0 + $1.amount } }
    public var refunded: Int { charges.filter(\.refunded).reduce(0) { $0 + $1.amount } }
}

/// The rewards service's database: a ledger of points awarded (and revoked) per order.
public struct RewardsDB: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var orderId: String
        public var customer: String
        public var points: Int
        public var eventId: String
        public var at: Millis
    }

    /// A notice sent to a customer by the orchestrated saga's send-notification step.
    public struct Notification: Equatable, Sendable {
        public var orderId: String
        public var customer: String
        public var at: Millis
    }

    public var ledger: [Entry] = []
    public var notifications: [Notification] = []

    public func points(of customer: String) -> Int {
        ledger.filter { $0.customer == customer }.reduce(0) { $0 + $1.points }
    }

    public func points(forOrder id: String) -> Int {
        ledger.filter { $0.orderId == id }.reduce(0) { $0 + $1.points }
    }

    /// Customers in the order they first earned points.
    public var customers: [String] {
        var seen: [String] = []
        for entry in ledger where !seen.contains(entry.customer) { seen.append(entry.customer) }
        return seen
    }
}

/// The analytics service's state: running aggregates over the events it consumes, and
/// orders per one-minute tumbling window of event time (seed 003's streaming analytics).
public struct AnalyticsDB: Equatable, Sendable {
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
