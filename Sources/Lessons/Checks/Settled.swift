import SagaLab

/// `settled`: every service runs and nothing is in flight, so what the world shows now is
/// what it keeps. Most exercises end with it, so that a state half way does not count.
struct Settled: ExerciseCheck {
    static let name = "settled"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool { AllRunning.allRunning(world) && !world.hasWork }

    func phrase(wanted: Bool) -> String {
        wanted ? "the world settles: every service running and nothing left in flight (`run`, `restart`)"
            : "something is still in flight or a service is down"
    }
}
