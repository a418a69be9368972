/// A cancelled or failed order holds no stock: its compensation released it.
struct ReservationsReleased: Invariant {
    let id = "reservations-released"
    let title = "no reservation held for a cancelled or failed order"

    func holds(in w: World) -> Bool {
        w.inventory.held.keys.allSatisfy { w.orders.order($0)?.status.isUnsuccessful != true }
    }

    func evidence(in w: World) -> [String] {
        let holders = w.inventory.held.keys.compactMap { id in w.orders.order(id) }
        return report(holders.sorted { $0.id < $1.id }, w.inventory.held)
    }

    func reference(in w: World) -> [String] { report(w.orders.orders, Invariants.heldFromScratch(w)) }

    private func report(_ orders: [Order], _ held: [OrderId: [InventoryDB.Reservation]]) -> [String] {
        orders.filter { $0.status.isUnsuccessful }.compactMap { order in
            let reservations = held[order.id] ?? []
            return reservations.isEmpty ? nil : "\(order.id) is \(order.status.rawValue) but inventory still holds "
                + reservations.flatMap(\.items).map(\.description).joined(separator: " ")
        }
    }
}
