/// Every unit the lab supplied is on the shelf, reserved for an order or sold to one: none
/// is lost or invented (a safety invariant).
struct StockConserved: Invariant {
    let id = "stock-conserved"
    let title = "stock conserved: available + reserved + sold = supplied"
    var isEventual: Bool { false }

    func holds(in w: World) -> Bool { w.inventory.isConserved }

    func evidence(in w: World) -> [String] {
        w.catalog.products.compactMap { product in
            report(product.id, w, reserved: w.inventory.reserved(product.id), sold: w.inventory.sold(product.id))
        }
    }

    func reference(in w: World) -> [String] {
        let reservations = w.inventory.reservations
        return w.catalog.products.compactMap { product in
            func units(sold: Bool) -> Int {
                reservations.filter { $0.isSold == sold }.flatMap(\.items)
                    .filter { $0.product == product.id }.reduce(0) { $0 + $1.quantity }
            }
            return report(product.id, w, reserved: units(sold: false), sold: units(sold: true))
        }
    }

    private func report(_ product: String, _ w: World, reserved: Int, sold: Int) -> String? {
        let available = w.inventory.available(product)
        let supplied = w.inventory.supplied(product)
        return available + reserved + sold == supplied ? nil
            : "\(product): \(available) available + \(reserved) reserved + \(sold) sold != \(supplied) supplied"
    }
}
