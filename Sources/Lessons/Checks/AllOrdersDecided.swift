import SagaLab

/// `all-orders-decided`: the shop has orders and none of them is PENDING.
struct AllOrdersDecided: ExerciseCheck {
    static let name = "all-orders-decided"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool {
        !world.orders.orders.isEmpty && world.orders.orders.allSatisfy { $0.status != .pending }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "there are orders and every one is decided: none PENDING (`show orders`)"
            : "an order is still PENDING, or there is none"
    }
}
