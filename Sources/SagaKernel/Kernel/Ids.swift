/// An id the world hands out in sequence: a number, printed with its kind's prefix
/// (`ord-12`, `evt-3`). Keeping the number, not the text, makes ids small, cheap to compare
/// and hash, and usable as array indexes; the text exists only where an id is shown.
/// Number 0 stands for "no id" and prints as `-` (a malformed event carries no order).
public protocol SequentialId: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// `ord`, `evt`, ...
    static var prefix: String { get }
    var number: Int32 { get }
    init(number: Int32)
}

extension SequentialId {
    public var description: String { number == 0 ? "-" : "\(Self.prefix)-\(number)" }

    /// The id a learner typed (`ord-12`), or nil when the text is not one of this kind.
    public init?(parsing text: String) {
        if text == "-" {
            self.init(number: 0)
            return
        }
        let utf8 = text.utf8
        let prefix = Self.prefix.utf8
        guard utf8.count > prefix.count + 1, utf8.count <= prefix.count + 10, utf8.starts(with: prefix),
              utf8[utf8.index(utf8.startIndex, offsetBy: prefix.count)] == UInt8(ascii: "-") else { return nil }
        let digits = utf8.dropFirst(prefix.count + 1)
        guard digits.first != UInt8(ascii: "0") else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        guard value > 0, value <= Int64(Int32.max) else { return nil }
        self.init(number: Int32(value))
    }

    /// For tests and lessons that name an id in the source: `"ord-1"`.
    public init(stringLiteral text: String) {
        guard let id = Self(parsing: text) else { preconditionFailure("'\(text)' is not a \(Self.prefix) id") }
        self = id
    }

    public static func < (a: Self, b: Self) -> Bool { a.number < b.number }

    /// Where this id sits in a table of rows kept in id order (`ord-1` at 0).
    var index: Int { Int(number) - 1 }
}

/// An order, `ord-N`.
public struct OrderId: SequentialId {
    public static let prefix = "ord"
    public let number: Int32
    public init(number: Int32) { self.number = number }
    /// What a malformed event carries instead of an order.
    public static let none = OrderId(number: 0)
}

/// An event, `evt-N`.
public struct EventId: SequentialId {
    public static let prefix = "evt"
    public let number: Int32
    public init(number: Int32) { self.number = number }
}

/// A saga state record, `saga-N`.
public struct SagaId: SequentialId {
    public static let prefix = "saga"
    public let number: Int32
    public init(number: Int32) { self.number = number }
}

/// An orchestrator execution, `exec-N`.
public struct ExecutionId: SequentialId {
    public static let prefix = "exec"
    public let number: Int32
    public init(number: Int32) { self.number = number }
}

/// A payment charge, `ch-N`.
public struct ChargeId: SequentialId {
    public static let prefix = "ch"
    public let number: Int32
    public init(number: Int32) { self.number = number }
}

/// A dead letter, `dl-N`.
public struct DeadLetterId: SequentialId {
    public static let prefix = "dl"
    public let number: Int32
    public init(number: Int32) { self.number = number }
}

/// The world's counters for each kind of id.
public struct IdCounters: Hashable, Sendable {
    var orders: Int32 = 0
    var events: Int32 = 0
    var sagas: Int32 = 0
    var executions: Int32 = 0
    var charges: Int32 = 0
    var deadLetters: Int32 = 0
    var handlings: Int32 = 0
}
