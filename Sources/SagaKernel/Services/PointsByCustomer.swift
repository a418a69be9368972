/// Points per customer: the sums rewards keeps of its ledger, and the orders service of
/// what confirmed orders earn. A table with open addressing and linear probing, keyed by
/// the customer's name through a hash of its bytes (FNV-1a) that needs no seed, and beside
/// it, for the customers of a range (`user-1..N`, see `makeRoom`), a sum per number.
///
/// Both sums change at every order that earns or loses points, and a run of a range of
/// orders has a customer per order: a `Dictionary` hashed each name with SipHash and
/// regrew by rehashing every name, a twentieth of a run of 20 000 orders. The names are
/// the lab's own (the learner's, or `user-N` of a range), not an attacker's, so a plain
/// hash does. A range's customers are found by their number instead: a million of them
/// took a row of 24 bytes and a slot of 8 in each of the two tables, read in two places
/// each time, and take 12 bytes read in one. As with a dictionary, equality and hashing
/// see only the entries, never where they sit, and nothing reads the table in its order.
public struct PointsByCustomer: Hashable, Sendable {
    /// A customer's entry kept by name: the name and the sum. The hash of the name is not
    /// kept (24 bytes a row where it took 32): a probe compares names, which a short name
    /// does in two words, and growing the table hashes each name again.
    private struct Row: Sendable {
        var name: String
        var sum: Int
    }
    /// The entries kept by name. One array of rows, not one each for the names and the
    /// sums: a world holds two of these tables, and each copy the explorer makes of it
    /// retains every array they hold.
    private var rows: [Row] = []
    /// A power of two long (or empty), at most half full: where each name's entry is, or -1.
    private var slots: [Int32] = []
    /// What comes before the number in the names kept by number (`user-`), once a range
    /// made room for them.
    private var numberedPrefix: String?
    /// The number whose sum `numberedSums` holds first.
    private var numberedFirst = 0
    /// The sum of the customer `numberedPrefix` + `numberedFirst + i` at `i`, or `noSum`.
    private var numberedSums: [Int] = []
    /// Every entry in the order the names first came: a row's index, or `-1 - i` for the
    /// sum at `numberedSums[i]`.
    private var arrivals: [Int32] = []
    /// What to add to an order's number for the place of its customer's sum, if the last
    /// range placed its orders in its customers' order: only a hint (`prefetch`), which
    /// an order placed outside the range, or a range that did not make room, leaves wrong.
    private var orderToNumbered: Int?

    /// What `numberedSums` holds for a number without an entry.
    private static let noSum = Int.min

    public init() {}

    /// How many customers have an entry (a sum of 0 included).
    public var count: Int { arrivals.count }

    /// The customer's sum; 0 for one without an entry.
    public subscript(customer: String) -> Int { sum(of: customer) ?? 0 }

    /// The customer's sum, nil for one without an entry.
    private func sum(of customer: String) -> Int? {
        switch place(of: customer) {
        case .row(let row): rows[row].sum
        case .numbered(let i): numberedSums[i]
        case nil: nil
        }
    }

    /// How many entries are kept by number: for tests that hold a range to its room.
    var entriesByNumber: Int { arrivals.reduce(0) { $0 + ($1 < 0 ? 1 : 0) } }

    /// Every customer's name and sum, in the order the names first came.
    public var entries: some Sequence<(String, Int)> { arrivals.lazy.map { entry($0) } }

    /// Whether the customer has an entry (a sum of 0 included).
    public func contains(_ customer: String) -> Bool { place(of: customer) != nil }

    /// Adds `points` to the customer's sum, making an entry the first time. True when it did.
    @discardableResult
    mutating func add(_ points: Int, to customer: String) -> Bool {
        if let i = numbered(customer) {
            guard numberedSums[i] == PointsByCustomer.noSum else {
                numberedSums[i] += points
                return false
            }
            numberedSums[i] = points
            arrivals.append(-1 - Int32(i))
            return true
        }
        let hash = PointsByCustomer.hash(customer)
        if let row = row(of: customer, hash: hash) {
            rows[row].sum += points
            return false
        }
        if (rows.count + 1) * 2 > slots.count { grow() }
        place(hash, row: Int32(rows.count))
        arrivals.append(Int32(rows.count))
        rows.append(Row(name: customer, sum: points))
        return true
    }

