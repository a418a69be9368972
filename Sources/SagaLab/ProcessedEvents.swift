/// A consumer's processed-events table (the seeds' idempotency-keys table): one row per
/// event id handled, kept for a TTL of virtual time (7 days by default).
///
/// Expired rows are treated as absent, so a duplicate that arrives after the TTL is
/// processed again, exactly as with a DynamoDB TTL.
public struct ProcessedEvents: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        public var eventId: String
        public var eventType: EventType
        public var orderId: String
        public var processedAt: Millis
    }

    public private(set) var rows: [Row] = []

    public init() {}

    public func contains(_ eventId: String, now: Millis, ttl: Millis) -> Bool {
        rows.contains { $0.eventId == eventId && now - $0.processedAt < ttl }
    }

    mutating func mark(_ event: Event, at time: Millis) {
        rows.removeAll { $0.eventId == event.id }
        rows.append(Row(eventId: event.id, eventType: event.type, orderId: event.orderId, processedAt: time))
    }

    /// Rows still within the TTL.
    public func live(now: Millis, ttl: Millis) -> [Row] {
        rows.filter { now - $0.processedAt < ttl }
    }
}
