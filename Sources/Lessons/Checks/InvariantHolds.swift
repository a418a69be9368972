import SagaLab

/// `invariant ID`: the invariant with this id (as `check` lists them) holds right now:
/// not broken, and not waiting on events in flight.
struct InvariantHolds: ExerciseCheck {
    static let name = "invariant"
    static let arguments = "ID"
    let id: String
    let title: String

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 1, Self.self)
        let id = arguments[0].lowercased()
        guard let found = Invariants.titles.first(where: { $0.id == id }) else {
            throw CheckError("unknown invariant \"\(arguments[0])\"; invariants: \(Invariants.titles.map(\.id).joined(separator: ", "))")
        }
        self.id = id
        title = found.title
    }

    func isMet(in world: World) -> Bool {
        Invariants.evaluate(world).first { $0.id == id }?.status == .holds
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "`check` says it holds: \(title)" : "`check` finds it broken: \(title)"
    }
}
