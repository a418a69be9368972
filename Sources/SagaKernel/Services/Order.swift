/// An order as the orders service stores it.
public struct Order: Hashable, Sendable, DigestRow {
    public enum Status: String, Sendable, HashedByCase {
        case pending = "PENDING", confirmed = "CONFIRMED", cancelled = "CANCELLED"
        /// An orchestrated saga that was compensated (the Step Functions shop: "updates order status to FAILED").
        case failed = "FAILED"

        /// Settled without success: cancelled by choreography or failed under orchestration.
        public var isUnsuccessful: Bool { self == .cancelled || self == .failed }
    }

    // Stored widest first, the reason as its number and the time it settled with a value
    // for never, so that an order takes 64 bytes (96 in declaration order, 80 with a text
    // and an optional time): the orders service keeps one for each order placed.
    public var customer: String
    public var items: [OrderItem]
    /// Total in cents.
    public var total: Int
    public var createdAt: Millis
    private var settledTime: Millis
    public var id: OrderId
    public var sagaId: SagaId
    /// Why the order was cancelled or failed, as a number for its text (`Reason`).
    public var why: Reason?
    public var status: Status
    /// How this order's saga is carried out, fixed when it was placed.
    public var mode: SagaMode
    /// The order of the saga's steps this order follows, fixed when it was placed: a later
    /// `flow` rewires the bus for new orders only.
    public var flow: Flow

    public init(id: OrderId, customer: String, items: [OrderItem], total: Int, status: Status, reason: String?,
                createdAt: Millis, settledAt: Millis?, sagaId: SagaId, mode: SagaMode = .choreography,
                flow: Flow = .inventoryFirst) {
        (self.id, self.customer, self.items, self.total, self.status) = (id, customer, items, total, status)
        why = reason.map(Reason.init)
        settledTime = settledAt ?? Order.never
        (self.createdAt, self.sagaId, self.mode, self.flow) = (createdAt, sagaId, mode, flow)
    }

    private static let never = Millis.min

    /// Why the order was cancelled or failed, in words.
    public var reason: String? {
        get { why?.text }
        set { why = newValue.map(Reason.init) }
    }

    /// When the order reached CONFIRMED or CANCELLED.
    public var settledAt: Millis? {
        get { settledTime == Order.never ? nil : settledTime }
        set { settledTime = newValue ?? Order.never }
    }

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
        hasher.combineWord(UInt64(why.map { $0.text.utf8.count + 1 } ?? 0))
    }
}
