/// The trace's storage: entries in fixed-size chunks, so that a copy of the world (a
/// snapshot for `undo` and `goto`) shares every full chunk with the world it came from.
///
/// An array would be copied whole the first time either copy appended to it, which would
/// make keeping snapshots of a long session cost as much as the session. Here an append
/// copies at most the last chunk and the list of chunks. Chunks are always full but the
/// last, so equal contents always have equal chunks, and equality and hashing come from
/// the compiler.
public struct TraceLog: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    static let chunkSize = 512

    private var chunks: [[TraceEntry]] = []
    public private(set) var count = 0
    /// False for a trace that only counts its entries: the explorer's worlds, whose steps
    /// nobody reads line by line, still tell a step that did something from one that did
    /// not by the count, but keep no entry.
    public private(set) var keepsEntries = true
    /// Where the entries that say an invariant broke sit, in order: a quiet `run` shows
    /// only those, and finds them here instead of reading a million entries again. Derived
    /// from the entries, so it agrees whenever they do.
    private var invariantPositions: [Int] = []

    public init() {}

    /// A trace that counts what is logged and keeps none of it (see `keepsEntries`).
    public static var countingOnly: TraceLog {
        var log = TraceLog()
        log.keepsEntries = false
        return log
    }

    public init(arrayLiteral elements: TraceEntry...) {
        for element in elements { append(element) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> TraceEntry {
        precondition(keepsEntries, "a counting trace keeps no entries")
        return chunks[position / TraceLog.chunkSize][position % TraceLog.chunkSize]
    }

    /// The entries from `start` on that say an invariant broke: what a quiet `run` shows.
    public func invariantEntries(from start: Int) -> [TraceEntry] {
        invariantPositions.reversed().prefix { $0 >= start }.reversed().map { self[$0] }
    }

    /// Whether an entry says an invariant broke, read from its case alone.
    private static func isInvariant(_ entry: borrowing TraceEntry) -> Bool {
        switch entry.what {
        case .invariantBroken: return true
        case .recorded(let kind, _): return kind == .invariant
        default: return false
        }
    }

    public mutating func append(_ entry: __owned TraceEntry) {
        guard keepsEntries else {
            count += 1
            return
        }
        if TraceLog.isInvariant(entry) { invariantPositions.append(count) }
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

    /// Drops the last `k` entries.
    public mutating func removeLast(_ k: Int) {
        precondition(k >= 0 && k <= count, "cannot remove \(k) of \(count) trace entries")
        guard keepsEntries else {
            count -= k
            return
        }
        while let last = invariantPositions.last, last >= count - k { invariantPositions.removeLast() }
        for _ in 0..<k {
            chunks[chunks.count - 1].removeLast()
            if chunks[chunks.count - 1].isEmpty { chunks.removeLast() }
        }
        count -= k
    }

    public mutating func removeAll() {
        chunks = []
        invariantPositions = []
        count = 0
    }
}
