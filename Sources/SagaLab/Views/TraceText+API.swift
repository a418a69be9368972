extension APIHappening {
    var text: String {
        switch self {
        case .request(let customer, let items, let key):
            return "POST /orders \(customer) \(items.map(\.description).joined(separator: " "))" + (key.map { " key=\($0)" } ?? "")
        }
    }
}
