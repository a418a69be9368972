/// The agenda's buckets by the time they are due: the buckets in a dense array, found
/// through a hash table of times with open addressing, linear probing and a
/// multiplicative hash.
///
/// Every item scheduled and every item taken looks its time up here. A `Dictionary`
/// hashes each key with SipHash, seeded per process, which is right for keys an attacker
/// chooses and cost a twentieth of a whole step here; the times are the world's own
/// numbers, so one multiplication spreads them well enough. Like a dictionary's, its
/// equality and hashing see only the contents, never where they sit in the table, and
/// nothing that reads it in table order lets that order reach output or a decision.
/// The table holds plain numbers, so a world copied for a snapshot or by the explorer
/// copies it with one `memcpy`; the buckets themselves are copied only where they live.
///
/// A few buckets need no table: up to `linearLimit` of them are found by reading the
/// times in `entries`, and the table is built only when there are more (and dropped when
/// they are down to half that again). The explorer's worlds hold a handful of items, each
/// due at a time of its own, and every step it tries copies the agenda it changes: with
/// no table, that is one array fewer to allocate and fill for each of millions of states.
struct BucketsByTime: Hashable, Sendable {
    private struct Entry: Hashable, Sendable {
        var time: Millis
        var bucket: Agenda.Bucket
    }

    /// A slot of the table: a time and where its entry is in `entries`, or -1 (free).
    private struct Slot: Sendable {
        var time: Millis = 0
        var entry: Int32 = -1
    }

    /// The buckets, in no particular order.
    private var entries: [Entry] = []
    /// A power of two long, at most half full; empty while the buckets are few enough to
    /// be found without it.
    private var slots: [Slot] = []

    /// The bucket `takingIndex(of:)` found last: the scheduler takes item after item from
    /// the bucket of one time, found here without a probe of the table. Forgotten when a
    /// bucket is removed (the last entry then moves); equality and hashing ignore it.
    private var lastTaken = Slot()

    /// The most buckets found without a table.
    static let linearLimit = 8

    init() {}

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// Where `time` would start its probe in a table of `capacity` slots.
    @inline(__always)
    private static func home(of time: Millis, capacity: Int) -> Int {
        let mixed = UInt64(bitPattern: Int64(time)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> UInt64(64 - capacity.trailingZeroBitCount))
    }

    /// The slot that holds `time`, if any; only while there is a table.
    @inline(__always)
    private func slot(of time: Millis) -> Int? {
        let mask = slots.count - 1
        var index = BucketsByTime.home(of: time, capacity: slots.count)
        while slots[index].entry >= 0 {
            if slots[index].time == time { return index }
            index = (index + 1) & mask
        }
        return nil
    }

    /// Where the bucket of `time` is, if there is one: a position that stays valid until
    /// a bucket is removed.
    @inline(__always)
    func index(of time: Millis) -> Int? {
        guard !slots.isEmpty else { return linearIndex(of: time) }
        return slot(of: time).map { Int(slots[$0].entry) }
    }

    /// `index(of:)` for the bucket the scheduler takes from, remembered for the next take.
    @inline(__always)
    mutating func takingIndex(of time: Millis) -> Int? {
        if lastTaken.entry >= 0 && lastTaken.time == time { return Int(lastTaken.entry) }
        guard let index = index(of: time) else { return nil }
        lastTaken = Slot(time: time, entry: Int32(index))
        return index
    }

    /// `index(of:)` without a table; apart, so that what the scheduler inlines stays small.
    @inline(never)
    private func linearIndex(of time: Millis) -> Int? {
        entries.firstIndex { $0.time == time }
    }

    func contains(_ time: Millis) -> Bool { index(of: time) != nil }

    subscript(time: Millis) -> Agenda.Bucket? {
        index(of: time).map { entries[$0].bucket }
    }

    /// The bucket at `index`, changed in place.
    @inline(__always)
    mutating func update<Result>(at index: Int, _ body: (inout Agenda.Bucket) -> Result) -> Result {
        body(&entries[index].bucket)
    }

    /// Reads the bucket at `index` without copying it out.
    @inline(__always)
    func read<Result>(at index: Int, _ body: (borrowing Agenda.Bucket) -> Result) -> Result {
        body(entries[index].bucket)
    }

    /// Adds `bucket` at `time`, which holds none yet.
    mutating func insert(_ bucket: __owned Agenda.Bucket, at time: Millis) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        if !slots.isEmpty { place(time, entry: Int32(entries.count)) }
        entries.append(Entry(time: time, bucket: bucket))
    }

    /// Points a free slot, found from the time's home, at `entry`.
    private mutating func place(_ time: Millis, entry: Int32) {
        let mask = slots.count - 1
        var index = BucketsByTime.home(of: time, capacity: slots.count)
        while slots[index].entry >= 0 { index = (index + 1) & mask }
        slots[index] = Slot(time: time, entry: entry)
    }

    /// Removes the bucket at `index`: the last entry takes its place in `entries`, and its
    /// slot is emptied, moving back the slots its removal would cut off from their home
    /// (deletion without tombstones, as linear probing allows).
    mutating func remove(at index: Int) {
        lastTaken = Slot()
        guard !slots.isEmpty else {
            entries.swapAt(index, entries.count - 1)
            entries.removeLast()
            return
        }
        if entries.count - 1 <= BucketsByTime.linearLimit / 2 {
            entries.swapAt(index, entries.count - 1)
            entries.removeLast()
            slots = []
            return
        }
        let time = entries[index].time
        var hole = slot(of: time)!
        let last = entries.count - 1
        if index != last {
            let moved = slot(of: entries[last].time)!
            slots[moved].entry = Int32(index)
            entries.swapAt(index, last)
        }
        entries.removeLast()
        let mask = slots.count - 1
        slots[hole] = Slot()
        var next = (hole + 1) & mask
        while slots[next].entry >= 0 {
            let home = BucketsByTime.home(of: slots[next].time, capacity: slots.count)
            // The slot at `next` may move into the hole unless its home lies after the
            // hole, up to `next` itself, going round the table.
            let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if !stays {
                slots.swapAt(hole, next)
                hole = next
            }
            next = (next + 1) & mask
        }
    }

    /// Doubles the table, or builds it once the buckets are more than `linearLimit`.
    @inline(never)
    private mutating func grow() {
        if slots.isEmpty && entries.count < BucketsByTime.linearLimit { return }
        var capacity = Swift.max(16, slots.count * 2)
        while (entries.count + 1) * 2 > capacity { capacity *= 2 }
        slots = Array(repeating: Slot(), count: capacity)
        for index in entries.indices { place(entries[index].time, entry: Int32(index)) }
    }

    /// Every bucket's time, in no particular order.
    var times: [Millis] { entries.map(\.time) }

    /// Visits every bucket once, in no particular order.
    func forEach(_ body: (Agenda.Bucket) -> Void) {
        for index in entries.indices { body(entries[index].bucket) }
    }

    /// Whether some bucket satisfies `predicate`, looked for in no particular order.
    func contains(where predicate: (Agenda.Bucket) -> Bool) -> Bool {
        entries.contains { predicate($0.bucket) }
    }

    static func == (a: BucketsByTime, b: BucketsByTime) -> Bool {
        a.count == b.count && a.entries.allSatisfy { b[$0.time] == $0.bucket }
    }

    /// A sum of each entry's own hash, so that the order of the entries does not count.
    func hash(into hasher: inout Hasher) {
        var sum = 0
        for entry in entries { sum &+= entry.hashValue }
        hasher.combine(count)
        hasher.combine(sum)
    }
}
