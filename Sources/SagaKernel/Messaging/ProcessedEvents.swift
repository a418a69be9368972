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

    /// A row as stored: half the size of `Row`, because a consumer keeps one per event it
    /// handled and a million orders leave millions. The type of a call's row is its task,
    /// named by the key; a call's answer waits in `outcomes`.
    struct Mark: Hashable, Sendable, DigestRow {
        // In this order, 24 bytes (the key after the time took 40).
        var processedAt: Millis
        var orderId: OrderId
        var key: ProcessedKey
        /// The event's type; nil for a call.
        var eventType: EventType?

        /// Every field in three words.
        func digest<H: WordHasher>(into hasher: inout H) {
            hasher.combineWord(UInt64(bitPattern: Int64(processedAt)))
            hasher.combineWord(hasher.orderNumber(orderId) | UInt64(eventType.map { $0.tag + 1 } ?? 0) << 32)
            let keyWord: UInt64 = switch key {
            case .event(let id): 1 | hasher.eventNumber(id) << 16
            case .call(let order, let task): 2 | UInt64(task.tag) << 8 | hasher.orderNumber(order) << 16
            case .callAgain(let order, let task, let run):
                3 | UInt64(task.tag) << 8 | hasher.orderNumber(order) << 16 | UInt64(UInt16(bitPattern: run)) << 48
            }
            hasher.combineWord(keyWord)
        }
    }

    /// The rows in the order they were marked; a re-mark moves a row to the end.
    private var marks: [Mark] = []
    /// What the participant answered to each call it marked.
    private var outcomes: [ProcessedKey: TaskOutcome] = [:]
    /// Where the row of event `evt-N` sits in `marks`, at index N (-1: none). Event ids are
    /// handed out in sequence, so a plain array finds a mark without hashing. Derived from
    /// `marks`, and built only past `scanLimit` of them.
    private var eventSlot = Derived([Int32]())
    /// Where the row of each call's token sits in `marks`. Derived from `marks`, and built
    /// only past `scanLimit` of them.
    private var tokenSlot = Derived([ProcessedKey: Int32]())

    /// The most marks found by reading them all rather than through the slots. The
    /// explorer's worlds hold a few marks per consumer, and every step it tries that marks
    /// one copied the slots as well: an array more to allocate, fill and free per state.
    static let scanLimit = 16

    public init() {}

    /// Every row, in the order they were marked. O(n): for views and tests.
    public var rows: [Row] { marks.map(row) }

    /// The marks as stored, and the calls' answers: what the explorer's fingerprint hashes,
    /// without building rows.
    var storedMarks: [Mark] { marks }
    var callOutcomes: [ProcessedKey: TaskOutcome] { outcomes }

    /// How many rows there are, expired ones included.
    public var count: Int { marks.count }

    /// When the mark of `key` was written, whether or not it has outlived the TTL; nil when
    /// there is none. A read treats an expired mark as absent, and a consumer that finds one
    /// says so (`MessageHappening.markExpired`).
    func markedAt(_ key: ProcessedKey) -> Millis? {
        slot(key).map { marks[$0].processedAt }
    }

    public func contains(_ eventId: EventId, now: Millis, ttl: Millis) -> Bool {
        guard let at = slot(.event(eventId)) else { return false }
        return now - marks[at].processedAt < ttl
    }

    mutating func mark(_ event: Event, at time: Millis) {
        mark(event.id, event.type, event.orderId, at: time)
    }

    mutating func mark(_ id: EventId, _ type: EventType, _ orderId: OrderId, at time: Millis) {
        insert(Mark(processedAt: time, orderId: orderId, key: .event(id), eventType: type))
    }

    mutating func mark(_ call: TaskCall, _ outcome: TaskOutcome, at time: Millis) {
        outcomes[call.token] = outcome
        insert(Mark(processedAt: time, orderId: call.order.orderId, key: call.token, eventType: nil))
    }

    /// Drops every event's mark and keeps the calls' (`rebuild` writes the marks anew).
    mutating func dropEventMarks() {
        marks.removeAll { if case .event = $0.key { return true } else { return false } }
        reindex()
    }

    private func row(_ mark: Mark) -> Row {
        let type: String
        switch mark.key {
        case .event: type = mark.eventType?.rawValue ?? ""
        case .call(_, let task), .callAgain(_, let task, _): type = task.rawValue
        }
        return Row(key: mark.key, type: type, orderId: mark.orderId, processedAt: mark.processedAt,
                   outcome: outcomes[mark.key])
    }

    /// Hints where the mark of `event` will be looked for (`World.prefetchRows`).
    @inline(__always)
    func prefetch(_ event: EventId) { eventSlot.value.prefetch(Int(event.number)) }

    private func slot(_ key: ProcessedKey) -> Int? {
        if marks.count <= ProcessedEvents.scanLimit { return marks.firstIndex { $0.key == key } }
        let found: Int32?
        if case .event(let id) = key {
            found = Int(id.number) < eventSlot.value.count ? eventSlot.value[Int(id.number)] : nil
        } else {
            found = tokenSlot.value[key]
        }
        guard let found, found >= 0 else { return nil }
        return Int(found)
    }

    /// Makes room for `n` more marks, of events numbered up to `lastEvent`.
    mutating func makeRoom(_ n: Int, lastEvent: Int) {
        marks.reserveCapacity(marks.count + n)
        eventSlot.value.reserveCapacity(lastEvent + 1)
    }

    private mutating func insert(_ mark: Mark) {
        if let old = slot(mark.key) {
            marks.remove(at: old)
            marks.append(mark)
            reindex()
            return
        }
        marks.append(mark)
        if marks.count == ProcessedEvents.scanLimit + 1 {
            reindex()
        } else if marks.count > ProcessedEvents.scanLimit {
            index(mark.key, at: marks.count - 1)
        }
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

    /// Builds the slots from the marks, or leaves them empty while the marks are few.
    private mutating func reindex() {
        eventSlot.value = []
        tokenSlot.value = [:]
        guard marks.count > ProcessedEvents.scanLimit else { return }
        for (position, mark) in marks.enumerated() { index(mark.key, at: position) }
    }

    /// The live row for an event or a call's token, if any.
    public func row(_ key: ProcessedKey, now: Millis, ttl: Millis) -> Row? {
        guard let at = slot(key), now - marks[at].processedAt < ttl else { return nil }
        return row(marks[at])
    }

    /// Rows still within the TTL.
    public func live(now: Millis, ttl: Millis) -> [Row] {
        marks.filter { now - $0.processedAt < ttl }.map(row)
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
    case callAgain(OrderId, SagaTask, run: Int16)

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
