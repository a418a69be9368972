/// A service's outbox table: events written in the same local transaction as the
/// business data, waiting for the `OutboxPublisher` to put them on the bus.
///
/// A row is marked published only after the bus accepted it, in a separate write;
/// a crash between the two (`after-publish`) leaves the row unpublished, so the
/// publisher sends it again: the outbox guarantees at-least-once, never exactly-once.
///
/// The publisher sends rows in the order they were written and stops at the first it
/// could not mark, so the unpublished rows are always the table's tail: finding them
/// costs nothing however long the table grows.
public struct Outbox: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public var event: Event
        public var published: Bool
        public var publishedAt: Millis?
        /// How many times the publisher has handed this row to the bus.
        public var publishCount: Int
    }

    public private(set) var rows: [Row] = []
    /// Index of the first unpublished row: every row before it is published.
    private var firstUnpublished = 0
    /// Where each event id's row sits; derived from `rows`.
    private var index = Derived([String: Int]())

    public init() {}

    public mutating func append(_ event: Event) {
        index.value[event.id] = rows.count
        rows.append(Row(event: event, published: false, publishedAt: nil, publishCount: 0))
    }

    /// The rows not yet published, oldest first.
    public var unpublished: ArraySlice<Row> { rows[firstUnpublished...] }

    /// How many rows wait for the publisher.
    public var unpublishedCount: Int { rows.count - firstUnpublished }

    /// The row holding `eventId`, if this outbox has one.
    public func row(_ eventId: String) -> Row? {
        index.value[eventId].map { rows[$0] }
    }

    mutating func recordSend(_ eventId: String) {
        if let i = index.value[eventId] { rows[i].publishCount += 1 }
    }

    /// Marks the oldest unpublished row, which must hold `eventId`, as published.
    mutating func markPublished(_ eventId: String, at time: Millis) {
        guard let i = index.value[eventId], i == firstUnpublished else { return }
        rows[i].published = true
        rows[i].publishedAt = time
        firstUnpublished += 1
    }

    /// Age of the oldest unpublished row: the seeds' "outbox lag" metric.
    public func lag(now: Millis) -> Millis {
        guard let oldest = unpublished.map(\.event.createdAt).min() else { return 0 }
        return now - oldest
    }
}
