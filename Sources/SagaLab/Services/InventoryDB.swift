/// The inventory service's database: available stock per product and the reservations
/// held for orders. `supplied` counts every unit the lab ever put on the shelf, so the
/// conservation check can tell a lost or invented unit.
public struct InventoryDB: Hashable, Sendable {
    public struct Reservation: Hashable, Sendable {
        public var orderId: OrderId
        public var items: [OrderItem]
        public var eventId: EventId
        public var at: Millis
        /// Position in the order reservations were made, for listing them in that order.
        var sequence: Int
    }

    public var available: [String: Int]
    public var supplied: [String: Int]
    /// The reservations held, by order.
    public private(set) var held: [OrderId: [Reservation]] = [:]
    /// Units reserved per product: the sum over `held`, kept as reservations come and go.
    public private(set) var reservedUnits: [String: Int] = [:]
    private var nextSequence = 0

    init() {
        var stock: [String: Int] = [:]
        for product in Catalog.products { stock[product.id] = product.initialStock }
        available = stock
        supplied = stock
    }

    /// Every reservation held, in the order they were made. O(n log n): for views and tests.
    public var reservations: [Reservation] {
        held.values.joined().sorted { $0.sequence < $1.sequence }
    }

    /// The reservations held for one order, oldest first.
    public func reservations(forOrder id: OrderId) -> [Reservation] { held[id] ?? [] }

    public func reserved(_ product: String) -> Int { reservedUnits[product] ?? 0 }

    /// Whether every catalog product's available stock is zero or more.
    var neverNegative: Bool {
        for product in Catalog.products where (available[product.id] ?? 0) < 0 { return false }
        return true
    }

    /// Whether, for every catalog product, available + reserved = supplied.
    var isConserved: Bool {
        for product in Catalog.products
        where (available[product.id] ?? 0) + (reservedUnits[product.id] ?? 0) != (supplied[product.id] ?? 0) {
            return false
        }
        return true
    }

    mutating func reserve(_ items: [OrderItem], for orderId: OrderId, event eventId: EventId, at time: Millis) {
        for item in items {
            available[item.product, default: 0] -= item.quantity
            reservedUnits[item.product, default: 0] += item.quantity
        }
        held[orderId, default: []].append(Reservation(orderId: orderId, items: items, eventId: eventId, at: time, sequence: nextSequence))
        nextSequence += 1
    }

    /// Puts back everything held for `orderId` and returns what was held.
    mutating func release(_ orderId: OrderId) -> [Reservation] {
        guard let released = held.removeValue(forKey: orderId) else { return [] }
        for item in released.flatMap(\.items) {
            available[item.product, default: 0] += item.quantity
            reservedUnits[item.product, default: 0] -= item.quantity
        }
        return released
    }
}
