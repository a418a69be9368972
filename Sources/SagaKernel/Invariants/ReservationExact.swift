/// Each confirmed order holds exactly one reservation, of exactly its own items.
struct ReservationExact: Invariant {
    let id = "reservation-exact"
    let title = "each confirmed order holds exactly its own items"

    /// Reads each order's fields where it lies: an order passed to a closure that looks up
    /// its reservations was copied whole first, its customer and items retained.
    func holds(in w: World) -> Bool {
        let held = w.inventory.held
        let orders = w.orders.orders
        for index in orders.indices where orders[index].status == .confirmed {
            guard held.read(orders[index].id, { $0.holdsOnly(orders[index].items) }) else { return false }
        }
        return true
    }

    func evidence(in w: World) -> [String] {
        guard !holds(in: w) else { return [] }
        let held = w.inventory.held
        return report(w.orders.orders) { Array(held[$0]) }
    }

    func reference(in w: World) -> [String] {
        let held = Invariants.heldFromScratch(w)
        return report(Invariants.confirmedFromScratch(w)) { held[$0] ?? [] }
    }

    private func report(_ orders: [Order], _ held: (OrderId) -> [InventoryDB.Reservation]) -> [String] {
        orders.compactMap { order in
            guard order.status == .confirmed else { return nil }
            let reservations = held(order.id)
            if reservations.count == 1, reservations[0].items == order.items { return nil }
            if reservations.isEmpty { return "\(order.id) is CONFIRMED but holds no reservation" }
            return "\(order.id) is CONFIRMED and holds \(reservations.count) reservations: "
                + reservations.flatMap(\.items).map(\.description).joined(separator: " ")
        }
    }
}
