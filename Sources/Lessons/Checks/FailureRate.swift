import SagaLab

/// `failure SERVICE N%`: the service fails this share of its requests (`fail SERVICE N%`).
struct FailureRate: ExerciseCheck {
    static let name = "failure"
    static let arguments = "SERVICE N%"
    let service: FailingService
    let percent: Int

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 2, Self.self)
        service = try CheckArguments.choice(arguments[0], FailingService.self, what: "failing service")
        guard arguments[1].hasSuffix("%"), let n = Int(arguments[1].dropLast()), (0...100).contains(n) else {
            throw CheckError("a failure rate is a percentage from 0% to 100%, not \"\(arguments[1])\"")
        }
        percent = n
    }

    func isMet(in world: World) -> Bool { world.failures[service] == .percent(percent) }

    func phrase(wanted: Bool) -> String {
        "\(service.rawValue) \(wanted ? "fails" : "does not fail") \(percent)% of its requests (`show faults`)"
    }
}
