/// An order as the orders service stores it.
public struct Order: Hashable, Sendable, DigestRow {
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
    /// The small fields go packed into one word.
    public func hash(into hasher: inout Hasher) { digest(into: &hasher) }

    func digest<H: WordHasher>(into hasher: inout H) {
        hasher.combineWord(hasher.orderNumber(id) | UInt64(status.tag) << 32 | UInt64(mode.tag) << 40
            | UInt64(flow.tag) << 48 | (settledAt == nil ? 0 : 1 << 56))
        hasher.combineWord(UInt64(bitPattern: Int64(total)))
        hasher.combineWord(UInt64(bitPattern: Int64(settledAt ?? 0)))
        hasher.combineWord(UInt64(reason.map { $0.utf8.count + 1 } ?? 0))
    }
}
