import SagaLab

/// `all-running`: every service is up and connected, so nothing merely waits for a
/// restart or a heal. Unlike `settled`, work may still be in flight.
struct AllRunning: ExerciseCheck {
    static let name = "all-running"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    static func allRunning(_ world: World) -> Bool { ServiceName.allCases.allSatisfy { world.node($0).isReachable } }

    func isMet(in world: World) -> Bool { Self.allRunning(world) }

    func phrase(wanted: Bool) -> String {
        wanted ? "every service is running (`restart` what crashed, `heal` what is cut off)" : "a service is down or cut off"
    }
}
