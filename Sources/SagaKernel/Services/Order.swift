/// An order as the orders service stores it.
public struct Order: Hashable, Sendable {
    public enum Status: String, Sendable, HashedByCase {
        case pending = "PENDING", confirmed = "CONFIRMED", cancelled = "CANCELLED"
        /// An orchestrated saga that was compensated (the Step Functions shop: "updates order status to FAILED").
        case failed = "FAILED"

        /// Settled without success: cancelled by choreography or failed under orchestration.
        public var isUnsuccessful: Bool { self == .cancelled || self == .failed }
    }

    public var id: OrderId
    public var customer: String
    public var items: [OrderItem]
    /// Total in cents.
    public var total: Int
    public var status: Status
    public var reason: String?
    public var createdAt: Millis
    /// When the order reached CONFIRMED or CANCELLED.
    public var settledAt: Millis?
    public var sagaId: SagaId
    /// How this order's saga is carried out, fixed when it was placed.
    public var mode: SagaMode = .choreography
    /// The order of the saga's steps this order follows, fixed when it was placed: a later
    /// `flow` rewires the bus for new orders only.
    public var flow: Flow = .inventoryFirst

    /// Hashes what changes as the saga runs and what tells orders apart; the customer and
    /// items are fixed when the order is placed. Equal orders still hash equal, and the
    /// explorer hashes an order in every state it visits.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(total)
        hasher.combine(status)
        hasher.combine(settledAt)
        hasher.combine(mode)
        hasher.combine(flow)
        hasher.combine(reason?.utf8.count)
    }
}
