/// A consumer's processed-events table (the seeds' idempotency-keys table): one row per
/// event id handled, kept for a TTL of virtual time (7 days by default). A participant
/// records the orchestrator's calls here too, by their idempotency token, with the
/// outcome it answered, so a retried call gets the first answer instead of a second effect.
///
/// Expired rows are treated as absent, so a duplicate that arrives after the TTL is
/// processed again, exactly as with a DynamoDB TTL. Lookups by id cost O(1).
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
    public var rows: [Row] {
        guard stale.value > 0 else { return order.value.compactMap { byId[$0] } }
        var seen = Set<String>()
        var newestFirst: [Row] = []
        for id in order.value.reversed() where seen.insert(id).inserted {
            if let row = byId[id] { newestFirst.append(row) }
        }
        return newestFirst.reversed()
    }
    /// The row of each id.
    private var byId: [String: Row] = [:]
    /// Ids in marking order. A re-marked id leaves a stale earlier entry, skipped by `rows`
    /// and dropped when the list is compacted. Which stale entries remain depends on history,
    /// so the list takes no part in equality; `byId` and the order of `rows` do, through
    /// each row's `processedAt`.
    private var order = Derived([String]())
    /// How many entries of `order` are stale.
    private var stale = Derived(0)

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

    private mutating func insert(_ row: Row) {
        if byId.updateValue(row, forKey: row.eventId) != nil {
            stale.value += 1
            if stale.value > 64 && stale.value * 2 > order.value.count { compact() }
        }
        order.value.append(row.eventId)
    }

    /// Drops stale entries: keeps each id's last position.
    private mutating func compact() {
        var seen = Set<String>()
        var kept: [String] = []
        for id in order.value.reversed() where seen.insert(id).inserted { kept.append(id) }
        order.value = kept.reversed()
        stale.value = 0
    }

    /// The live row for an id, if any.
    public func row(_ id: String, now: Millis, ttl: Millis) -> Row? {
        guard let row = byId[id], now - row.processedAt < ttl else { return nil }
        return row
    }

    /// Rows still within the TTL.
    public func live(now: Millis, ttl: Millis) -> [Row] {
        rows.filter { now - $0.processedAt < ttl }
    }
}
