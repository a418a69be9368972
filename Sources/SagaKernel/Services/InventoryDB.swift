/// The inventory service's database: available stock per product and the reservations
/// held for orders, each either still reserved (its order may yet be cancelled) or sold
/// (its order was confirmed). `supplied` counts every unit the lab ever put on the shelf,
/// so the conservation check can tell a lost or invented unit.
public struct InventoryDB: Hashable, Sendable {
    public struct Reservation: Hashable, Sendable {
        // Widest first, in 32 bytes (it took 48): an order's one reservation is kept in
        // place in the inventory's table (`HeldReservations`), a row of 40 bytes.
        public var items: [OrderItem]
        public var at: Millis
        public var orderId: OrderId
        public var eventId: EventId
        /// Position in the order reservations were made, for listing them in that order.
        var sequence: Int32
        /// Whether the order was confirmed and the units are sold, no longer only reserved.
        public var isSold = false

        init(orderId: OrderId, items: [OrderItem], eventId: EventId, at: Millis, isSold: Bool = false, sequence: Int32) {
            self.items = items
            self.at = at
            self.orderId = orderId
            self.eventId = eventId
            self.sequence = sequence
            self.isSold = isSold
        }
    }

    /// One product's figures: available + reserved + sold = supplied when nothing was lost.
    public struct Figures: Hashable, Sendable {
        public var available = 0
        /// The sum over the unsold reservations in `held`, kept as reservations come and go.
        public var reserved = 0
        /// The sum over the sold reservations in `held`.
        public var sold = 0
        /// Every unit the lab ever put on the shelf.
        public var supplied = 0
    }

    /// Every product's figures, in one table so that a change to a product finds its row
    /// once instead of once per figure.
    private(set) var figures = FiguresByProduct()
    /// The reservations held, by order (`HeldReservations`: the one an order nearly always
    /// has in place).
    public private(set) var held = ByOrder<HeldReservations>(empty: [])
    /// The fence marks of orders whose reservation was rolled back (`pattern fence`).
    public internal(set) var fence = FenceLog()
    private var nextSequence: Int32 = 0
    /// How many products now have negative stock, and how many break available + reserved
    /// + sold = supplied: kept by every change to stock, so the safety invariants cost O(1).
    private(set) var negativeProducts = 0
    private(set) var unbalancedProducts = 0

    /// Makes room for `n` more orders' reservations and fence marks.
    mutating func makeRoom(forOrders n: Int) {
        held.makeRoom(forOrders: n)
        fence.makeRoom(forOrders: n)
    }

    init() {
        for product in Catalog.products {
            figures.change(product.id) { $0 = Figures(available: product.initialStock, supplied: product.initialStock) }
        }
    }

    /// Available stock per product, as a table: for views and tests.
    public var available: [String: Int] {
        Dictionary(uniqueKeysWithValues: figures.entries.map { ($0.product, $0.figures.available) })
    }
    /// Units ever supplied per product, as a table: for views and tests.
    public var supplied: [String: Int] {
        Dictionary(uniqueKeysWithValues: figures.entries.map { ($0.product, $0.figures.supplied) })
    }

    /// A product's available stock.
    public func available(_ product: String) -> Int { figures[product]?.available ?? 0 }
    /// Units of a product ever supplied.
    public func supplied(_ product: String) -> Int { figures[product]?.supplied ?? 0 }

    /// Every reservation held, in the order they were made. O(n log n): for views and tests.
    public var reservations: [Reservation] {
        held.entries.flatMap(\.value).sorted { $0.sequence < $1.sequence }
    }

    /// The reservations held for one order, oldest first.
    public func reservations(forOrder id: OrderId) -> [Reservation] { Array(held[id]) }

    public func reserved(_ product: String) -> Int { figures[product]?.reserved ?? 0 }

    public func sold(_ product: String) -> Int { figures[product]?.sold ?? 0 }

    /// Whether everything but the reservations held is the same bytes as in `other`: the
    /// explorer's fingerprint hashes the rest (`hashBesidesHeld`) only when this is false,
    /// and the reservations order by order.
    func sameBesidesHeld(as other: InventoryDB) -> Bool {
        World.sameBytes(figures, other.figures) && World.sameBytes(fence, other.fence) && nextSequence == other.nextSequence
            && negativeProducts == other.negativeProducts && unbalancedProducts == other.unbalancedProducts
    }

