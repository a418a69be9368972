import SagaLab

/// `flow NAME`: the world's flow is this one (`flow`): inventory-first, payment-first or parallel.
struct FlowIs: ExerciseCheck {
    static let name = "flow"
    static let arguments = "inventory-first|payment-first|parallel"
    let flow: Flow

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 1, Self.self)
        flow = try CheckArguments.choice(arguments[0], Flow.self, what: "flow")
    }

    func isMet(in world: World) -> Bool { world.flow == flow }

    func phrase(wanted: Bool) -> String { "the flow is \(wanted ? "" : "not ")\(flow.rawValue) (`flow`)" }
}
