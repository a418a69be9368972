/// The reservations the inventory holds for one order, oldest first: none or one nearly
/// always, kept in place in the inventory's table of orders; a second and later ones (a
/// reservation request handled twice, with no idempotent consumer to stop it) in an array
/// beside it.
///
/// Held as an array, each order the inventory reserved for had an allocation of its own,
/// and each sale, release or check of its reservation read the table and then that
/// allocation, somewhere else in memory: a million orders' were 64 MB of arrays of one.
/// Here a row takes 40 bytes in the table and the one reservation is read where the table
/// is. Reservations are only ever added or all released, so the same reservations are
/// always held the same way, and equality and hashing come from the compiler.
public struct HeldReservations: Hashable, Sendable, RandomAccessCollection, MutableCollection,
                                ExpressibleByArrayLiteral {
    public typealias Reservation = InventoryDB.Reservation

    /// The oldest reservation, when `holdsAny`; `HeldReservations.none` otherwise. Not an
    /// optional: the compiler destroyed and compared an optional reservation through the
    /// runtime's generic witnesses, some 250 instructions each time a row was read.
    private var oldest = HeldReservations.none
    private var holdsAny = false
    /// The others, oldest first; empty while at most one is held.
    private var later: [Reservation] = []

    /// What a row holding no reservation keeps in place of its oldest.
    private static let none = Reservation(orderId: .none, items: [], eventId: EventId(number: 0), at: 0, sequence: 0)

    public init() {}

    public init(arrayLiteral reservations: Reservation...) {
        for reservation in reservations { append(reservation) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { holdsAny ? 1 + later.count : 0 }

    public subscript(position: Int) -> Reservation {
        get {
            guard position > 0 else {
                precondition(holdsAny, "no reservation is held")
                return oldest
            }
            return later[position - 1]
        }
        set {
            guard position > 0 else {
                precondition(holdsAny, "no reservation is held")
                oldest = newValue
                return
            }
            later[position - 1] = newValue
        }
    }

    /// Whether exactly one reservation is held, of exactly `items`.
    func holdsOnly(_ items: [OrderItem]) -> Bool { holdsAny && later.isEmpty && oldest.items == items }

    /// Whether a reservation is held whose units are not sold yet.
    var holdsUnsold: Bool { holdsAny && (!oldest.isSold || later.contains { !$0.isSold }) }

    mutating func append(_ reservation: Reservation) {
        if holdsAny {
            later.append(reservation)
        } else {
            oldest = reservation
            holdsAny = true
        }
    }
}

extension HeldReservations: DigestRow {
    /// Its length, then each reservation's packing: what an array of them hashed.
    func digest<H: WordHasher>(into hasher: inout H) {
        hasher.combineWord(UInt64(count))
        for reservation in self { reservation.digest(into: &hasher) }
    }
}