    /// The stock figures and counts, in words. Each product's figures are mixed in with
    /// the hash of its id's bytes and summed, so the table's order of products plays no
    /// part. A symmetric fingerprint hashes the reservations and the fence's marks apart,
    /// order by order.
    func digestBesidesHeldAndFence<H: WordHasher>(into hasher: inout H) {
        var sum: UInt64 = 0
        figures.forEach { product, row in
            var term = World.Digest.mix(TextHash.fnv1a(product), UInt64(bitPattern: Int64(row.available)))
            term = World.Digest.mix(term, UInt64(bitPattern: Int64(row.reserved)))
            term = World.Digest.mix(term, UInt64(bitPattern: Int64(row.sold)))
            sum &+= World.Digest.mix(term, UInt64(bitPattern: Int64(row.supplied)))
        }
        hasher.combineWord(sum)
        hasher.combineInt(Int(nextSequence))
        hasher.combineInt(negativeProducts)
        hasher.combineInt(unbalancedProducts)
    }

    /// The hash of everything but the reservations held, in words (`DigestHasher`).
    func hashBesidesHeld() -> Int {
        var hasher = DigestHasher(seed: 0)
        digestBesidesHeldAndFence(into: &hasher)
        fence.digest(into: &hasher)
        return hasher.value
    }

    /// Whether every product's available stock is zero or more.
    var neverNegative: Bool { negativeProducts == 0 }

    /// Whether, for every product, available + reserved + sold = supplied.
    var isConserved: Bool { unbalancedProducts == 0 }

    /// Changes one product's figures and keeps the counts of products breaking the invariants.
    private mutating func adjust(
        _ product: String, available da: Int = 0, reserved dr: Int = 0, sold dz: Int = 0, supplied ds: Int = 0
    ) {
        var (negative, unbalanced) = (negativeProducts, unbalancedProducts)
        figures.change(product) { row in
            negative -= row.available < 0 ? 1 : 0
            unbalanced -= row.available + row.reserved + row.sold != row.supplied ? 1 : 0
            row.available += da
            row.reserved += dr
            row.sold += dz
            row.supplied += ds
            negative += row.available < 0 ? 1 : 0
            unbalanced += row.available + row.reserved + row.sold != row.supplied ? 1 : 0
        }
        (negativeProducts, unbalancedProducts) = (negative, unbalanced)
    }

    /// Sets a product's available stock; the difference counts as supplied (or removed).
    /// Returns what was available before.
    mutating func setStock(_ product: String, _ quantity: Int) -> Int {
        let before = available(product)
        adjust(product, available: quantity - before, supplied: quantity - before)
        return before
    }

    /// Sets a product's figures to what a stored row says (`World(stored:)`), keeping the
    /// counts of products that break the invariants.
    mutating func restore(_ product: String, available quantity: Int, supplied total: Int) {
        adjust(product, available: quantity - available(product), supplied: total - supplied(product))
    }

    mutating func reserve(_ items: [OrderItem], for orderId: OrderId, event eventId: EventId, at time: Millis) {
        for item in items { adjust(item.product, available: -item.quantity, reserved: item.quantity) }
        let reservation = Reservation(orderId: orderId, items: items, eventId: eventId, at: time, sequence: nextSequence)
        held.update(orderId) { $0.append(reservation) }
        nextSequence += 1
    }

    /// Puts back everything held for `orderId`, reserved or sold, and returns what was held.
    mutating func release(_ orderId: OrderId) -> [Reservation] {
        let released = Array(held[orderId])
        guard !released.isEmpty else { return [] }
        held.update(orderId) { $0 = [] }
        for reservation in released {
            for item in reservation.items {
                if reservation.isSold {
                    adjust(item.product, available: item.quantity, sold: -item.quantity)
                } else {
                    adjust(item.product, available: item.quantity, reserved: -item.quantity)
                }
            }
        }
        return released
    }

    /// Moves what is reserved for `orderId` to sold (its order was confirmed) and returns
    /// the items moved; nothing when nothing is held or all of it is sold already.
    mutating func markSold(_ orderId: OrderId) -> [OrderItem] {
        guard held.read(orderId, \.holdsUnsold) else { return [] }
        var items: [OrderItem] = []
        held.update(orderId) { list in
            for index in list.indices where !list[index].isSold {
                list[index].isSold = true
                // One reservation, the usual case, lends its items rather than copying them.
                if items.isEmpty { items = list[index].items } else { items.append(contentsOf: list[index].items) }
            }
        }
        for item in items { adjust(item.product, reserved: -item.quantity, sold: item.quantity) }
        return items
    }
}