    /// Makes room to keep the customers `prefix` + N, for N in `numbers`, by number (see
    /// the type's comment): what a range of orders does before it places them. A table
    /// keeps one prefix so; a range of another prefix, or one far from the numbers kept
    /// already, is kept by name. Entries kept by name that the room now covers move to it.
    mutating func makeRoom(prefix: String, numbers: ClosedRange<Int>, firstOrder: OrderId) {
        defer {
            if numberedPrefix.map({ $0.utf8.elementsEqual(prefix.utf8) }) ?? false {
                orderToNumbered = numbers.lowerBound - numberedFirst - Int(firstOrder.number)
            }
        }
        if let kept = numberedPrefix {
            guard kept.utf8.elementsEqual(prefix.utf8) else { return }
            let first = Swift.min(numberedFirst, numbers.lowerBound)
            let end = Swift.max(numberedFirst + numberedSums.count, numbers.upperBound + 1)
            // Kept by number only while at least a quarter of the room can hold an entry.
            guard end - first <= 4 * (count + numbers.count) else { return }
            var sums = Array(repeating: PointsByCustomer.noSum, count: end - first)
            let shift = numberedFirst - first
            for (i, sum) in numberedSums.enumerated() where sum != PointsByCustomer.noSum { sums[i + shift] = sum }
            for index in arrivals.indices where arrivals[index] < 0 { arrivals[index] -= Int32(shift) }
            numberedSums = sums
            numberedFirst = first
        } else {
            guard numbers.count <= Int(Int32.max) else { return }
            numberedPrefix = prefix
            numberedFirst = numbers.lowerBound
            numberedSums = Array(repeating: PointsByCustomer.noSum, count: numbers.count)
        }
        arrivals.reserveCapacity(arrivals.count + numbers.count)
        moveNumberedRows()
    }

    /// Moves the entries kept by name whose names the numbered room now covers into it,
    /// keeping every entry's place among the arrivals.
    private mutating func moveNumberedRows() {
        guard rows.contains(where: { numbered($0.name) != nil }) else { return }
        let old = rows
        rows = []
        for index in arrivals.indices where arrivals[index] >= 0 {
            let row = old[Int(arrivals[index])]
            if let i = numbered(row.name) {
                numberedSums[i] = row.sum
                arrivals[index] = -1 - Int32(i)
            } else {
                arrivals[index] = Int32(rows.count)
                rows.append(row)
            }
        }
        slots = []
        if !rows.isEmpty { grow() }
    }

    /// Hints at the sum the customer of `order` will read, if the order is one of the last
    /// range's (`World.prefetchRows`).
    @inline(__always)
    func prefetch(customerOf order: OrderId) {
        if let place = hintedPlace(customerOf: order) { numberedSums.prefetch(place) }
    }

    /// Where the hint says the sum of `order`'s customer sits in the sums kept by number.
    @inline(__always)
    func hintedPlace(customerOf order: OrderId) -> Int? { orderToNumbered.map { Int(order.number) + $0 } }

    /// Where the customer's sum sits in the sums kept by number, if it is kept so: for tests.
    func numberedPlace(of customer: String) -> Int? { numbered(customer) }

    /// Whether the two hold the same sums once the entries at 0 are left out.
    public func sameNonZero(as other: PointsByCustomer) -> Bool {
        var count = 0
        for (name, sum) in entries where sum != 0 {
            guard other[name] == sum else { return false }
            count += 1
        }
        return count == other.nonZeroCount
    }

    /// How many entries hold a sum other than 0.
    private var nonZeroCount: Int {
        rows.reduce(0) { $0 + ($1.sum != 0 ? 1 : 0) }
            + numberedSums.reduce(0) { $0 + ($1 != 0 && $1 != PointsByCustomer.noSum ? 1 : 0) }
    }

    /// Where an entry sits: a row kept by name, or a sum kept by number.
    private enum Place: Equatable {
        case row(Int)
        case numbered(Int)
    }

