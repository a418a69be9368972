import SagaLab

/// `rule SERVICE EVENT-TYPE`: the bus sends events of this type to the service (`show
/// rules`). Written `not rule ...` when an exercise wants a subscription gone.
struct RuleExists: ExerciseCheck {
    static let name = "rule"
    static let arguments = "SERVICE EVENT-TYPE"
    let service: ServiceName
    let type: EventType

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 2, Self.self)
        service = try CheckArguments.service(arguments[0])
        type = try CheckArguments.eventType(arguments[1])
    }

    func isMet(in world: World) -> Bool {
        world.rules.contains { $0.target == service && $0.eventType == type }
    }

    func phrase(wanted: Bool) -> String {
        "\(service.rawValue) \(wanted ? "hears" : "no longer hears") \(type.rawValue) (`show rules`)"
    }
}
