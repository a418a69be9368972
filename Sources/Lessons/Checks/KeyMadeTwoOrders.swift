import SagaLab

/// `key-made-two-orders`: one idempotency key produced a second order while its record
/// was still live: a retry took over an INPROGRESS record left by a request that had
/// already saved its order (an expired record does not count).
struct KeyMadeTwoOrders: ExerciseCheck {
    static let name = "key-made-two-orders"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool { !world.orders.idempotency.keysWithDuplicateOrders.isEmpty }

    func phrase(wanted: Bool) -> String {
        wanted ? "one key makes two orders while its record is live: a retry takes over an INPROGRESS record (`show keys`)"
            : "no key made two orders while its record was live"
    }
}
