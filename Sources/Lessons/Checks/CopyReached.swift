import SagaLab

/// `copy-reached SERVICE EVENT-TYPE`: the service received a second delivery of an event
/// of this type: a copy from the bus, or a redelivery of one it never acknowledged.
struct CopyReached: ExerciseCheck {
    static let name = "copy-reached"
    static let arguments = "SERVICE EVENT-TYPE"
    let service: ServiceName
    let type: EventType

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 2, Self.self)
        service = try CheckArguments.service(arguments[0])
        type = try CheckArguments.eventType(arguments[1])
    }

    func isMet(in world: World) -> Bool {
        world.trace.contains { entry in
            guard entry.service == service,
                  case .message(.received(let ref, let isCopy, let attempt, let retry)) = entry.what else { return false }
            return ref.type == type && (isCopy || (attempt > 1 && retry == nil))
        }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "a second delivery of \(type.rawValue) reaches \(service.rawValue) (`duplicate`)"
            : "no second delivery of \(type.rawValue) reaches \(service.rawValue)"
    }
}
