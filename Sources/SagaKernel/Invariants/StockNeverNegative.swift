/// No product's available stock ever drops below zero (a safety invariant).
struct StockNeverNegative: Invariant {
    let id = "stock-non-negative"
    let title = "stock never negative"
    var isEventual: Bool { false }

    func holds(in w: World) -> Bool { w.inventory.neverNegative }

    func evidence(in w: World) -> [String] {
        w.catalog.products.compactMap { product in
            let n = w.inventory.available(product.id)
            return n < 0 ? "\(product.id) has \(n) available" : nil
        }
    }

    func reference(in w: World) -> [String] { evidence(in: w) }
}
