import SagaLab

/// `lost-in-crash`: a crash lost an event its service had committed to send: the service
/// saved its change, then crashed before the event reached the bus, with no outbox row
/// to send it later. A dropped message does not count: the bus lost that one.
struct LostInCrash: ExerciseCheck {
    static let name = "lost-in-crash"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool {
        world.trace.contains { entry in
            if case .message(.neverPublished) = entry.what { return true }
            return false
        }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "a crash lost an event after its service had committed (a dropped message is not a crash)"
            : "no crash lost a committed event"
    }
}
