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
    public struct Row: Hashable, Sendable, DigestRow {
        // Laid out to take 48 bytes (an optional time and a full-width count made it 56):
        // each event of a million orders leaves a row.
        public var event: Event
        /// When the row was marked published, `Row.never` while it is not.
        private var publishedTime: Millis = Row.never
        private var publishes: Int32 = 0
        public var published = false

        private static let never = Millis.min

        init(event: Event) { self.event = event }

        /// The event and whether the row is marked published. When it was marked and how
        /// often the publisher sent it are the learner's to read (`show outbox`): no
        /// behaviour reads them, so the explorer counts rows that differ only there as one.
        func digest<H: WordHasher>(into hasher: inout H) {
            event.digest(into: &hasher)
            hasher.combineWord(published ? 1 : 0)
        }

        /// How many times the publisher has handed this row to the bus.
        public var publishCount: Int {
            get { Int(publishes) }
            set { publishes = Int32(clamping: newValue) }
        }

        public var publishedAt: Millis? {
            get { publishedTime == Row.never ? nil : publishedTime }
            set { publishedTime = newValue ?? Row.never }
        }
    }

    public private(set) var rows: [Row] = []
    /// Index of the first unpublished row: every row before it is published.
    private var firstUnpublished = 0

    public init() {}

    /// Makes room for `n` more rows.
    mutating func makeRoom(_ n: Int) { rows.reserveCapacity(rows.count + n) }

    public mutating func append(_ event: Event) {
        assert(rows.last.map { $0.event.id < event.id } ?? true, "outbox rows are written in event order")
        rows.append(Row(event: event))
    }

    /// The rows not yet published, oldest first.
    public var unpublished: ArraySlice<Row> { rows[firstUnpublished...] }

    /// The event of the oldest unpublished row: the next the publisher sends.
    public var nextToPublish: Event? { firstUnpublished < rows.count ? rows[firstUnpublished].event : nil }

    /// The order of the unpublished row `k` places after the next one, if there is such a
    /// row: what the publisher hints at while it sends the rows before it.
    func orderOfRow(ahead k: Int) -> OrderId? {
        let index = firstUnpublished + k
        return index < rows.count ? rows[index].event.orderId : nil
    }

    /// When the oldest row was published, if it was: the first to expire.
    var oldestPublishedAt: Millis? { rows.isEmpty ? nil : rows[0].publishedAt }

    /// How many rows wait for the publisher.
    public var unpublishedCount: Int { rows.count - firstUnpublished }

    /// The row holding `eventId`, if this outbox has one.
    public func row(_ eventId: EventId) -> Row? {
        position(of: eventId).map { rows[$0] }
    }

    /// Rows are written in the order their events were made, so their ids ascend: a binary
    /// search finds one.
    private func position(of eventId: EventId) -> Int? {
        var low = 0
        var high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if rows[mid].event.id < eventId { low = mid + 1 } else { high = mid }
        }
        return low < rows.count && rows[low].event.id == eventId ? low : nil
    }

    mutating func recordSend(_ eventId: EventId) {
        if firstUnpublished < rows.count, rows[firstUnpublished].event.id == eventId {
            rows[firstUnpublished].publishCount += 1
        } else if let i = position(of: eventId) {
            rows[i].publishCount += 1
        }
    }

    /// Marks the oldest unpublished row, which must hold `eventId`, as published.
    mutating func markPublished(_ eventId: EventId, at time: Millis) {
        guard firstUnpublished < rows.count, rows[firstUnpublished].event.id == eventId else { return }
        let i = firstUnpublished
        rows[i].published = true
        rows[i].publishedAt = time
        firstUnpublished += 1
    }

    /// Deletes the published rows whose time to live ran out, as DynamoDB's TTL deletes
    /// items some time after they expire. Rows are published in order, so the expired ones
    /// are a prefix of the table. Returns how many went.
    @discardableResult
    mutating func expire(now: Millis, ttl: Millis) -> Int {
        var count = 0
        while count < firstUnpublished, let at = rows[count].publishedAt, at + ttl <= now { count += 1 }
        guard count > 0 else { return 0 }
        rows.removeFirst(count)
        firstUnpublished -= count
        return count
    }

    /// The rows a read sees at `now`: expired rows not deleted yet are filtered out, as a
    /// DynamoDB reader filters on the TTL attribute.
    public func live(now: Millis, ttl: Millis) -> [Row] {
        rows.filter { row in row.publishedAt.map { $0 + ttl > now } ?? true }
    }

    /// Age of the oldest unpublished row: the seeds' "outbox lag" metric.
    public func lag(now: Millis) -> Millis {
        guard let oldest = unpublished.map(\.event.createdAt).min() else { return 0 }
        return now - oldest
    }
}
