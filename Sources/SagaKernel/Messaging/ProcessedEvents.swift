/// A consumer's processed-events table (the seeds' idempotency-keys table): one row per
/// event id handled, kept for a TTL of virtual time (7 days by default). A participant
/// records the orchestrator's calls here too, by their idempotency token, with the
/// outcome it answered, so a retried call gets the first answer instead of a second effect.
///
/// Expired rows are treated as absent, so a duplicate that arrives after the TTL is
/// processed again, exactly as with a DynamoDB TTL. Finding an event's mark costs O(1).
///
/// The table has two forms, one a function of how many marks it holds. While they are
/// few (every lesson, session and search), each mark is kept whole, in the order it was
/// written. Past `compactFrom` of them (a range of thousands of orders), an event's mark
/// is its time alone, two bytes at the event's number: its type and order are the
/// event's, which the bus keeps, so the rows are read through the world
/// (`World.processedRows`), and they list by time. A million orders leave some eleven
/// million marks, which took 24 bytes each and a slot of four, then four bytes at their
/// event's number, in a table as long as the events are many at each of five consumers.
///
/// The two bytes are the time's distance from a base its block of 256 event numbers
/// shares: the earliest of the block's marks, rounded down to a multiple of `baseStep`. A
/// consumer marks an event a little after it was made, and neighbouring numbers were made
/// together, so the distances are short; a mark more than a minute from its block's base
/// is kept apart, in `farTimes`. The bases and which marks are kept apart follow from the
/// marks alone, so equal tables are equal values.
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

    /// A row as stored whole: half the size of `Row`. The type of a call's row is its
    /// task, named by the key; a call's answer waits in `outcomes`.
    struct Mark: Hashable, Sendable, DigestRow {
        // In this order, 24 bytes (the key after the time took 40).
        var processedAt: Millis
        var orderId: OrderId
        var key: ProcessedKey
        /// The event's type; nil for a call, and for an event's mark the compact form
        /// holds (see `storedMarks`).
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

    /// The marks kept whole: every mark while the table is small, in the order they were
    /// written (a re-mark moves a row to the end); once compact, the calls' marks.
    private var marks: [Mark] = []
    /// What the participant answered to each call it marked.
    private var outcomes: [ProcessedKey: TaskOutcome] = [:]
    /// Whether the table is in its compact form: it holds more than `compactFrom` marks.
    private var compact = false
    /// The compact form's event marks: at index N, the mark of `evt-N` as its distance from
    /// its block's base + 1, 0 for none, `kept apart` for one in `farTimes`. Empty while
    /// the table is small.
    private var eventTimes: [UInt16] = []
    /// The base of each block of `blockSize` event numbers (see the type's comment), or
    /// `noBase` for a block without marks.
    private var bases: [Millis] = []
    /// The times of the compact form's event marks too far from their block's base, by
    /// event number.
    private var farTimes: [Int32: Millis] = [:]
    /// How many event marks the compact form holds.
    private var compactCount = 0
    /// While small: where the row of event `evt-N` sits in `marks`, at index N (-1: none).
    /// Event ids are handed out in sequence, so a plain array finds a mark without hashing.
    /// Derived from `marks`, and built only past `scanLimit` of them.
    private var eventSlot = Derived([Int32]())
    /// Where the row of each call's token sits in `marks` (once compact, of every mark
    /// kept whole). Derived from `marks`, and built only past `scanLimit` of them.
    private var tokenSlot = Derived([ProcessedKey: Int32]())

    /// The most marks found by reading them all rather than through the slots. The
    /// explorer's worlds hold a few marks per consumer, and every step it tries that marks
    /// one copied the slots as well: an array more to allocate, fill and free per state.
    static let scanLimit = 16
    /// The most marks the table keeps whole; one more and it takes its compact form.
    static let compactFrom = 1024
    /// What `eventTimes` holds for an event whose mark is in `farTimes`.
    private static let keptApart = UInt16.max
    /// A block holds the marks of this many consecutive event numbers (a power of two).
    private static let blockShift = 8
    /// Bases are multiples of this many milliseconds: a block's base moves only when one of
    /// its marks is earlier than every other by a step or more.
    private static let baseStep: Millis = 32_768
    /// What `bases` holds for a block without marks.
    private static let noBase = Millis.min

    public init() {}

    /// The base a block whose earliest mark is `time` takes.
    @inline(__always)
    private static func base(for time: Millis) -> Millis {
        time >= 0 ? time / baseStep * baseStep : ((time + 1) / baseStep - 1) * baseStep
    }

    /// A time as `eventTimes` holds it from `base`, if it is near enough: the distance + 1,
    /// short of `keptApart`.
    @inline(__always)
    private static func packed(_ time: Millis, from base: Millis) -> UInt16? {
        let distance = time &- base
        return distance >= 0 && distance < Millis(keptApart) - 1 ? UInt16(distance + 1) : nil
    }

    /// Whether the table is in its compact form (more than `compactFrom` marks).
    public var isCompact: Bool { compact }

    /// How many rows there are, expired ones included.
    public var count: Int { marks.count + compactCount }

    /// Every row's key, in no particular order. O(n).
    public var keys: [ProcessedKey] {
        var keys = marks.map(\.key)
        for (n, time) in eventTimes.enumerated() where time != 0 { keys.append(.event(EventId(number: Int32(n)))) }
        return keys
    }

    /// Every row, in the order they were marked (once compact, by time), its event's type
    /// and order read through `event`. O(n): for views and tests.
    public func rows(events event: (EventId) -> Event?) -> [Row] {
        listed(event).map(row)
    }

    /// Rows still within the TTL, as `rows(events:)` lists them.
    public func live(now: Millis, ttl: Millis, events event: (EventId) -> Event?) -> [Row] {
        listed(event).filter { now - $0.processedAt < ttl }.map(row)
    }

    /// The marks as the explorer's fingerprint hashes them, and the calls' answers. An
    /// event's mark in the compact form carries its key and time but no type or order:
    /// those are its event's, which the fingerprint hashes with the bus.
    var storedMarks: [Mark] { compact ? listed { _ in nil } : marks }
    var callOutcomes: [ProcessedKey: TaskOutcome] { outcomes }

    /// Every mark, whole, in the order the rows list: as written while small; once compact,
    /// by time (ties: the calls first, in their order, then the events by number).
    private func listed(_ event: (EventId) -> Event?) -> [Mark] {
        guard compact else { return marks }
        var all = marks
        all.reserveCapacity(count)
        for n in eventTimes.indices where eventTimes[n] != 0 {
            let id = EventId(number: Int32(n))
            let found = event(id)
            all.append(Mark(processedAt: compactTime(n)!, orderId: found?.orderId ?? .none, key: .event(id),
                            eventType: found?.type))
        }
        let order = all.indices.sorted { (all[$0].processedAt, $0) < (all[$1].processedAt, $1) }
        return order.map { all[$0] }
    }

    /// When the mark of `key` was written, whether or not it has outlived the TTL; nil when
    /// there is none. A read treats an expired mark as absent, and a consumer that finds one
    /// says so (`MessageHappening.markExpired`).
    @inline(__always)
    func markedAt(_ key: ProcessedKey) -> Millis? {
        if compact, case .event(let id) = key { return compactTime(Int(id.number)) }
        return slot(key).map { marks[$0].processedAt }
    }

    /// The compact form's mark of `evt-n`, if it has one.
    @inline(__always)
    private func compactTime(_ n: Int) -> Millis? {
        guard n >= 0, n < eventTimes.count else { return nil }
        switch eventTimes[n] {
        case 0: return nil
        case ProcessedEvents.keptApart: return farTimes[Int32(n)]
        case let distance: return bases[n >> ProcessedEvents.blockShift] + Millis(distance) - 1
        }
    }

    /// Writes the compact form's mark of `evt-n` at `time`, a first mark or a new time for
    /// one, keeping its block's base the earliest mark's, rounded down.
    @inline(__always)
    private mutating func setCompactTime(_ n: Int, _ time: Millis) {
        let block = n >> ProcessedEvents.blockShift
        eventTimes.grow(toInclude: n, with: 0)
        bases.grow(toInclude: block, with: ProcessedEvents.noBase)
        // The commonest: a first mark in a block with a base no later than its own, near
        // enough to it to fit in two bytes.
        let base = bases[block]
        if eventTimes[n] == 0, base != ProcessedEvents.noBase, ProcessedEvents.base(for: time) >= base,
           let packed = ProcessedEvents.packed(time, from: base) {
            eventTimes[n] = packed
            compactCount += 1
            return
        }
        setCompactTimeApart(n, time)
    }

    /// `setCompactTime` for every other mark: a new time for one, the first of its block,
    /// one that moves its block's base or lies too far from it.
    @inline(never)
    private mutating func setCompactTimeApart(_ n: Int, _ time: Millis) {
        let block = n >> ProcessedEvents.blockShift
        let old = compactTime(n)
        if old == nil { compactCount += 1 }
        let base = bases[block]
        let newBase = ProcessedEvents.base(for: time)
        if base == ProcessedEvents.noBase {
            bases[block] = newBase
        } else if newBase < base || (old.map { ProcessedEvents.base(for: $0) == base } ?? false && newBase != base) {
            // The block's earliest mark may change: every mark in it is placed again.
            place(n, time, from: base)
            settle(block)
            return
        }
        place(n, time, from: bases[block])
    }

    /// Puts `evt-n`'s mark in `eventTimes` as its distance from `base`, or in `farTimes`.
    @inline(__always)
    private mutating func place(_ n: Int, _ time: Millis, from base: Millis) {
        if let packed = ProcessedEvents.packed(time, from: base) {
            if eventTimes[n] == ProcessedEvents.keptApart { farTimes[Int32(n)] = nil }
            eventTimes[n] = packed
        } else {
            eventTimes[n] = ProcessedEvents.keptApart
            farTimes[Int32(n)] = time
        }
    }

    /// Gives `block` the base its earliest mark calls for, and places its marks from it.
    private mutating func settle(_ block: Int) {
        let first = block << ProcessedEvents.blockShift
        let numbers = first..<Swift.min(first + (1 << ProcessedEvents.blockShift), eventTimes.count)
        let times = numbers.map { compactTime($0) }
        guard let earliest = times.compactMap({ $0 }).min() else {
            bases[block] = ProcessedEvents.noBase
            return
        }
        let base = ProcessedEvents.base(for: earliest)
        bases[block] = base
        for (n, time) in zip(numbers, times) {
            if let time { place(n, time, from: base) }
        }
    }

    public func contains(_ eventId: EventId, now: Millis, ttl: Millis) -> Bool {
        guard let at = markedAt(.event(eventId)) else { return false }
        return now - at < ttl
    }

    mutating func mark(_ event: Event, at time: Millis) {
        mark(event.id, event.type, event.orderId, at: time)
    }

    @inline(__always)
    mutating func mark(_ id: EventId, _ type: EventType, _ orderId: OrderId, at time: Millis) {
        if compact {
            setCompactTime(Int(id.number), time)
            return
        }
        insert(Mark(processedAt: time, orderId: orderId, key: .event(id), eventType: type))
    }

    mutating func mark(_ call: TaskCall, _ outcome: TaskOutcome, at time: Millis) {
        outcomes[call.token] = outcome
        insert(Mark(processedAt: time, orderId: call.order.orderId, key: call.token, eventType: nil))
    }

    /// Drops every event's mark and keeps the calls' (`rebuild` writes the marks anew).
    mutating func dropEventMarks() {
        marks.removeAll { if case .event = $0.key { return true } else { return false } }
        eventTimes = []
        bases = []
        farTimes = [:]
        compactCount = 0
        compact = marks.count > ProcessedEvents.compactFrom
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
    func prefetch(_ event: EventId) {
        if compact { eventTimes.prefetch(Int(event.number)) } else { eventSlot.value.prefetch(Int(event.number)) }
    }

    /// Where `key`'s mark sits in `marks`, if it is kept whole.
    private func slot(_ key: ProcessedKey) -> Int? {
        if marks.count <= ProcessedEvents.scanLimit { return marks.firstIndex { $0.key == key } }
        let found: Int32?
        if !compact, case .event(let id) = key {
            found = Int(id.number) < eventSlot.value.count ? eventSlot.value[Int(id.number)] : nil
        } else {
            found = tokenSlot.value[key]
        }
        guard let found, found >= 0 else { return nil }
        return Int(found)
    }

    /// Makes room for `n` more marks, of events numbered up to `lastEvent`: in the form the
    /// table will have once they are written.
    mutating func makeRoom(_ n: Int, lastEvent: Int) {
        if compact || count + n > ProcessedEvents.compactFrom {
            eventTimes.reserveCapacity(lastEvent + 1)
            bases.reserveCapacity((lastEvent >> ProcessedEvents.blockShift) + 1)
        } else {
            marks.reserveCapacity(marks.count + n)
            eventSlot.value.reserveCapacity(lastEvent + 1)
        }
    }

    private mutating func insert(_ mark: Mark) {
        if let old = slot(mark.key) {
            marks.remove(at: old)
            marks.append(mark)
            reindex()
            return
        }
        marks.append(mark)
        if !compact && marks.count > ProcessedEvents.compactFrom {
            compactify()
        } else if marks.count == ProcessedEvents.scanLimit + 1 {
            reindex()
        } else if marks.count > ProcessedEvents.scanLimit {
            index(mark.key, at: marks.count - 1)
        }
    }

    /// Takes the compact form: every event's mark moves to `eventTimes` (or `farTimes`).
    private mutating func compactify() {
        var calls: [Mark] = []
        let all = marks
        marks = []
        compact = true
        for mark in all {
            guard case .event(let id) = mark.key else {
                calls.append(mark)
                continue
            }
            setCompactTime(Int(id.number), mark.processedAt)
        }
        marks = calls
        reindex()
    }

    private mutating func index(_ key: ProcessedKey, at position: Int) {
        guard !compact, case .event(let id) = key else {
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

    /// The live row for an event or a call's token, if any, its event's type and order
    /// read through `event`.
    public func row(_ key: ProcessedKey, now: Millis, ttl: Millis, events event: (EventId) -> Event?) -> Row? {
        guard let at = markedAt(key), now - at < ttl else { return nil }
        if let whole = slot(key) { return row(marks[whole]) }
        guard case .event(let id) = key else { return nil }
        let found = event(id)
        return row(Mark(processedAt: at, orderId: found?.orderId ?? .none, key: key, eventType: found?.type))
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

extension World {
    /// Every row of `service`'s processed-events table, its events' types and orders read
    /// from the bus (see `ProcessedEvents`).
    public func processedRows(of service: ServiceName) -> [ProcessedEvents.Row] {
        node(service).processed.rows { event($0) }
    }

    /// The rows of `service`'s processed-events table still within the TTL.
    public func liveProcessedRows(of service: ServiceName) -> [ProcessedEvents.Row] {
        node(service).processed.live(now: now, ttl: settings.processedTTL) { event($0) }
    }
}
