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
///
/// The table has two forms. While it holds few rows (every lesson, session and search),
/// each row is kept whole. Once it has held more than `compactFrom` (a range of thousands
/// of orders), a published row keeps its event's id alone, with when it was marked (a
/// byte or so, as a difference from the row before) and, only where it is not once, how
/// often it was sent: some five bytes where it took 48. The bus holds the event (a row is
/// marked published only once the bus has it), so the rows are read through the world
/// (`World.outboxRows`). The rows waiting are kept whole
/// in either form. Two tables are equal when their rows are, whatever their form.
public struct Outbox: Hashable, Sendable {
    public struct Row: Hashable, Sendable, DigestRow {
        // Laid out to take 40 bytes (an optional time and a full-width count made it 48
        // more): each event of a million orders leaves a row.
        public var event: Event
        /// When the row was marked published, `Row.never` while it is not.
        private var publishedTime: Millis = Row.never
        private var publishes: Int32 = 0
        public var published = false

        private static let never = Millis.min

        init(event: Event) { self.event = event }

        /// A published row kept in the compact form, its event read from the bus.
        fileprivate init(_ sent: Sent, event: Event) {
            self.event = event
            publishedTime = sent.publishedAt
            publishes = sent.publishes
            published = true
        }

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

        /// The row as the compact form keeps it once published.
        fileprivate var sent: Sent { Sent(publishedAt: publishedTime, event: event.id, publishes: publishes) }
    }

    /// A published row as the compact form reads it back from its columns: its event's id,
    /// when it was marked published and how often it was sent.
    struct Sent: Hashable, Sendable {
        var publishedAt: Millis
        var event: EventId
        var publishes: Int32
    }

    /// The rows kept whole: while the table is small, every row; once compact, the rows
    /// waiting from `firstUnpublished` on (those before it were published, moved to `sent`,
    /// and wait to be trimmed away).
    private var whole: [Row] = []
    /// Index in `whole` of the first unpublished row: every row before it is published.
    private var firstUnpublished = 0
    /// The compact form's published rows, oldest first, in columns: their events' ids,
    /// when each was marked, and how often each was sent where that is not once (by its
    /// place in the columns).
    private var sentEvents: [EventId] = []
    private var sentTimes = TimeColumn()
    private var sentPublishes: [Int32: Int32] = [:]
    /// Whether the table has taken its compact form.
    private var compact = false

    /// The most rows the table keeps whole; one more and it takes its compact form.
    static let compactFrom = 1024
    /// The fewest published rows left in `whole` before the compact form trims them.
    private static let trimFrom = 1024

    public init() {}

    /// Whether the table has taken its compact form.
    public var isCompact: Bool { compact }

    /// How many rows the table holds.
    public var count: Int { compact ? sentEvents.count + whole.count - firstUnpublished : whole.count }

    /// Room for rows without growing (once compact, for published rows), and for rows kept
    /// whole: for tests of `makeRoom`.
    var capacity: Int { compact ? sentEvents.capacity : whole.capacity }
    var wholeCapacity: Int { whole.capacity }

    /// Makes room for `n` more rows, in the form the table will have once they are written.
    mutating func makeRoom(_ n: Int) {
        if compact || count + n > Outbox.compactFrom {
            sentEvents.reserveCapacity(sentEvents.count + n)
            sentTimes.reserveCapacity(n)
            sentEvents.prefaultRoom()
        }
        whole.reserveCapacity(whole.count + n)
        whole.prefaultRoom()
    }

    @inline(__always)
    public mutating func append(_ event: Event) {
        assert(whole.last.map { $0.event.id < event.id } ?? true, "outbox rows are written in event order")
        whole.append(Row(event: event))
        whole.prefaultAhead(grewFrom: whole.count - 1)
        if !compact && whole.count > Outbox.compactFrom { compactify() }
    }

    /// Every row, oldest first, the published rows' events read through `event` once the
    /// table is compact. O(n): for views and tests.
    public func rows(events event: (EventId) -> Event?) -> [Row] {
        guard compact else { return whole }
        return sentRows.map { Row($0, event: event($0.event) ?? Outbox.unknown($0.event)) } + unpublished
    }

    /// The rows as the explorer's fingerprint hashes them: a compact table's published
    /// rows carry their event's id alone (the fingerprint hashes the event with the bus).
    var storedRows: [Row] { compact ? rows { _ in nil } : whole }

    /// Every row's event id, oldest first.
    var eventIds: [EventId] { compact ? sentEvents + unpublished.map(\.event.id) : whole.map(\.event.id) }

    /// What a row whose event the world cannot name carries: its id alone.
    private static func unknown(_ id: EventId) -> Event {
        Event(id: id, type: .orderCreated, orderId: .none, amount: 0, createdAt: 0)
    }

    /// The rows not yet published, oldest first.
    public var unpublished: ArraySlice<Row> { whole[firstUnpublished...] }

    /// The event of the oldest unpublished row: the next the publisher sends.
    public var nextToPublish: Event? { firstUnpublished < whole.count ? whole[firstUnpublished].event : nil }

