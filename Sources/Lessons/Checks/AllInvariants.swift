import SagaLab

/// `all-invariants`: every invariant `check` lists holds right now.
struct AllInvariants: ExerciseCheck {
    static let name = "all-invariants"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool { Invariants.evaluate(world).allSatisfy { $0.status == .holds } }

    func phrase(wanted: Bool) -> String {
        wanted ? "every invariant holds (`check`)" : "some invariant is broken (`check`)"
    }
}
