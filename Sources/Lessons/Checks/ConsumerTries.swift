import SagaLab

/// `consumer-tries N WAIT`: the consumers' retry policy tries a failing delivery N times
/// in all, the last try WAIT after the first (`retry consumers`).
struct ConsumerTries: ExerciseCheck {
    static let name = "consumer-tries"
    static let arguments = "N WAIT"
    let tries: Int
    let wait: Millis

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 2, Self.self)
        tries = try CheckArguments.count(arguments[0], what: "N")
        wait = try CheckArguments.duration(arguments[1])
    }

    func isMet(in world: World) -> Bool {
        let policy = world.settings.consumerRetries
        return 1 + policy.immediate + policy.delayed == tries && policy.waited(throughDelayed: policy.delayed) == wait
    }

    func phrase(wanted: Bool) -> String {
        let what = "a failing delivery is tried \(tries) times in all, the last \(VirtualTime.duration(wait)) after the first"
        return wanted ? what + " (`retry consumers`)" : "it is not so that " + what
    }
}
