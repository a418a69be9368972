/// A cancelled or failed order holds no stock: its compensation released it.
struct ReservationsReleased: Invariant {
    let id = "reservations-released"
    let title = "no reservation held for a cancelled or failed order"

    func holds(in w: World) -> Bool {
        w.inventory.held.allEntries { order, _ in w.orders.facts(order)?.status.isUnsuccessful != true }
    }

    func evidence(in w: World) -> [String] {
        guard !holds(in: w) else { return [] }
        let holders = w.inventory.held.entries.compactMap { w.orders.order($0.order) }
        let held = w.inventory.held
        return report(holders) { Array(held[$0]) }
    }

    func reference(in w: World) -> [String] {
        let held = Invariants.heldFromScratch(w)
        return report(w.orders.orders) { held[$0] ?? [] }
    }

    private func report(_ orders: [Order], _ held: (OrderId) -> [InventoryDB.Reservation]) -> [String] {
        orders.filter { $0.status.isUnsuccessful }.compactMap { order in
            let reservations = held(order.id)
            return reservations.isEmpty ? nil : "\(order.id) is \(order.status.rawValue) but inventory still holds "
                + reservations.flatMap(\.items).map(\.description).joined(separator: " ")
        }
    }
}
