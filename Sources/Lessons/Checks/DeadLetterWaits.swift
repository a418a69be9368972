import SagaLab

/// `dead-letter SERVICE CUSTOMER N`: an event about one of the customer's orders waits in
/// the service's dead-letter queue after N attempts whose handler threw (`show dlq`).
struct DeadLetterWaits: ExerciseCheck {
    static let name = "dead-letter"
    static let arguments = "SERVICE CUSTOMER N"
    let service: ServiceName
    let customer: String
    let attempts: Int

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 3, Self.self)
        service = try CheckArguments.service(arguments[0])
        customer = arguments[1].lowercased()
        attempts = try CheckArguments.count(arguments[2], what: "N")
    }

    func isMet(in world: World) -> Bool {
        world.node(service).deadLetters.contains { letter in
            letter.attempts == attempts && letter.error == World.handlerErrorText
                && world.orders.order(letter.orderId)?.customer == customer
        }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "\(customer)'s event waits in the \(service.rawValue) dead-letter queue after \(attempts) attempts (`show dlq`)"
            : "no event of \(customer)'s waits in the \(service.rawValue) dead-letter queue after \(attempts) attempts"
    }
}
