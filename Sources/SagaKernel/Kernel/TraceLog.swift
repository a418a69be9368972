/// The trace's storage: entries in fixed-size chunks, so that a copy of the world (a
/// snapshot for `undo` and `goto`) shares every full chunk with the world it came from.
///
/// An array would be copied whole the first time either copy appended to it, which would
/// make keeping snapshots of a long session cost as much as the session. Here an append
/// copies at most the last chunk (and, while entries are kept as values, the list of
/// chunks). Chunks are always full but the last.
///
/// The first 1 024 chunks (524 288 entries) are kept as `TraceEntry` values, the quickest to
/// append and read: no session, lesson or search a learner plays comes near them, and a
/// run of 20 000 orders barely passes them. The chunks after
/// them are packed into bytes as their entries are logged (`PackedTraceChunk`, a quarter of
/// the memory), which is what lets a million orders' 25 million entries fit. A packed chunk
/// holds as many entries as fit in `PackedTraceChunk.byteCapacity` bytes, some 1 300, so
/// the packed chunks are found by where each begins (`packedStarts`). Once the trace
/// reaches `repackFrom` entries (eight times as many, a run of some 150 000 orders), the
/// chunks kept as values are packed too, 20 MB less for a range of a million; a trace cut
/// back below it (`removeLast`) is written again as if it had never reached it. Which
/// chunks are packed depends on their place and the count alone, so equal contents always
/// have equal chunks, and equality and hashing come from the compiler. The explorer copies
/// a world (and so this value) for every state it visits: the sealed packed chunks cost it
/// one reference more, and the open one, always empty there, three (`open`).
public struct TraceLog: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    static let chunkSize = 512

    /// How many entries are kept as values before the packed ones begin: a whole number of
    /// chunks.
    let packedFrom: Int
    /// How many entries the trace holds when its chunks kept as values are packed too.
    let repackFrom: Int
    /// The chunks of entries kept as values; the last is open for appends until the
    /// packed chunks begin. Empty once the trace has reached `repackFrom`.
    private var chunks: [[TraceEntry]] = []
    /// The sealed packed chunks after them (all the sealed chunks, once the trace has
    /// reached `repackFrom`).
    private var packed: [PackedTraceChunk] = []
    /// The position of each sealed packed chunk's first entry.
    private var packedStarts: [Int] = []
    /// The packed chunk open for appends, after the sealed ones: the trace's last
    /// `open.count` entries, empty until packing begins. A full one is sealed into `packed`
    /// when the next entry opens another. It is kept apart from the sealed ones, not last
    /// among them, so that an entry is written to it without first making the array of
    /// chunks this trace's own and finding the last of them: some twenty instructions an
    /// entry, two and a half entries a delivery. A world the explorer copies carries it
    /// empty, some ninety bytes.
    private var open = PackedTraceChunk()
    public private(set) var count = 0
    /// False for a trace that only counts its entries: the explorer's worlds, whose steps
    /// nobody reads line by line, still tell a step that did something from one that did
    /// not by the count, but keep no entry.
    public private(set) var keepsEntries = true
    /// Where the entries that say an invariant broke sit, in order: a quiet `run` shows
    /// only those, and finds them here instead of reading a million entries again. Derived
    /// from the entries, so it agrees whenever they do.
    private var invariantPositions: [Int] = []

    public init() { self.init(unpackedChunks: 1_024) }

    /// A trace that packs every chunk from the `unpackedChunks`-th on, and all of them
    /// from `repackFrom` entries on (by default, eight times as many as are kept as
    /// values): tests reach packed chunks with a few entries.
    init(unpackedChunks: Int, repackFrom: Int? = nil) {
        packedFrom = unpackedChunks * TraceLog.chunkSize
        self.repackFrom = repackFrom ?? (unpackedChunks <= Int.max / (8 * TraceLog.chunkSize) ? 8 * packedFrom : Int.max)
    }

    /// A trace that counts what is logged and keeps none of it (see `keepsEntries`).
    public static var countingOnly: TraceLog {
        var log = TraceLog(unpackedChunks: Int.max / TraceLog.chunkSize)
        log.keepsEntries = false
        return log
    }

    public init(arrayLiteral elements: TraceEntry...) {
        self.init()
        for element in elements { append(element) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> TraceEntry {
        precondition(keepsEntries, "a counting trace keeps no entries")
        guard position >= packedFrom || chunks.isEmpty else {
            return chunks[position / TraceLog.chunkSize][position % TraceLog.chunkSize]
        }
        if position >= openStart { return open.entry(at: position - openStart) }
        let (chunk, offset) = packedPlace(of: position)
        return packed[chunk].entry(at: offset)
    }

    /// Where the open chunk's first entry sits: it holds the last entries.
    private var openStart: Int { count - open.count }

    /// The sealed packed chunk that holds the entry at `position`, and the entry's place in
    /// it: a binary search of the chunks' starts.
    @inline(__always)
    private func packedPlace(of position: Int) -> (chunk: Int, offset: Int) {
        var low = 0
        var high = packedStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if packedStarts[mid] <= position { low = mid } else { high = mid - 1 }
        }
        return (low, position - packedStarts[low])
    }

    /// Where each packed chunk begins, the open one last, for tests that drop entries
    /// across their edges.
    var packedChunkStarts: [Int] { packedStarts + (open.count > 0 ? [openStart] : []) }

    /// Whether the chunks kept as values have been packed (see `repackFrom`).
    var packsEveryChunk: Bool { chunks.isEmpty && count > 0 && (packedStarts.first ?? openStart) == 0 }

    /// The order the entry at `position` names, read without the rest of it: what `log`
    /// and `trace` for one order ask of every entry.
    public func orderId(at position: Int) -> OrderId? {
        precondition(keepsEntries, "a counting trace keeps no entries")
        guard position >= packedFrom || chunks.isEmpty else {
            return chunks[position / TraceLog.chunkSize][position % TraceLog.chunkSize].orderId
        }
        if position >= openStart { return open.orderId(at: position - openStart) }
        let (chunk, offset) = packedPlace(of: position)
        return packed[chunk].orderId(at: offset)
    }

    /// Calls `body` with each entry's position and the order it names, in order, reading a
    /// packed entry's header alone: `orderId(at:)` for every entry, without finding each
    /// packed one again from the start its chunk keeps before it.
    public func forEachOrderId(_ body: (_ position: Int, _ order: OrderId?) -> Void) {
        precondition(keepsEntries, "a counting trace keeps no entries")
        var position = 0
        for chunk in chunks {
            for entry in chunk {
                body(position, entry.orderId)
                position += 1
            }
        }
        for chunk in packed {
            let first = position
            chunk.forEachOrderId { body(first + $0, $1) }
            position += chunk.count
        }
        let first = position
        open.forEachOrderId { body(first + $0, $1) }
    }

    /// The entries from `start` on that say an invariant broke: what a quiet `run` shows.
    public func invariantEntries(from start: Int) -> [TraceEntry] {
        invariantPositions.reversed().prefix { $0 >= start }.reversed().map { self[$0] }
    }

    /// Whether a happening says an invariant broke, read from its case alone.
    private static func isInvariant(_ what: borrowing Happening) -> Bool {
        switch what {
        case .invariantBroken: return true
        case .recorded(let kind, _): return kind == .invariant
        default: return false
        }
    }

    public mutating func append(_ entry: __owned TraceEntry) {
        guard count < packedFrom else {
            appendPacking(entry.what, time: entry.time, service: entry.service, from: entry.from,
                          byPublisher: entry.byPublisher, order: entry.orderId, event: entry.eventId)
            return
        }
        appendValue(entry)
    }

    /// Appends an entry kept as a value: what the world logs while `count` is below
    /// `packedFrom`.
    mutating func appendValue(_ entry: __owned TraceEntry) {
        guard keepsEntries else {
            count += 1
            return
        }
        if TraceLog.isInvariant(entry.what) { invariantPositions.append(count) }
        if count % TraceLog.chunkSize == 0 {
            var chunk: [TraceEntry] = []
            // A first chunk starts small and grows: the explorer records each step of its
            // search in a trace of its own, a few entries long.
            chunk.reserveCapacity(count == 0 ? 16 : TraceLog.chunkSize)
            chunk.append(entry)
            chunks.append(chunk)
        } else {
            chunks[chunks.count - 1].append(entry)
        }
        count += 1
    }

    /// Appends the entry these fields make (`TraceEntry`'s) to a packed chunk, packing it
    /// from them without making the entry: what the world logs once `count` has reached
    /// `packedFrom`.
    @inline(never)
    mutating func appendPacking(_ what: borrowing Happening, time: Millis, service: ServiceName?, from: ServiceName?,
                                byPublisher: Bool, order: OrderId?, event: EventId?) {
        if TraceLog.isInvariant(what) { invariantPositions.append(count) }
        prepareToPack()
        open.append(what, time: time, service: service, from: from, byPublisher: byPublisher, order: order,
                    event: event)
        countPacked()
    }

    /// Appends a delivery's arrival to a packed chunk (`PackedTraceChunk.appendReceived`):
    /// what `appendPacking` does with `.message(.received(...))`, without the happening.
    /// Inlined where the world logs it, as an event's publication and a step's result are
    /// (below): called, each cost some 55 instructions more (registers saved and restored,
    /// arguments passed through memory), 3 % of a million orders' instructions.
    @inline(__always)
    mutating func appendReceivedPacking(_ ref: EventRef, isCopy: Bool, attempt: Int32, time: Millis,
                                        service: ServiceName?, from: ServiceName?, order: OrderId?, event: EventId?) {
        prepareToPack()
        open.appendReceived(ref, isCopy: isCopy, attempt: attempt, time: time, service: service, from: from,
                            order: order, event: event)
        countPacked()
    }

    /// Appends a request to place an order without a key to a packed chunk
    /// (`PackedTraceChunk.appendRequest`): what `appendPacking` does with
    /// `.api(.request(customer:items:key: nil))`, without the happening.
    @inline(never)
    mutating func appendRequestPacking(customer: String, items: [OrderItem], time: Millis, service: ServiceName?) {
        prepareToPack()
        open.appendRequest(customer: customer, items: items, time: time, service: service)
        countPacked()
    }

    /// Appends an order's creation to a packed chunk (`PackedTraceChunk.appendCreated`):
    /// what `appendPacking` does with `.api(.created(...))`, without the happening.
    @inline(never)
    mutating func appendCreatedPacking(order id: OrderId, saga: SagaId, total: Int, outbox: EventRef?, time: Millis,
                                       service: ServiceName?, event: EventId?) {
        prepareToPack()
        open.appendCreated(order: id, saga: saga, total: total, outbox: outbox, time: time, service: service,
                           order: id, event: event)
        countPacked()
    }

    /// Appends an event's first publication to a packed chunk
    /// (`PackedTraceChunk.appendPublished`): what `appendPacking` does with
    /// `.message(.published(...))`, without the happening.
    @inline(__always)
    mutating func appendPublishedPacking(_ ref: EventRef, route: MessageHappening.Route, time: Millis,
                                         service: ServiceName?, byPublisher: Bool, order: OrderId?, event: EventId?) {
        prepareToPack()
        open.appendPublished(ref, route: route, time: time, service: service, byPublisher: byPublisher, order: order,
                             event: event)
        countPacked()
    }

    /// Appends a step's result to a packed chunk (`PackedTraceChunk.appendStep`): what
    /// `appendPacking` does with `.step(...)`, without the happening.
    @inline(__always)
    mutating func appendStepPacking(_ result: borrowing StepResult, compensated: Bool, outbox: EventRef?, time: Millis,
                                    service: ServiceName?, order: OrderId?, event: EventId?) {
        prepareToPack()
        open.appendStep(result, compensated: compensated, outbox: outbox, time: time, service: service, order: order,
                        event: event)
        countPacked()
    }

    /// Counts a packed entry, packing the chunks kept as values once the trace reaches
    /// `repackFrom`.
    @inline(__always)
    private mutating func countPacked() {
        count += 1
        if count == repackFrom { packValues() }
    }

    /// Makes sure the open chunk has room for the next entry: a full one is sealed and
    /// another opened.
    @inline(__always)
    private mutating func prepareToPack() {
        if open.isFull { sealOpen() }
    }

    /// Seals the open chunk into `packed`, and opens another, with room for a whole chunk.
    @inline(never)
    private mutating func sealOpen() {
        packedStarts.append(openStart)
        open.seal()
        packed.append(open)
        open = .open
    }

    /// Packs the chunks kept as values into packed chunks before the others, as full as
    /// bytes allow, the last sealed where the others begin: what a trace reaching
    /// `repackFrom` keeps (see the type's comment).
    private mutating func packValues() {
        guard !chunks.isEmpty else { return }
        var repacked: [PackedTraceChunk] = []
        var starts: [Int] = []
        var position = 0
        for chunk in chunks {
            for entry in chunk {
                if repacked.last?.isFull ?? true {
                    if let last = repacked.indices.last { repacked[last].seal() }
                    repacked.append(.open)
                    starts.append(position)
                }
                repacked[repacked.count - 1].append(entry)
                position += 1
            }
        }
        repacked[repacked.count - 1].seal()
        chunks = []
        packed = repacked + packed
        packedStarts = starts + packedStarts
    }

    /// Drops the last `k` entries.
    public mutating func removeLast(_ k: Int) {
        precondition(k >= 0 && k <= count, "cannot remove \(k) of \(count) trace entries")
        guard keepsEntries else {
            count -= k
            return
        }
        if packsEveryChunk && count - k < repackFrom {
            // Below `repackFrom` the first chunks are values again: the trace is written
            // anew from the entries it keeps, as if it had never reached it.
            var fresh = TraceLog(unpackedChunks: packedFrom / TraceLog.chunkSize, repackFrom: repackFrom)
            for position in 0..<(count - k) { fresh.append(self[position]) }
            self = fresh
            return
        }
        while let last = invariantPositions.last, last >= count - k { invariantPositions.removeLast() }
        var left = k
        while left > 0 {
            if open.count > 0 {
                let dropped = Swift.min(left, open.count)
                if dropped == open.count {
                    open = PackedTraceChunk()
                    // The sealed chunk before it is the open one again, as if never sealed.
                    if let last = packed.popLast() {
                        packedStarts.removeLast()
                        open = last.reopened
                    }
                } else {
                    open.removeLast(dropped)
                }
                left -= dropped
            } else if let last = packed.popLast() {
                packedStarts.removeLast()
                open = last.reopened
            } else {
                let last = chunks.count - 1
                let dropped = Swift.min(left, chunks[last].count)
                if dropped == chunks[last].count { chunks.removeLast() } else { chunks[last].removeLast(dropped) }
                left -= dropped
            }
        }
        count -= k
    }

    public mutating func removeAll() {
        chunks = []
        packed = []
        packedStarts = []
        open = PackedTraceChunk()
        invariantPositions = []
        count = 0
    }
}
