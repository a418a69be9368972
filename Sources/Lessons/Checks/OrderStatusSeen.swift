import SagaLab

/// `order-status STATUS`: at least one order has this status (pending, confirmed,
/// cancelled or failed).
struct OrderStatusSeen: ExerciseCheck {
    static let name = "order-status"
    static let arguments = "pending|confirmed|cancelled|failed"
    let status: Order.Status

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 1, Self.self)
        guard let status = Order.Status(rawValue: arguments[0].uppercased()) else {
            throw CheckError("unknown order status \"\(arguments[0])\"; statuses: pending, confirmed, cancelled, failed")
        }
        self.status = status
    }

    func isMet(in world: World) -> Bool { world.orders.orders.contains { $0.status == status } }

    func phrase(wanted: Bool) -> String {
        wanted ? "an order ends \(status.rawValue) (`show orders`)" : "no order is \(status.rawValue)"
    }
}
