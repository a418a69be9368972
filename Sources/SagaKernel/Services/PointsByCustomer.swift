/// Points per customer: the sums rewards keeps of its ledger, and the orders service of
/// what confirmed orders earn. A table with open addressing and linear probing, keyed by
/// the customer's name through a hash of its bytes (FNV-1a) that needs no seed.
///
/// Both sums change at every order that earns or loses points, and a run of a range of
/// orders has a customer per order: a `Dictionary` hashed each name with SipHash and
/// regrew by rehashing every name, a twentieth of a run of 20 000 orders. The names are
/// the lab's own (the learner's, or `user-N` of a range), not an attacker's, so a plain
/// hash does. As with a dictionary, equality and hashing see only the entries, never
/// where they sit in the table, and nothing reads the table in its order.
public struct PointsByCustomer: Hashable, Sendable {
    /// A customer's entry: the name and the sum. The hash of the name is not kept (24 bytes
    /// a row where it took 32, and a range of a million orders has a million customers):
    /// a probe compares names, which a short name does in two words, and growing the table
    /// hashes each name again.
    private struct Row: Sendable {
        var name: String
        var sum: Int
    }
    /// The entries, in the order the names first came. One array of rows, not one each
    /// for the names and the sums: a world holds two of these tables, and each copy
    /// the explorer makes of it retains every array they hold.
    private var rows: [Row] = []
    /// A power of two long (or empty), at most half full: where each name's entry is, or -1.
    private var slots: [Int32] = []

    public init() {}

    /// How many customers have an entry (a sum of 0 included).
    public var count: Int { rows.count }

    /// The customer's sum; 0 for one without an entry.
    public subscript(customer: String) -> Int {
        guard let entry = entry(of: customer) else { return 0 }
        return rows[entry].sum
    }

    /// Every customer's name and sum, in the order the names first came.
    public var entries: some Sequence<(String, Int)> { rows.lazy.map { ($0.name, $0.sum) } }

    /// Whether the customer has an entry (a sum of 0 included).
    public func contains(_ customer: String) -> Bool { entry(of: customer) != nil }

    /// Adds `points` to the customer's sum, making an entry the first time. True when it did.
    @discardableResult
    mutating func add(_ points: Int, to customer: String) -> Bool {
        let hash = PointsByCustomer.hash(customer)
        if let entry = entry(of: customer, hash: hash) {
            rows[entry].sum += points
            return false
        }
        if (rows.count + 1) * 2 > slots.count { grow() }
        place(hash, entry: Int32(rows.count))
        rows.append(Row(name: customer, sum: points))
        return true
    }


    /// Whether the two hold the same sums once the entries at 0 are left out.
    public func sameNonZero(as other: PointsByCustomer) -> Bool {
        var count = 0
        for row in rows where row.sum != 0 {
            guard other.entry(of: row.name).map({ other.rows[$0].sum }) == row.sum else { return false }
            count += 1
        }
        return count == other.rows.count { $0.sum != 0 }
    }

    /// The name's bytes through FNV-1a (`TextHash`).
    @inline(__always)
    private static func hash(_ name: String) -> UInt64 { TextHash.fnv1a(name) }

    /// Where a hash starts its probe in a table of `capacity` slots.
    @inline(__always)
    private static func home(of hash: UInt64, capacity: Int) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - capacity.trailingZeroBitCount))
    }

    private func entry(of customer: String) -> Int? {
        entry(of: customer, hash: PointsByCustomer.hash(customer))
    }

    private func entry(of customer: String, hash: UInt64) -> Int? {
        guard !rows.isEmpty else { return nil }
        let mask = slots.count - 1
        var index = PointsByCustomer.home(of: hash, capacity: slots.count)
        while slots[index] >= 0 {
            let entry = Int(slots[index])
            if rows[entry].name == customer { return entry }
            index = (index + 1) & mask
        }
        return nil
    }

    private mutating func place(_ hash: UInt64, entry: Int32) {
        let mask = slots.count - 1
        var index = PointsByCustomer.home(of: hash, capacity: slots.count)
        while slots[index] >= 0 { index = (index + 1) & mask }
        slots[index] = entry
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: Swift.max(16, slots.count * 2))
        for index in rows.indices { place(PointsByCustomer.hash(rows[index].name), entry: Int32(index)) }
    }

    public static func == (a: PointsByCustomer, b: PointsByCustomer) -> Bool {
        a.count == b.count && a.rows.allSatisfy { row in b.entry(of: row.name).map { b.rows[$0].sum } == row.sum }
    }

    /// A sum of each entry's own hash, so that the order of the entries does not count.
    public func hash(into hasher: inout Hasher) {
        var sum = 0
        for row in rows {
            var entry = Hasher()
            entry.combine(row.name)
            entry.combine(row.sum)
            sum &+= entry.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}
