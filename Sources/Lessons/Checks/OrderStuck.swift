import SagaLab

/// `order-stuck`: an order is PENDING with nothing anywhere that could still move it on,
/// as `show sagas stuck` lists them (whether or not its saga was marked for compensation).
struct OrderStuck: ExerciseCheck {
    static let name = "order-stuck"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool {
        world.orders.orders.contains { order in
            let condition = world.condition(of: order)
            return condition == .stuck || condition == .compensating
        }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "an order stays PENDING with nothing left that could move it on"
            : "no order stays PENDING for good"
    }
}
