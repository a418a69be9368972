import SagaLab

/// `no-double-charge`: payment captured at most one charge for each order.
struct NoDoubleCharge: ExerciseCheck {
    static let name = "no-double-charge"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool {
        var seen = Set<OrderId>()
        return world.payment.charges.allSatisfy { seen.insert($0.orderId).inserted }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "payment charges every order at most once (`show payments`)" : "payment charges one order twice"
    }
}
