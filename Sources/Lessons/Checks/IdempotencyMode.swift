import SagaLab

/// `idempotency SERVICE on|off|check-then-act`: the consumer follows that named recipe
/// for every event (`pattern idempotency`), not a recipe of the learner's own.
struct IdempotencyIs: ExerciseCheck {
    static let name = "idempotency"
    static let arguments = "SERVICE on|off|check-then-act"
    let service: ServiceName
    let mode: IdempotencyMode

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 2, Self.self)
        service = try CheckArguments.service(arguments[0])
        mode = try CheckArguments.choice(arguments[1], IdempotencyMode.self, what: "idempotency mode")
    }

    func isMet(in world: World) -> Bool { world.patterns.idempotency(of: service) == mode }

    func phrase(wanted: Bool) -> String {
        "\(service.possessive) idempotency is \(wanted ? "" : "not ")\(mode.rawValue) (`pattern idempotency`)"
    }
}
