import SagaLab

/// `rebuild-changed SERVICE`: a `rebuild` of the projection (analytics or rewards) from the
/// event store came out different from what the service had. It is how an exercise asks for
/// a read model that went wrong to be put right by replay, rather than avoided: a world
/// that never went wrong rebuilds "equal" and does not count.
struct RebuildChanged: ExerciseCheck {
    static let name = "rebuild-changed"
    static let arguments = "SERVICE"
    let service: ServiceName

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 1, Self.self)
        service = try CheckArguments.service(arguments[0])
    }

    func isMet(in world: World) -> Bool {
        world.trace.contains { entry in
            if case .lab(.rebuilt(let rebuild)) = entry.what { return rebuild.service == service && !rebuild.isEqual }
            return false
        }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "a rebuild of \(service.rawValue) from the event store changed what it had (`rebuild \(service.rawValue)`)"
            : "no rebuild of \(service.rawValue) changed what it had"
    }
}
