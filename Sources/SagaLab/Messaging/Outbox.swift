/// A service's outbox table: events written in the same local transaction as the
/// business data, waiting for the `OutboxPublisher` to put them on the bus.
///
/// A row is marked published only after the bus accepted it, in a separate write;
/// a crash between the two (`after-publish`) leaves the row unpublished, so the
/// publisher sends it again: the outbox guarantees at-least-once, never exactly-once.
public struct Outbox: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        public var event: Event
        public var published: Bool
        public var publishedAt: Millis?
        /// How many times the publisher has handed this row to the bus.
        public var publishCount: Int
    }

    public private(set) var rows: [Row] = []

    public init() {}

    public mutating func append(_ event: Event) {
        rows.append(Row(event: event, published: false, publishedAt: nil, publishCount: 0))
    }

    public var unpublished: [Row] { rows.filter { !$0.published } }

    mutating func recordSend(_ eventId: String) {
        if let i = rows.firstIndex(where: { $0.event.id == eventId }) { rows[i].publishCount += 1 }
    }

    mutating func markPublished(_ eventId: String, at time: Millis) {
        if let i = rows.firstIndex(where: { $0.event.id == eventId }) {
            rows[i].published = true
            rows[i].publishedAt = time
        }
    }

    /// Age of the oldest unpublished row: the seeds' "outbox lag" metric.
    public func lag(now: Millis) -> Millis {
        guard let oldest = unpublished.map(\.event.createdAt).min() else { return 0 }
        return now - oldest
    }
}
