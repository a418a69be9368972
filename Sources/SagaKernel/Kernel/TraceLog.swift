/// The trace's storage: entries in fixed-size chunks, so that a copy of the world (a
/// snapshot for `undo` and `goto`) shares every full chunk with the world it came from.
///
/// An array would be copied whole the first time either copy appended to it, which would
/// make keeping snapshots of a long session cost as much as the session. Here an append
/// copies at most the open chunk and the list of chunks. Every chunk but the last is full,
/// the last is open for appends and holds from one entry to a full chunk.
///
/// The first million entries are kept as `TraceEntry` values, the quickest to append and
/// read: no session, lesson or search a learner plays comes near them. The chunks after
/// them are packed into bytes as they fill (`PackedTraceChunk`, a quarter of the memory),
/// which is what lets a million orders' 25 million entries fit. Which chunks are packed
/// depends on their place alone, so equal contents always have equal chunks, and equality
/// and hashing come from the compiler.
public struct TraceLog: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    static let chunkSize = 512

    /// How many entries are kept unpacked before the packed ones begin: a whole number of
    /// chunks.
    let packedFrom: Int
    /// The full chunks before `packedFrom`, then the full chunks from it on.
    private var unpacked: [[TraceEntry]] = []
    private var packed: [PackedTraceChunk] = []
    /// The open chunk: `openEntries` while it is among the unpacked ones, `openPacked` from
    /// then on; the other stays empty, and both are empty only in an empty trace.
    private var openEntries: [TraceEntry] = []
    private var openPacked = PackedTraceChunk()
    public private(set) var count = 0
    /// False for a trace that only counts its entries: the explorer's worlds, whose steps
    /// nobody reads line by line, still tell a step that did something from one that did
    /// not by the count, but keep no entry.
    public private(set) var keepsEntries = true
    /// Where the entries that say an invariant broke sit, in order: a quiet `run` shows
    /// only those, and finds them here instead of reading a million entries again. Derived
    /// from the entries, so it agrees whenever they do.
    private var invariantPositions: [Int] = []

    public init() { packedFrom = 2_048 * TraceLog.chunkSize }

    /// A trace that packs every chunk from the `unpackedChunks`-th on: tests reach packed
    /// chunks with a few entries.
    init(unpackedChunks: Int) { packedFrom = unpackedChunks * TraceLog.chunkSize }

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
        let chunk = position / TraceLog.chunkSize
        let offset = position % TraceLog.chunkSize
        if chunk < unpacked.count { return unpacked[chunk][offset] }
        if chunk < fullChunks { return packed[chunk - unpacked.count].entry(at: offset) }
        return openIsPacked ? openPacked.entry(at: offset) : openEntries[offset]
    }

    /// The order the entry at `position` names, read without the rest of it: what `log`
    /// and `trace` for one order ask of every entry.
    public func orderId(at position: Int) -> OrderId? {
        precondition(keepsEntries, "a counting trace keeps no entries")
        let chunk = position / TraceLog.chunkSize
        let offset = position % TraceLog.chunkSize
        if chunk < unpacked.count { return unpacked[chunk][offset].orderId }
        if chunk < fullChunks { return packed[chunk - unpacked.count].orderId(at: offset) }
        return openIsPacked ? openPacked.orderId(at: offset) : openEntries[offset].orderId
    }

    private var fullChunks: Int { unpacked.count + packed.count }
    private var openIsPacked: Bool { fullChunks * TraceLog.chunkSize >= packedFrom }
    private var openCount: Int { openIsPacked ? openPacked.count : openEntries.count }

    /// Makes the open chunk full, and opens the next one.
    private mutating func closeOpenChunk() {
        if openIsPacked {
            packed.append(openPacked.sealed)
        } else {
            unpacked.append(openEntries)
            openEntries = []
        }
        if openIsPacked {
            openPacked = PackedTraceChunk(room: TraceLog.chunkSize)
        } else {
            openEntries.reserveCapacity(TraceLog.chunkSize)
        }
    }

    /// Opens the last full chunk again, after its successor emptied.
    private mutating func reopenLastChunk() {
        if let last = packed.popLast() {
            openPacked = last.reopened
        } else if let last = unpacked.popLast() {
            openEntries = last
        }
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
        guard keepsEntries else {
            count += 1
            return
        }
        if TraceLog.isInvariant(entry.what) { invariantPositions.append(count) }
        if openEntries.count == TraceLog.chunkSize { closeOpenChunk() }
        // The first chunk has no room set aside and grows as it fills: the explorer records
        // each step of its search in a trace of its own, a few entries long.
        openEntries.append(entry)
        count += 1
    }

    /// Appends the entry these fields make (`TraceEntry`'s) to a packed chunk, packing it
    /// from them without making the entry: what the world logs once `count` has reached
    /// `packedFrom`.
    @inline(never)
    mutating func appendPacking(_ what: borrowing Happening, time: Millis, service: ServiceName?, from: ServiceName?,
                                byPublisher: Bool, order: OrderId?, event: EventId?) {
        if TraceLog.isInvariant(what) { invariantPositions.append(count) }
        if openCount == TraceLog.chunkSize { closeOpenChunk() }
        openPacked.append(what, time: time, service: service, from: from, byPublisher: byPublisher, order: order, event: event)
        count += 1
    }

    /// Drops the last `k` entries.
    public mutating func removeLast(_ k: Int) {
        precondition(k >= 0 && k <= count, "cannot remove \(k) of \(count) trace entries")
        guard keepsEntries else {
            count -= k
            return
        }
        while let last = invariantPositions.last, last >= count - k { invariantPositions.removeLast() }
        var left = k
        while left > 0 {
            let dropped = Swift.min(left, openCount)
            if openIsPacked { openPacked.removeLast(dropped) } else { openEntries.removeLast(dropped) }
            left -= dropped
            if openCount == 0 { reopenLastChunk() }
        }
        count -= k
    }

    public mutating func removeAll() {
        unpacked = []
        packed = []
        openEntries = []
        openPacked = PackedTraceChunk()
        invariantPositions = []
        count = 0
    }
}
