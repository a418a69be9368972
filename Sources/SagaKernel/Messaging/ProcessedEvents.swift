/// A consumer's processed-events table (the seeds' idempotency-keys table): one row per
/// event id handled, kept for a TTL of virtual time (7 days by default). A participant
/// records the orchestrator's calls here too, by their idempotency token, with the
/// outcome it answered, so a retried call gets the first answer instead of a second effect.
///
/// Expired rows are treated as absent, so a duplicate that arrives after the TTL is
/// processed again, exactly as with a DynamoDB TTL. Finding an event's mark costs O(1).
public struct ProcessedEvents: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public var key: ProcessedKey
        /// The event type, or the task's name.
        public var type: String
        public var orderId: OrderId
        public var processedAt: Millis
        /// For a task call: what the participant answered.
        public var outcome: TaskOutcome?

        /// The event id, or a task call's idempotency token (`ord-1:process-payment`).
        public var eventId: String { key.description }
    }

    /// The rows in the order they were marked; a re-mark moves a row to the end.
    public private(set) var rows: [Row] = []
    /// Where the row of event `evt-N` sits in `rows`, at index N (-1: none). Event ids are
    /// handed out in sequence, so a plain array finds a mark without hashing. Derived from `rows`.
    private var eventSlot = Derived([Int32]())
    /// Where the row of each call's token sits in `rows`. Derived from `rows`.
    private var tokenSlot = Derived([ProcessedKey: Int32]())

    public init() {}

    public func contains(_ eventId: EventId, now: Millis, ttl: Millis) -> Bool {
        guard let at = slot(.event(eventId)) else { return false }
        return now - rows[at].processedAt < ttl
    }

    mutating func mark(_ event: Event, at time: Millis) {
        mark(event.id, event.type, event.orderId, at: time)
    }

    mutating func mark(_ id: EventId, _ type: EventType, _ orderId: OrderId, at time: Millis) {
        insert(Row(key: .event(id), type: type.rawValue, orderId: orderId, processedAt: time))
    }

    mutating func mark(_ call: TaskCall, _ outcome: TaskOutcome, at time: Millis) {
        insert(Row(key: call.token, type: call.task.rawValue, orderId: call.order.orderId, processedAt: time, outcome: outcome))
    }

    /// Drops every event's mark and keeps the calls' (`rebuild` writes the marks anew).
    mutating func dropEventMarks() {
        rows.removeAll { if case .event = $0.key { return true } else { return false } }
        reindex()
    }

    private func slot(_ key: ProcessedKey) -> Int? {
        let found: Int32?
        if case .event(let id) = key {
            found = Int(id.number) < eventSlot.value.count ? eventSlot.value[Int(id.number)] : nil
        } else {
            found = tokenSlot.value[key]
        }
        guard let found, found >= 0 else { return nil }
        return Int(found)
    }

    private mutating func insert(_ row: Row) {
        if let old = slot(row.key) {
            rows.remove(at: old)
            rows.append(row)
            reindex()
            return
        }
        index(row.key, at: rows.count)
        rows.append(row)
    }

    private mutating func index(_ key: ProcessedKey, at position: Int) {
        guard case .event(let id) = key else {
            tokenSlot.value[key] = Int32(position)
            return
        }
        let n = Int(id.number)
        eventSlot.value.grow(toInclude: n, with: -1)
        eventSlot.value[n] = Int32(position)
    }

    private mutating func reindex() {
        eventSlot.value = []
        tokenSlot.value = [:]
        for (position, row) in rows.enumerated() { index(row.key, at: position) }
    }

    /// The live row for an event or a call's token, if any.
    public func row(_ key: ProcessedKey, now: Millis, ttl: Millis) -> Row? {
        guard let at = slot(key), now - rows[at].processedAt < ttl else { return nil }
        return rows[at]
    }

    /// Rows still within the TTL.
    public func live(now: Millis, ttl: Millis) -> [Row] {
        rows.filter { now - $0.processedAt < ttl }
    }
}

/// What a processed-events row is keyed by: an event, or an orchestrator call's
/// idempotency token (the order and the task: `ord-1:process-payment`).
public enum ProcessedKey: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    case event(EventId)
    case call(OrderId, SagaTask)
    /// A compensation the orchestrator sends again to undo a late success: run `run` of
    /// it (2 for the first repeat), a fresh token so the participant does the work again
    /// instead of answering from its processed table (`ord-1:release-inventory:2`).
    case callAgain(OrderId, SagaTask, run: Int)

    public var description: String {
        switch self {
        case .event(let id): return id.description
        case .call(let order, let task): return "\(order):\(task.rawValue)"
        case .callAgain(let order, let task, let run): return "\(order):\(task.rawValue):\(run)"
        }
    }

    /// For tests that name a key in the source: `"evt-1"` or `"ord-1:process-payment"`.
    public init(stringLiteral text: String) {
        if let id = EventId(parsing: text) {
            self = .event(id)
            return
        }
        let parts = text.split(separator: ":").map(String.init)
        guard parts.count == 2, let order = OrderId(parsing: parts[0]), let task = SagaTask(rawValue: parts[1]) else {
            preconditionFailure("'\(text)' is neither an event id nor a call's token")
        }
        self = .call(order, task)
    }
}
