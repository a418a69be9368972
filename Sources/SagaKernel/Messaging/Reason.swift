import Synchronization

/// Why a step failed or an order was cancelled, as an event carries it: a number that
/// stands for the text.
///
/// A handful of texts ("card declined", "Payment failed: insufficient stock") are carried
/// by most of a run's failure events. Kept as a `String` in every event, they made the
/// event a value with a reference in it, so each copy of an event (into the outbox, onto
/// the bus, into the event store, into an agenda item the explorer copies with its world)
/// touched a reference count. Interned, an event is plain bytes.
///
/// A text that names a moment (a saga's deadline passed at 00:31.000) adds one entry per
/// distinct moment; the rest are a few dozen phrases for the life of the process.
///
/// Each distinct text gets its number the first time the process sees it, so two reasons
/// are equal exactly when their texts are. The numbers are never shown, sorted or saved,
/// so the order in which a process happens to meet the texts reaches no output.
public struct Reason: Hashable, Sendable, CustomStringConvertible {
    /// Where the text sits in the process's table.
    let number: UInt32

    public init(_ text: String) {
        number = Reason.table.withLock { $0.number(for: text) }
    }

    /// The reason a packed trace entry wrote down as its number.
    init(number: UInt32) { self.number = number }

    /// The reason "`title`: `cause`" ("Payment failed: card declined"), or "`title`:
    /// unknown" without a cause: what the orders service writes when a step failed. Each
    /// title and cause are joined into a text once, not again for every cancelled order.
    public init(_ title: String, cause: Reason?) {
        number = Reason.table.withLock { $0.number(joining: title, cause?.number) }
    }

    /// The text this reason stands for.
    public var text: String { Reason.table.withLock { $0.texts[Int(number)] } }

    public var description: String { text }

    /// Every text met so far, each once, by number.
    private struct Table: ~Copyable {
        var texts: [String] = []
        var numbers: [String: UInt32] = [:]
        /// The last few numbers handed out, tried before the dictionary: a run's failures
        /// repeat a couple of texts, and comparing a text costs less than hashing it.
        var recent: [UInt32] = []
        var nextRecent = 0

        /// The last few titles joined with a cause, and the reason each made: a run's
        /// cancellations repeat two titles and a couple of causes.
        var recentJoins: [(title: String, cause: UInt32?, number: UInt32)] = []

        mutating func number(joining title: String, _ cause: UInt32?) -> UInt32 {
            for join in recentJoins where join.cause == cause && join.title == title { return join.number }
            let number = number(for: "\(title): \(cause.map { texts[Int($0)] } ?? "unknown")")
            if recentJoins.count == 8 { recentJoins.removeFirst() }
            recentJoins.append((title, cause, number))
            return number
        }

        mutating func number(for text: String) -> UInt32 {
            for number in recent where texts[Int(number)] == text { return number }
            let number: UInt32
            if let known = numbers[text] {
                number = known
            } else {
                number = UInt32(texts.count)
                texts.append(text)
                numbers[text] = number
            }
            if recent.count < 4 {
                recent.append(number)
            } else {
                recent[nextRecent] = number
                nextRecent = (nextRecent + 1) % recent.count
            }
            return number
        }
    }

    private static let table = Mutex(Table())
}