    private func place(of customer: String) -> Place? {
        if let i = numbered(customer) { return numberedSums[i] == PointsByCustomer.noSum ? nil : .numbered(i) }
        return row(of: customer, hash: PointsByCustomer.hash(customer)).map(Place.row)
    }

    /// The entry an arrival names, as a name and a sum.
    private func entry(_ arrival: Int32) -> (String, Int) {
        guard arrival < 0 else { return (rows[Int(arrival)].name, rows[Int(arrival)].sum) }
        let i = Int(-1 - arrival)
        return ((numberedPrefix ?? "") + String(numberedFirst + i), numberedSums[i])
    }

    /// Where the customer's sum sits in `numberedSums`, if the name is the numbered prefix
    /// and a number of the room written as `String(n)` writes it: no sign, no leading zero.
    /// Read from the names' bytes in place (a short name's sit in the string itself): the
    /// generic walk of two `UTF8View`s took some 700 instructions a name.
    @inline(__always)
    private func numbered(_ name: String) -> Int? {
        guard let prefix = numberedPrefix else { return nil }
        let number = name.utf8.withContiguousStorageIfAvailable { bytes in
            prefix.utf8.withContiguousStorageIfAvailable { PointsByCustomer.number(in: bytes, after: $0) } ?? nil
        } ?? PointsByCustomer.number(in: Array(name.utf8), after: Array(prefix.utf8))
        guard let number else { return nil }
        let i = number - numberedFirst
        return i >= 0 && i < numberedSums.count ? i : nil
    }

    /// The number `name` writes after `prefix` as `String(n)` would, if it does.
    private static func number<Bytes: RandomAccessCollection<UInt8>>(in name: Bytes, after prefix: Bytes) -> Int?
    where Bytes.Index == Int {
        let digits = name.count - prefix.count
        guard digits > 0, digits <= 18 else { return nil }
        let start = name.startIndex + prefix.count
        guard name[start] != UInt8(ascii: "0") || digits == 1 else { return nil }
        for offset in 0..<prefix.count where name[name.startIndex + offset] != prefix[prefix.startIndex + offset] {
            return nil
        }
        var number = 0
        for index in start..<name.endIndex {
            let digit = name[index] &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            number = number * 10 + Int(digit)
        }
        return number
    }

    /// The name's bytes through FNV-1a (`TextHash`).
    @inline(__always)
    private static func hash(_ name: String) -> UInt64 { TextHash.fnv1a(name) }

    /// Where a hash starts its probe in a table of `capacity` slots.
    @inline(__always)
    private static func home(of hash: UInt64, capacity: Int) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - capacity.trailingZeroBitCount))
    }

    private func row(of customer: String, hash: UInt64) -> Int? {
        guard !rows.isEmpty else { return nil }
        let mask = slots.count - 1
        var index = PointsByCustomer.home(of: hash, capacity: slots.count)
        while slots[index] >= 0 {
            let row = Int(slots[index])
            if rows[row].name == customer { return row }
            index = (index + 1) & mask
        }
        return nil
    }

    private mutating func place(_ hash: UInt64, row: Int32) {
        let mask = slots.count - 1
        var index = PointsByCustomer.home(of: hash, capacity: slots.count)
        while slots[index] >= 0 { index = (index + 1) & mask }
        slots[index] = row
    }

    private mutating func grow() {
        var capacity = Swift.max(16, slots.count * 2)
        while capacity < 2 * (rows.count + 1) { capacity *= 2 }
        slots = Array(repeating: -1, count: capacity)
        for index in rows.indices { place(PointsByCustomer.hash(rows[index].name), row: Int32(index)) }
    }

    public static func == (a: PointsByCustomer, b: PointsByCustomer) -> Bool {
        a.count == b.count && a.entries.allSatisfy { name, sum in b.sum(of: name) == sum }
    }

    /// A sum of each entry's own hash, so that the order of the entries does not count.
    public func hash(into hasher: inout Hasher) {
        var sum = 0
        for (name, points) in entries {
            var entry = Hasher()
            entry.combine(name)
            entry.combine(points)
            sum &+= entry.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}
