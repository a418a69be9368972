import SagaLab

/// `concurrency SERVICE N`: the consumer works on at least N deliveries at once (`set concurrency`).
struct ConcurrencyAtLeast: ExerciseCheck {
    static let name = "concurrency"
    static let arguments = "SERVICE N"
    let service: ServiceName
    let count: Int

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 2, Self.self)
        service = try CheckArguments.service(arguments[0])
        count = try CheckArguments.count(arguments[1], what: "N")
    }

    func isMet(in world: World) -> Bool { world.settings.concurrency[service.index] >= count }

    func phrase(wanted: Bool) -> String {
        "\(service.rawValue) \(wanted ? "takes" : "takes fewer than") \(count) deliveries at once (`set concurrency`)"
    }
}
