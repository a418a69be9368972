import SagaLab

/// `alarm NAME`: the monitoring alarm with this name is firing (`show alarms`).
struct AlarmFiring: ExerciseCheck {
    static let name = "alarm"
    static let arguments = "NAME"
    let alarm: String

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 1, Self.self)
        let names = Metrics(World()).alarms.map(\.name)
        guard let name = names.first(where: { $0.lowercased() == arguments[0].lowercased() }) else {
            throw CheckError("unknown alarm \"\(arguments[0])\"; alarms: \(names.joined(separator: ", "))")
        }
        alarm = name
    }

    func isMet(in world: World) -> Bool { Metrics(world).alarms.contains { $0.name == alarm && $0.firing } }

    func phrase(wanted: Bool) -> String {
        "the \(alarm) alarm \(wanted ? "fires" : "is quiet") (`show alarms`)"
    }
}
