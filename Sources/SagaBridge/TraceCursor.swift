/// Which trace rows the learner has seen. Ids come from a sequence, and a line written
/// inside a transaction takes its id before it commits, so a row can appear after rows
/// with higher ids were shown: the cursor remembers the ids shown above a watermark, and
/// moves the watermark past rows older than any transaction of the shop lasts (a gap
/// there is a rolled-back transaction's id, which never appears).
struct TraceCursor {
    /// Every row up to here was shown (or will never exist).
    private(set) var watermark = 0
    private var seen: Set<Int> = []
    static let settledAfterSeconds = 30

    func isNew(_ id: Int) -> Bool { id > watermark && !seen.contains(id) }

    mutating func saw(_ id: Int) {
        seen.insert(id)
        while seen.remove(watermark + 1) != nil { watermark += 1 }
    }

    /// Moves the watermark to `settled`, the highest id of a row old enough to have settled.
    mutating func settle(upTo settled: Int) {
        guard settled > watermark else { return }
        watermark = settled
        seen = seen.filter { $0 > watermark }
        while seen.remove(watermark + 1) != nil { watermark += 1 }
    }
}
