/// The inventory's stock figures, one row per product, in a short list sorted by the
/// product's id.
///
/// A shop has a handful of products, and every reservation, sale and release changes a
/// row: a `Dictionary` hashed the product's id with SipHash each time (some 300
/// instructions, a hundredth of a million orders' run), where a look along three rows
/// compares a short id in a word or two. Sorted by id, equal tables hold equal arrays,
/// so equality and hashing come from the compiler.
struct FiguresByProduct: Hashable, Sendable {
    private struct Row: Hashable, Sendable {
        var product: String
        var figures: InventoryDB.Figures
    }

    private var rows: [Row] = []

    /// The product's figures; nil for a product the table has no row for.
    subscript(product: String) -> InventoryDB.Figures? {
        index(of: product).map { rows[$0].figures }
    }

    /// Every product and its figures, by product id.
    var entries: [(product: String, figures: InventoryDB.Figures)] { rows.map { ($0.product, $0.figures) } }

    /// Calls `body` with each product and its figures, by product id, without listing them
    /// first: what the explorer's digest reads at every state whose stock changed.
    func forEach(_ body: (String, InventoryDB.Figures) -> Void) {
        for row in rows { body(row.product, row.figures) }
    }

    /// Applies `body` to the product's figures in place, making its row (all zeros) first
    /// if it has none.
    mutating func change(_ product: String, _ body: (inout InventoryDB.Figures) -> Void) {
        let index = index(of: product) ?? insert(product)
        body(&rows[index].figures)
    }

    @inline(__always)
    private func index(of product: String) -> Int? {
        for index in rows.indices where rows[index].product == product { return index }
        return nil
    }

    private mutating func insert(_ product: String) -> Int {
        let index = rows.firstIndex { product < $0.product } ?? rows.count
        rows.insert(Row(product: product, figures: InventoryDB.Figures()), at: index)
        return index
    }
}
