import SagaKernel

extension OrdersDB {
    /// The most orders whose ids a near-miss suggestion compares a mistyped one against:
    /// each comparison is an edit distance, and a lab of a million orders would spend a
    /// second on a typo.
    static let hintableOrders = 10_000

    /// " (did you mean 'ord-1'?)" for an order id that names none, or "" (also past
    /// `hintableOrders`): what every command that takes an order says when it is wrong.
    func hint(for name: String) -> String {
        guard orders.count <= OrdersDB.hintableOrders else { return "" }
        return Suggest.hint(name, in: orders.map(\.id.description))
    }
}
