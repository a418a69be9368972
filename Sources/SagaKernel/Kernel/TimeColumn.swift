/// A column of times that mostly follow one another closely: when each event-store row was
/// stored, when each published outbox row was marked. Each time is kept as its difference
/// from the one before, zigzagged and in seven-bit groups (as the packed trace writes its
/// numbers), so a time a few milliseconds after the last takes one byte where a `Millis`
/// takes eight; a million orders store and publish some five million events.
///
/// Every `checkpointEvery`-th time (the first, the sixty-fifth...) is kept whole beside the
/// bytes with where its successors' bytes begin, so the time at a position is read by
/// stepping from the checkpoint before it over at most 63 differences. Any times may be
/// kept, in any order; close ones are merely cheaper. The same times always make the
/// same bytes, so equality and hashing come from the compiler.
struct TimeColumn: Hashable, Sendable, Sequence {
    /// The time of every `checkpointEvery`-th entry, and where the differences of the
    /// entries after it begin in `bytes`.
    private struct Checkpoint: Hashable, Sendable {
        var time: Millis
        var offset: Int
    }

    static let checkpointEvery = 64

    /// The differences of the entries that are not checkpoints, in order.
    private var bytes: [UInt8] = []
    private var checkpoints: [Checkpoint] = []
    /// How many times the column holds.
    private(set) var count = 0
    /// The last time appended: what the next is written as a difference from.
    private(set) var last: Millis = 0

    init() {}

    /// The column of `times`, in order.
    init<S: Sequence>(_ times: S) where S.Element == Millis {
        for time in times { append(time) }
    }

    var isEmpty: Bool { count == 0 }

    /// The bytes the differences take: for tests that hold the column to its size.
    var byteCount: Int { bytes.count }

    /// The first time, if any.
    var first: Millis? { checkpoints.first?.time }

    /// Room for `n` more times, about a byte each, without growing.
    mutating func reserveCapacity(_ n: Int) {
        bytes.reserveCapacity(bytes.count + n)
        checkpoints.reserveCapacity(checkpoints.count + n / TimeColumn.checkpointEvery + 1)
    }

    @inline(__always)
    mutating func append(_ time: Millis) {
        if count % TimeColumn.checkpointEvery == 0 {
            checkpoints.append(Checkpoint(time: time, offset: bytes.count))
        } else {
            let difference = time &- last
            var zigzag = UInt64(bitPattern: Int64((difference << 1) ^ (difference >> 63)))
            while zigzag >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: zigzag) | 0x80)
                zigzag >>= 7
            }
            bytes.append(UInt8(zigzag))
        }
        last = time
        count += 1
    }

    /// Reads the difference that begins at `offset`, and moves `offset` past it.
    @inline(__always)
    private static func difference(in bytes: UnsafeBufferPointer<UInt8>, at offset: inout Int) -> Millis {
        var zigzag: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = bytes[offset]
            offset += 1
            zigzag |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return Millis(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
    }

    /// The time at `position` (0 for the first).
    subscript(position: Int) -> Millis {
        precondition(position >= 0 && position < count, "no time at \(position) in a column of \(count)")
        let checkpoint = checkpoints[position / TimeColumn.checkpointEvery]
        let steps = position % TimeColumn.checkpointEvery
        guard steps > 0 else { return checkpoint.time }
        return bytes.withUnsafeBufferPointer { buffer in
            var time = checkpoint.time
            var offset = checkpoint.offset
            for _ in 0..<steps { time &+= TimeColumn.difference(in: buffer, at: &offset) }
            return time
        }
    }

    /// The times in order, each read from the one before.
    struct Iterator: IteratorProtocol {
        fileprivate let column: TimeColumn
        fileprivate var position = 0
        fileprivate var offset = 0
        fileprivate var time: Millis = 0

        mutating func next() -> Millis? {
            guard position < column.count else { return nil }
            if position % TimeColumn.checkpointEvery == 0 {
                let checkpoint = column.checkpoints[position / TimeColumn.checkpointEvery]
                time = checkpoint.time
                offset = checkpoint.offset
            } else {
                time &+= column.bytes.withUnsafeBufferPointer { TimeColumn.difference(in: $0, at: &offset) }
            }
            position += 1
            return time
        }
    }

    func makeIterator() -> Iterator { Iterator(column: self) }

    var underestimatedCount: Int { count }

    /// Drops the first `k` times (all of them when `k` is larger), as if the rest had been
    /// appended alone.
    mutating func removeFirst(_ k: Int) {
        guard k > 0 else { return }
        self = TimeColumn(dropFirst(k))
    }
}
