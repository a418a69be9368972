/// Every unit the lab supplied is either on the shelf or reserved for an order: none is
/// lost or invented (a safety invariant).
struct StockConserved: Invariant {
    let id = "stock-conserved"
    let title = "stock conserved: available + reserved = supplied"
    var isEventual: Bool { false }

    func holds(in w: World) -> Bool { w.inventory.isConserved }

    func evidence(in w: World) -> [String] {
        w.catalog.products.compactMap { product in
            report(product.id, w, reserved: w.inventory.reserved(product.id))
        }
    }

    func reference(in w: World) -> [String] {
        let reservations = w.inventory.reservations
        return w.catalog.products.compactMap { product in
            let reserved = reservations.flatMap(\.items).filter { $0.product == product.id }.reduce(0) { $0 + $1.quantity }
            return report(product.id, w, reserved: reserved)
        }
    }

    private func report(_ product: String, _ w: World, reserved: Int) -> String? {
        let available = w.inventory.available[product] ?? 0
        let supplied = w.inventory.supplied[product] ?? 0
        return available + reserved == supplied ? nil
            : "\(product): \(available) available + \(reserved) reserved != \(supplied) supplied"
    }
}
