import SagaLab

/// `pattern NAME on|off`: a pattern `pattern` switches is on or off: outbox (for every
/// publisher), durable-timers, key-validation or fence. Idempotency has its own check.
struct PatternIs: ExerciseCheck {
    static let name = "pattern"
    static let arguments = "outbox|durable-timers|key-validation|fence on|off"
    static let names = ["outbox", "durable-timers", "key-validation", "fence"]
    let pattern: String
    let on: Bool

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 2, Self.self)
        pattern = arguments[0].lowercased()
        guard Self.names.contains(pattern) else {
            throw CheckError("unknown pattern \"\(arguments[0])\"; patterns: \(Self.names.joined(separator: ", ")) (idempotency has its own check)")
        }
        on = try CheckArguments.onOff(arguments[1])
    }

    func isMet(in world: World) -> Bool {
        let patterns = world.patterns
        switch pattern {
        case "outbox": return ServiceName.publishers.allSatisfy { patterns.usesOutbox($0) == on }
        case "durable-timers": return patterns.durableTimers == on
        case "key-validation": return patterns.keyValidation == on
        default: return patterns.fence == on
        }
    }

    func phrase(wanted: Bool) -> String {
        let state = on == wanted ? "on" : "off"
        return "the \(pattern) pattern is \(state) (`pattern \(pattern) \(state)`)"
    }
}
