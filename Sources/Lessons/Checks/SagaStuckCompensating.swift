import SagaLab

/// `saga-stuck-compensating`: a saga record says compensationRequired while its order
/// is still PENDING: a compensation that stopped half way.
struct SagaStuckCompensating: ExerciseCheck {
    static let name = "saga-stuck-compensating"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool {
        world.orders.sagas.contains { saga in
            saga.compensationRequired && world.orders.order(saga.orderId)?.status == .pending
        }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "a saga says compensationRequired while its order is still PENDING (`show saga`)"
            : "no saga is half way through its compensation"
    }
}
