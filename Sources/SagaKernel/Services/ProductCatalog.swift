/// The products the shop sells and their prices: the world's own list, so `product` can
/// add one (the Step Functions shop's test script orders a laptop and monitors) or change
/// a price. Stock lives in the inventory service; an order's total is fixed when placed.
public struct ProductCatalog: Hashable, Sendable {
    public struct Product: Hashable, Sendable {
        public var id: String
        /// Price in cents.
        public var price: Int
    }

    /// In the order they were added: the three the shop starts with first.
    public private(set) var products: [Product] = Catalog.products.map { Product(id: $0.id, price: $0.price) }

    /// The stock a product added without one starts with: prod-1's.
    public static let defaultStock = 100
    /// The most products one world sells.
    public static let maxProducts = 50

    public var ids: [String] { products.map(\.id) }

    public func price(of id: String) -> Int? { products.first { $0.id == id }?.price }

    /// Sets a product's price, adding the product if it is new. Returns the old price.
    mutating func set(_ id: String, price: Int) -> Int? {
        if let index = products.firstIndex(where: { $0.id == id }) {
            let old = products[index].price
            products[index].price = price
            return old
        }
        products.append(Product(id: id, price: price))
        return nil
    }
}

extension World {
    /// `product NAME PRICE [STOCK]`: adds a product or changes its price, and sets its
    /// stock when given (a new product without one starts with `defaultStock`).
    public mutating func setProduct(_ id: String, price: Int, stock: Int?) throws {
        let isNew = catalog.price(of: id) == nil
        if isNew && catalog.products.count >= ProductCatalog.maxProducts {
            throw WorldError("the shop sells at most \(ProductCatalog.maxProducts) products")
        }
        let old = catalog.set(id, price: price)
        log(.lab(.product(id, price: price, was: old)), .inventory)
        if let quantity = stock ?? (isNew ? ProductCatalog.defaultStock : nil) {
            try setStock(id, quantity)
        }
    }
}
