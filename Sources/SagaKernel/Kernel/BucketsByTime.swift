/// The agenda's buckets by the time they are due: a hash table with open addressing,
/// linear probing and a multiplicative hash of the time.
///
/// Every item scheduled and every item taken looks its time up here. A `Dictionary`
/// hashes each key with SipHash, seeded per process, which is right for keys an attacker
/// chooses and cost a twentieth of a whole step here; the times are the world's own
/// numbers, so one multiplication spreads them well enough. Like a dictionary's, its
/// equality and hashing see only the contents, never where they sit in the table, and
/// nothing that reads it in table order lets that order reach output or a decision.
struct BucketsByTime: Hashable, Sendable {
    private struct Slot: Sendable {
        var time: Millis = 0
        var isUsed = false
        var bucket = Agenda.Bucket()
    }

    /// A power of two long (or empty), at most half full.
    private var slots: [Slot] = []
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    /// Where `time` would start its probe in a table of `capacity` slots.
    @inline(__always)
    private static func home(of time: Millis, capacity: Int) -> Int {
        let mixed = UInt64(bitPattern: Int64(time)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> UInt64(64 - capacity.trailingZeroBitCount))
    }

    /// The slot that holds `time`, if any.
    @inline(__always)
    func index(of time: Millis) -> Int? {
        guard count > 0 else { return nil }
        let mask = slots.count - 1
        var index = BucketsByTime.home(of: time, capacity: slots.count)
        while slots[index].isUsed {
            if slots[index].time == time { return index }
            index = (index + 1) & mask
        }
        return nil
    }

    func contains(_ time: Millis) -> Bool { index(of: time) != nil }

    subscript(time: Millis) -> Agenda.Bucket? {
        index(of: time).map { slots[$0].bucket }
    }

    /// The bucket in slot `index`, changed in place.
    @inline(__always)
    mutating func update<Result>(at index: Int, _ body: (inout Agenda.Bucket) -> Result) -> Result {
        body(&slots[index].bucket)
    }

    /// Reads the bucket in slot `index` without copying it out.
    @inline(__always)
    func read<Result>(at index: Int, _ body: (borrowing Agenda.Bucket) -> Result) -> Result {
        body(slots[index].bucket)
    }

    /// Adds `bucket` at `time`, which holds none yet.
    mutating func insert(_ bucket: __owned Agenda.Bucket, at time: Millis) {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var index = BucketsByTime.home(of: time, capacity: slots.count)
        while slots[index].isUsed { index = (index + 1) & mask }
        slots[index].time = time
        slots[index].isUsed = true
        slots[index].bucket = bucket
        count += 1
    }

    /// Empties slot `index`, moving back the entries its removal would cut off from their
    /// home (deletion without tombstones, as linear probing allows).
    mutating func remove(at index: Int) {
        let mask = slots.count - 1
        var hole = index
        slots[hole] = Slot()
        var next = (hole + 1) & mask
        while slots[next].isUsed {
            let home = BucketsByTime.home(of: slots[next].time, capacity: slots.count)
            // The entry at `next` may move into the hole unless its home lies after the
            // hole, up to `next` itself, going round the table.
            let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if !stays {
                slots.swapAt(hole, next)
                hole = next
            }
            next = (next + 1) & mask
        }
        count -= 1
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: Swift.max(16, old.count * 2))
        count = 0
        for slot in old where slot.isUsed { insert(slot.bucket, at: slot.time) }
    }

    /// Every bucket's time, in no particular order.
    var times: [Millis] { slots.compactMap { $0.isUsed ? $0.time : nil } }

    /// Visits every bucket once, in no particular order.
    func forEach(_ body: (Agenda.Bucket) -> Void) {
        for index in slots.indices where slots[index].isUsed { body(slots[index].bucket) }
    }

    /// Whether some bucket satisfies `predicate`, looked for in no particular order.
    func contains(where predicate: (Agenda.Bucket) -> Bool) -> Bool {
        slots.indices.contains { slots[$0].isUsed && predicate(slots[$0].bucket) }
    }

    static func == (a: BucketsByTime, b: BucketsByTime) -> Bool {
        guard a.count == b.count else { return false }
        return a.slots.allSatisfy { slot in !slot.isUsed || b[slot.time] == slot.bucket }
    }

    /// A sum of each entry's own hash, so that where an entry sits does not count.
    func hash(into hasher: inout Hasher) {
        var sum = 0
        for slot in slots where slot.isUsed {
            var entry = Hasher()
            entry.combine(slot.time)
            entry.combine(slot.bucket)
            sum &+= entry.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}
