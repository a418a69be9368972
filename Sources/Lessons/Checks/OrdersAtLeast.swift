import SagaLab

/// `orders-at-least N`: the shop has taken at least N orders.
struct OrdersAtLeast: ExerciseCheck {
    static let name = "orders-at-least"
    static let arguments = "N"
    let count: Int

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 1, Self.self)
        count = try CheckArguments.count(arguments[0], what: "N")
    }

    func isMet(in world: World) -> Bool { world.orders.orders.count >= count }

    func phrase(wanted: Bool) -> String {
        wanted ? "the shop has at least \(count) orders (`show orders`)" : "the shop has fewer than \(count) orders"
    }
}