    /// When the oldest row was published, if it was: the first to expire.
    var oldestPublishedAt: Millis? {
        if compact { return sentTimes.first }
        return firstUnpublished > 0 ? whole[0].publishedAt : nil
    }

    /// How many rows wait for the publisher.
    public var unpublishedCount: Int { whole.count - firstUnpublished }

    /// The row holding `eventId`, if this outbox has one, a published row's event read
    /// through `event` once the table is compact.
    public func row(_ eventId: EventId, events event: (EventId) -> Event?) -> Row? {
        if let i = Outbox.position(of: eventId, in: whole, from: compact ? firstUnpublished : 0, by: \.event.id) {
            return whole[i]
        }
        guard compact, let i = Outbox.position(of: eventId, in: sentEvents, from: 0, by: { $0 }) else { return nil }
        return Row(sent(at: i), event: event(eventId) ?? Outbox.unknown(eventId))
    }

    /// The event of the row holding `eventId`, where the table keeps the row whole: any
    /// row while it is small, a row waiting once it is compact.
    func keptEvent(_ eventId: EventId) -> Event? {
        Outbox.position(of: eventId, in: whole, from: compact ? firstUnpublished : 0, by: \.event.id).map { whole[$0].event }
    }

    /// Rows are written in the order their events were made, so their ids ascend: a binary
    /// search finds one.
    private static func position<T>(of eventId: EventId, in rows: [T], from start: Int, by id: (T) -> EventId) -> Int? {
        var low = start
        var high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if id(rows[mid]) < eventId { low = mid + 1 } else { high = mid }
        }
        return low < rows.count && id(rows[low]) == eventId ? low : nil
    }

    @inline(__always)
    mutating func recordSend(_ eventId: EventId) {
        if firstUnpublished < whole.count, whole[firstUnpublished].event.id == eventId {
            whole[firstUnpublished].publishCount += 1
        } else if let i = Outbox.position(of: eventId, in: whole, from: compact ? firstUnpublished : 0, by: \.event.id) {
            whole[i].publishCount += 1
        } else if compact, let i = Outbox.position(of: eventId, in: sentEvents, from: 0, by: { $0 }) {
            let publishes = sentPublishes[Int32(i)] ?? 1
            setPublishes(publishes == Int32.max ? Int32.max : publishes + 1, at: i)
        }
    }

    /// Marks the oldest unpublished row, which must hold `eventId`, as published. A
    /// publisher's poll that marks many leaves the table untrimmed (`trims: false`) and
    /// trims it once at its end (`trimIfDue`): trimmed as it went, it moved the rows still
    /// waiting to the front again and again.
    @inline(__always)
    mutating func markPublished(_ eventId: EventId, at time: Millis, trims: Bool = true) {
        guard firstUnpublished < whole.count, whole[firstUnpublished].event.id == eventId else { return }
        let i = firstUnpublished
        whole[i].published = true
        whole[i].publishedAt = time
        firstUnpublished += 1
        guard compact else { return }
        appendSent(whole[i].sent)
        if trims { trimIfDue() }
    }

    /// `recordSend` then `markPublished` for the oldest unpublished row, in one write: what
    /// the publisher does with a row whose send nothing interrupted.
    /// A compact table's published rows live in its columns alone: the row kept whole is
    /// left as it was, since nothing reads the rows before `firstUnpublished` again before
    /// they are trimmed.
    @inline(__always)
    mutating func markSentAndPublished(_ eventId: EventId, at time: Millis, trims: Bool = true) {
        let i = firstUnpublished
        guard i < whole.count, whole[i].event.id == eventId else {
            recordSend(eventId)
            markPublished(eventId, at: time, trims: trims)
            return
        }
        firstUnpublished = i + 1
        let publishes = Int32(clamping: whole[i].publishCount + 1)
        guard compact else {
            whole[i].publishCount = Int(publishes)
            whole[i].published = true
            whole[i].publishedAt = time
            return
        }
        appendSent(Sent(publishedAt: time, event: eventId, publishes: publishes))
        if trims { trimIfDue() }
    }

    /// Drops the published rows kept whole once they are at least half of them.
    @inline(__always)
    mutating func trimIfDue() {
        if compact && firstUnpublished >= Outbox.trimFrom && 2 * firstUnpublished >= whole.count { trim() }
    }

    /// Deletes the published rows whose time to live ran out, as DynamoDB's TTL deletes
    /// items some time after they expire. Rows are published in order, so the expired ones
    /// are a prefix of the table. Returns how many went.
    @discardableResult
    mutating func expire(now: Millis, ttl: Millis) -> Int {
        var count = 0
        if compact {
            for time in sentTimes {
                guard time + ttl <= now else { break }
                count += 1
            }
            guard count > 0 else { return 0 }
            sentEvents.removeFirst(count)
            sentTimes.removeFirst(count)
            let again = sentPublishes
            sentPublishes = [:]
            for (position, publishes) in again where Int(position) >= count { sentPublishes[position - Int32(count)] = publishes }
            return count
        }
        while count < firstUnpublished, let at = whole[count].publishedAt, at + ttl <= now { count += 1 }
        guard count > 0 else { return 0 }
        whole.removeFirst(count)
        firstUnpublished -= count
        return count
    }

    /// The rows a read sees at `now`: expired rows not deleted yet are filtered out, as a
    /// DynamoDB reader filters on the TTL attribute.
    public func live(now: Millis, ttl: Millis, events event: (EventId) -> Event?) -> [Row] {
        rows(events: event).filter { row in row.publishedAt.map { $0 + ttl > now } ?? true }
    }

    /// Age of the oldest unpublished row: the seeds' "outbox lag" metric.
    public func lag(now: Millis) -> Millis {
        guard let oldest = unpublished.map(\.event.createdAt).min() else { return 0 }
        return now - oldest
    }

    /// Takes the compact form: the published rows keep their event's id alone (in the room
    /// `makeRoom` made, if it did).
    private mutating func compactify() {
        for row in whole[..<firstUnpublished] { appendSent(row.sent) }
        compact = true
        if firstUnpublished > 0 { trim() }
    }

    /// Drops the published rows from `whole`. With none waiting (a poll published them
    /// all), the storage stays for the next batch, which would otherwise grow it again by
    /// doubling, copying its rows into pages touched for the first time: for a million
    /// orders some 30 000 page faults fewer, and the peak some 90 MB higher, as each outbox
    /// keeps the room of its largest batch. Otherwise the storage is given back when the
    /// rows waiting take a small part of it (a range's first events wait all at once).
    private mutating func trim() {
        let waiting = whole.count - firstUnpublished
        if waiting == 0 {
            whole.removeAll(keepingCapacity: true)
            firstUnpublished = 0
            return
        }
        if whole.capacity > 8 * Swift.max(waiting, Outbox.trimFrom) {
            var kept: [Row] = []
            kept.reserveCapacity(2 * Swift.max(waiting, Outbox.trimFrom))
            kept.append(contentsOf: whole[firstUnpublished...])
            whole = kept
        } else {
            whole.removeFirst(firstUnpublished)
        }
        firstUnpublished = 0
    }

    /// Adds a published row to the compact form's columns.
    @inline(__always)
    private mutating func appendSent(_ row: Sent) {
        sentEvents.append(row.event)
        sentTimes.append(row.publishedAt)
        sentEvents.prefaultAhead(grewFrom: sentEvents.count - 1)
        if row.publishes != 1 { sentPublishes[Int32(sentEvents.count - 1)] = row.publishes }
    }

    /// Sets how often the compact form's published row at `position` was sent.
    private mutating func setPublishes(_ publishes: Int32, at position: Int) {
        sentPublishes[Int32(position)] = publishes == 1 ? nil : publishes
    }

    /// The compact form's published row at `position`.
    private func sent(at position: Int) -> Sent {
        Sent(publishedAt: sentTimes[position], event: sentEvents[position], publishes: sentPublishes[Int32(position)] ?? 1)
    }

    /// The published rows, as the compact form keeps them, whatever the form.
    private var sentRows: [Sent] {
        guard compact else { return whole[..<firstUnpublished].map(\.sent) }
        return zip(sentEvents.indices, sentTimes).map { position, time in
            Sent(publishedAt: time, event: sentEvents[position], publishes: sentPublishes[Int32(position)] ?? 1)
        }
    }

    /// How many rows are published, whatever the form.
    private var sentCount: Int { compact ? sentEvents.count : firstUnpublished }

    /// Equal when the rows are, whatever the form: a published row by its event's id (the
    /// bus holds the event), when it was marked and how often it was sent.
    public static func == (a: Outbox, b: Outbox) -> Bool {
        guard a.count == b.count, a.sentCount == b.sentCount, a.unpublished.elementsEqual(b.unpublished) else { return false }
        if a.compact && b.compact {
            return a.sentEvents == b.sentEvents && a.sentTimes == b.sentTimes && a.sentPublishes == b.sentPublishes
        }
        return a.sentRows == b.sentRows
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sentCount)
        if compact {
            for (position, time) in sentTimes.enumerated() {
                hasher.combine(Sent(publishedAt: time, event: sentEvents[position], publishes: sentPublishes[Int32(position)] ?? 1))
            }
        } else {
            for row in whole[..<firstUnpublished] { hasher.combine(row.sent) }
        }
        hasher.combine(unpublishedCount)
        for row in unpublished { hasher.combine(row) }
    }
}

extension World {
    /// Every row of `service`'s outbox, oldest first, its published events read from the bus.
    public func outboxRows(of service: ServiceName) -> [Outbox.Row] {
        node(service).outbox.rows { event($0) }
    }

    /// The rows of `service`'s outbox a read sees now (see `Outbox.live`).
    public func liveOutboxRows(of service: ServiceName) -> [Outbox.Row] {
        node(service).outbox.live(now: now, ttl: settings.outboxTTL) { event($0) }
    }
}
