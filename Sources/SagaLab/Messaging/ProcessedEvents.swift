/// A consumer's processed-events table (the seeds' idempotency-keys table): one row per
/// event id handled, kept for a TTL of virtual time (7 days by default). A participant
/// records the orchestrator's calls here too, by their idempotency token, with the
/// outcome it answered, so a retried call gets the first answer instead of a second effect.
///
/// Expired rows are treated as absent, so a duplicate that arrives after the TTL is
/// processed again, exactly as with a DynamoDB TTL. Finding an event's mark costs O(1).
public struct ProcessedEvents: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        /// The event id, or a task call's idempotency token (`ord-1:process-payment`).
        public var eventId: String
        /// The event type, or the task's name.
        public var type: String
        public var orderId: String
        public var processedAt: Millis
        /// For a task call: what the participant answered.
        public var outcome: TaskOutcome?
    }

    /// The rows in the order they were marked; a re-mark moves a row to the end.
    public private(set) var rows: [Row] = []
    /// Where the row of event `evt-N` sits in `rows`, at index N (-1: none). Event ids are
    /// handed out in sequence, so a plain array finds a mark without hashing. Derived from `rows`.
    private var eventSlot = Derived([Int32]())
    /// Where the row of each call token sits in `rows`. Derived from `rows`.
    private var tokenSlot = Derived([String: Int32]())

    public init() {}

    public func contains(_ eventId: String, now: Millis, ttl: Millis) -> Bool {
        row(eventId, now: now, ttl: ttl) != nil
    }

    mutating func mark(_ event: Event, at time: Millis) {
        insert(Row(eventId: event.id, type: event.type.rawValue, orderId: event.orderId, processedAt: time))
    }

    mutating func mark(_ call: TaskCall, _ outcome: TaskOutcome, at time: Millis) {
        insert(Row(eventId: call.token, type: call.task.rawValue, orderId: call.order.orderId, processedAt: time, outcome: outcome))
    }

    private func slot(_ id: String) -> Int? {
        let n = idNumber(id)
        let found: Int32?
        if n > 0 {
            found = n < eventSlot.value.count ? eventSlot.value[n] : nil
        } else {
            found = tokenSlot.value[id]
        }
        guard let found, found >= 0, rows[Int(found)].eventId == id else { return nil }
        return Int(found)
    }

    private mutating func insert(_ row: Row) {
        if let old = slot(row.eventId) {
            rows.remove(at: old)
            rows.append(row)
            reindex()
            return
        }
        index(row.eventId, at: rows.count)
        rows.append(row)
    }

    private mutating func index(_ id: String, at position: Int) {
        let n = idNumber(id)
        if n > 0 {
            if n >= eventSlot.value.count {
                eventSlot.value.append(contentsOf: repeatElement(-1, count: max(n + 1, eventSlot.value.count * 2) - eventSlot.value.count))
            }
            eventSlot.value[n] = Int32(position)
        } else {
            tokenSlot.value[id] = Int32(position)
        }
    }

    private mutating func reindex() {
        eventSlot.value = []
        tokenSlot.value = [:]
        for (position, row) in rows.enumerated() { index(row.eventId, at: position) }
    }

    /// The live row for an id, if any.
    public func row(_ id: String, now: Millis, ttl: Millis) -> Row? {
        guard let at = slot(id), now - rows[at].processedAt < ttl else { return nil }
        return rows[at]
    }

    /// Rows still within the TTL.
    public func live(now: Millis, ttl: Millis) -> [Row] {
        rows.filter { now - $0.processedAt < ttl }
    }
}
