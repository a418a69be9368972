/// Customers numbered from one number to another, `user-1..1000`: the `order` command
/// places one order for each of them, so a learner can put load on the shop in one line
/// (and `make bench` can place a million orders without a million-line script).
public struct CustomerRange: Hashable, Sendable, CustomStringConvertible {
    /// The most orders one `order` line places.
    public static let maxCount = 1_000_000

    /// What comes before the number: `user-` in `user-1..1000`.
    public var prefix: String
    public var first: Int
    public var last: Int

    public init(prefix: String, first: Int, last: Int) {
        self.prefix = prefix
        self.first = first
        self.last = last
    }

    public var count: Int { last - first + 1 }

    /// The name of the customer numbered `n`: `user-7`, as `prefix + String(n)` writes it.
    /// Its bytes are written in place: a million orders' names, joined from two strings
    /// (the number's first made on its own), took a fiftieth of their run. The string asks
    /// for exactly the room the name takes, so that a short name is kept inside the
    /// string itself, as the joined one was: asked for more, it takes an allocation.
    public func name(_ n: Int) -> String {
        guard n >= 0 else { return prefix + String(n) }
        var digits = 1
        var rest = n / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var prefix = prefix
        return prefix.withUTF8 { head in
            String(unsafeUninitializedCapacity: head.count + digits) { buffer in
                if let source = head.baseAddress { buffer.baseAddress!.update(from: source, count: head.count) }
                var value = n
                for index in stride(from: head.count + digits - 1, through: head.count, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                return head.count + digits
            }
        }
    }

    /// The range as typed: `user-1..1000`.
    public var description: String { "\(prefix)\(first)..\(last)" }

    /// Reads `PREFIXa..b` (digits on both sides of `..`). Nil when `word` has no such shape,
    /// so it is read as one customer's name; throws one line when it is a range with an end
    /// left off, or a range that cannot be placed.
    public init?(parsing word: String) throws {
        let bytes = Array(word.utf8)
        guard let dots = bytes.indices.dropLast().first(where: { bytes[$0] == UInt8(ascii: ".") && bytes[$0 + 1] == UInt8(ascii: ".") })
        else { return nil }
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        let tail = bytes[(dots + 2)...]
        var start = dots
        while start > 0, isDigit(bytes[start - 1]) { start -= 1 }
        let tailIsNumber = !tail.isEmpty && tail.allSatisfy(isDigit)
        guard start < dots, tailIsNumber else {
            // A range with one end left off (`user-1..`, `..5`) was meant as a range; a name
            // such as `a..b` stays a name.
            if (start < dots && tail.isEmpty) || (dots == 0 && tailIsNumber) {
                throw WorldError("\(quoted(word)) is a range with an end missing: a range has a number on "
                                 + "each side of `..`, like user-1..100")
            }
            return nil
        }
        let prefix = String(decoding: bytes[..<start], as: UTF8.self)
        guard let first = Int(String(decoding: bytes[start..<dots], as: UTF8.self)),
              let last = Int(String(decoding: tail, as: UTF8.self)) else {
            throw WorldError("the numbers in \(quoted(word)) are too large")
        }
        guard first <= last else {
            throw WorldError("the customer range \(quoted(word)) runs backwards: write \(prefix)\(last)..\(first)")
        }
        guard last - first < CustomerRange.maxCount else {
            throw WorldError("one order line places at most \(CustomerRange.maxCount) orders; \(quoted(word)) names \(last - first + 1)")
        }
        self.init(prefix: prefix, first: first, last: last)
    }
}
