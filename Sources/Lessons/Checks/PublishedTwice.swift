import SagaLab

/// `published-twice EVENT-TYPE`: the bus carried one event of this type more than once:
/// an outbox resend (`show events`), not a duplicate delivery of one publication.
struct PublishedTwice: ExerciseCheck {
    static let name = "published-twice"
    static let arguments = "EVENT-TYPE"
    let type: EventType

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 1, Self.self)
        type = try CheckArguments.eventType(arguments[0])
    }

    func isMet(in world: World) -> Bool {
        world.published.contains { $0.event.type == type && $0.count > 1 }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "one \(type.rawValue) event is published twice (`show events`)"
            : "no \(type.rawValue) event is published twice"
    }
}
