/// A participant's fence log, the countermeasure to a compensation that overtakes the
/// action it undoes (Seata's TCC fence, one row per transaction and branch; Alibaba's
/// DTX docs call it anti-suspension). It is a table in the participant's own database,
/// so it survives a crash like every other row there.
///
/// With `pattern fence on`, every rollback of an order's step leaves a mark: after an
/// undo that found something to undo ("rolled back"), or one that found nothing because
/// the action never arrived ("empty rollback": recorded, and answered as a success).
/// A try that arrives for an order with a mark is refused and does nothing
/// ("suspension"), so the saga stays compensated.
public struct FenceLog: Hashable, Sendable {
    /// One order's fence mark.
    public struct Mark: Hashable, Sendable {
        /// What the rollback that left the mark found.
        public enum Kind: String, Sendable, HashedByCase {
            case rolledBack = "rolled back"
            case emptyRollback = "empty rollback"
        }

        public var orderId: OrderId
        public var kind: Kind
        public var at: Millis
        /// Late tries refused because of this mark.
        public var refused = 0
    }

    private var marks = ByOrder<Mark?>(empty: nil)
    /// How many orders carry a mark.
    public private(set) var count = 0

    public init() {}

    public func mark(_ order: OrderId) -> Mark? { marks[order] }

    /// Hints at the mark a try or a rollback for `order` will read (`World.prefetchRows`).
    func prefetch(_ order: OrderId) { marks.prefetch(order) }

    /// Every mark in words, for the explorer's fingerprint (`DatabaseDigests.swift`): the
    /// places no order has a mark in tell two logs apart by nothing.
    func digest<H: WordHasher>(into hasher: inout H) {
        hasher.combineWord(UInt64(count))
        for mark in marks.rows {
            guard let mark else { continue }
            mark.digest(into: &hasher)
        }
    }

    /// Every mark, in order id order. O(n): for views and tests.
    public var all: [Mark] { marks.entries.compactMap(\.value) }

    /// Records a mark for `order` unless it has one; returns whether it was new.
    /// Makes room for `n` more orders' marks.
    mutating func makeRoom(forOrders n: Int) { marks.makeRoom(forOrders: n) }

    mutating func record(_ kind: Mark.Kind, order: OrderId, at time: Millis) -> Bool {
        guard marks[order] == nil else { return false }
        marks.update(order) { $0 = Mark(orderId: order, kind: kind, at: time) }
        count += 1
        return true
    }

    /// Counts a late try for `order` refused because of its mark.
    mutating func refuse(_ order: OrderId) {
        marks.update(order) { $0?.refused += 1 }
    }
}

/// A participant's step that a fence guards: the try it refuses after a rollback.
public enum FencedStep: String, Hashable, Sendable, HashedByCase {
    case reservation = "reserve"
    case charge = "charge"
}

extension FenceLog.Mark {
    /// The mark in words: its order, kind, time and refusals.
    func digest<H: WordHasher>(into hasher: inout H) {
        let kind: UInt64 = self.kind == .rolledBack ? 1 : 2
        hasher.combineWord(hasher.orderNumber(orderId) | kind << 32)
        hasher.combineWord(UInt64(bitPattern: Int64(at)))
        hasher.combineInt(refused)
    }
}
