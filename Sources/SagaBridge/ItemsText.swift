import SagaKernel

/// An order's items as one text column (`prod-1x2 prod-3`), the form the `order` command
/// takes, so a learner reading a table in psql reads what they typed.
enum ItemsText {
    static func text(_ items: [OrderItem]) -> String { items.map(\.description).joined(separator: " ") }

    static func items(_ text: String) -> [OrderItem] {
        text.split(separator: " ").map { word in
            if let x = word.lastIndex(of: "x"), let quantity = Int(word[word.index(after: x)...]) {
                return OrderItem(product: String(word[..<x]), quantity: quantity)
            }
            return OrderItem(product: String(word), quantity: 1)
        }
    }
}
