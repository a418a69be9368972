/// A consumer's processed-events table (the seeds' idempotency-keys table): one row per
/// event id handled, kept for a TTL of virtual time (7 days by default). A participant
/// records the orchestrator's calls here too, by their idempotency token, with the
/// outcome it answered, so a retried call gets the first answer instead of a second effect.
///
/// Expired rows are treated as absent, so a duplicate that arrives after the TTL is
/// processed again, exactly as with a DynamoDB TTL.
public struct ProcessedEvents: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        /// The event id, or a task call's idempotency token (`ord-1:process-payment`).
        public var eventId: String
        /// The event type, or the task's name.
        public var type: String
        public var orderId: String
        public var processedAt: Millis
        /// For a task call: what the participant answered.
        public var outcome: TaskOutcome?
    }

    public private(set) var rows: [Row] = []

    public init() {}

    public func contains(_ eventId: String, now: Millis, ttl: Millis) -> Bool {
        rows.contains { $0.eventId == eventId && now - $0.processedAt < ttl }
    }

    mutating func mark(_ event: Event, at time: Millis) {
        rows.removeAll { $0.eventId == event.id }
        rows.append(Row(eventId: event.id, type: event.type.rawValue, orderId: event.orderId, processedAt: time))
    }

    mutating func mark(_ call: TaskCall, _ outcome: TaskOutcome, at time: Millis) {
        rows.removeAll { $0.eventId == call.token }
        rows.append(Row(eventId: call.token, type: call.task.rawValue, orderId: call.order.orderId, processedAt: time, outcome: outcome))
    }

    /// The live row for an id, if any.
    public func row(_ id: String, now: Millis, ttl: Millis) -> Row? {
        rows.last { $0.eventId == id && now - $0.processedAt < ttl }
    }

    /// Rows still within the TTL.
    public func live(now: Millis, ttl: Millis) -> [Row] {
        rows.filter { now - $0.processedAt < ttl }
    }
}
