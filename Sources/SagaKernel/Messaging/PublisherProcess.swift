/// Where the outbox publishers run (`publishers`).
///
/// In the EventBridge shop the publisher is a scheduled function of its own, started every
/// 30 seconds whether or not the orders API is healthy: a crash of the API after it saved an
/// order leaves the publisher to send the event half a minute later, and a publisher that
/// stops leaves the API taking orders while their events pile up in the outbox.
public enum PublisherDeployment: String, CaseIterable, Sendable {
    /// Each publisher is a loop inside its service: it stops and starts with the service.
    case inService = "in-service"
    /// Each publisher is a process of its own (`orders-publisher`, ...), with its own crash,
    /// restart and crash point; it shares its service's network.
    case ownProcess = "own-process"
}

/// The publishers as processes of their own: crashing, arming and restarting one, and
/// moving them into or out of their services.
extension World {
    /// `crash SERVICE-publisher`: the publisher stops; its service goes on taking work and
    /// writing outbox rows, which wait until the publisher is restarted.
    public mutating func crashPublisher(_ service: ServiceName) throws {
        try requireOwnProcess(service, instead: "`crash \(service.rawValue)` stops both")
        guard node(service).publisherUp else {
            throw WorldError("\(service.publisherName) is already down; `restart \(service.publisherName)` brings it back")
        }
        updateNode(service) { $0.publisherUp = false }
        log(.fault(.publisherCrashed), service, byPublisher: true)
    }

    /// `crash SERVICE-publisher at after-publish`: the publisher's one crash point.
    public mutating func armPublisher(_ service: ServiceName, at point: CrashPoint) throws {
        try requireOwnProcess(service, instead: "`crash \(service.rawValue) at \(point.rawValue)`")
        guard point == .afterPublish else {
            throw WorldError("\(point.rawValue) is not a crash point of \(service.publisherName) (its only one is after-publish)")
        }
        let armed = ArmedCrash(service: service, point: point, inPublisher: true)
        guard !armedCrashes.contains(armed) else {
            throw WorldError("\(service.publisherName) is already armed to crash at \(point.rawValue)")
        }
        armedCrashes.append(armed)
        log(.lab(.armedCrash(point)), service, byPublisher: true)
    }

    /// `restart SERVICE-publisher`: the publisher runs again; its next poll sends what waits.
    public mutating func restartPublisher(_ service: ServiceName) throws {
        try requireOwnProcess(service, instead: "`restart \(service.rawValue)` starts both")
        guard !node(service).publisherUp else { throw WorldError("\(service.publisherName) is already running") }
        updateNode(service) { $0.publisherUp = true }
        log(.fault(.publisherRestarted(unpublishedRows: node(service).outbox.unpublishedCount)), service, byPublisher: true)
    }

    private func requireOwnProcess(_ service: ServiceName, instead: String) throws {
        guard publishers == .ownProcess else {
            throw WorldError("\(service.possessive) publisher runs inside \(service.rawValue) (publishers in-service): "
                + "\(instead), or type `publishers own-process`")
        }
    }

    /// Why the publishers cannot move to `deployment` now, if they cannot: a publisher
    /// returning into its service must be running exactly when the service is.
    public func deploymentProblem(_ deployment: PublisherDeployment) -> String? {
        guard deployment == .inService, publishers == .ownProcess else { return nil }
        for service in ServiceName.publishers where node(service).publisherUp != node(service).isUp {
            let down = node(service).isUp ? service.publisherName : service.rawValue
            let up = node(service).isUp ? service.rawValue : service.publisherName
            return "\(down) is down while \(up) runs; `restart \(down)` first, so that both run inside \(service.rawValue)"
        }
        return nil
    }

    /// `publishers in-service|own-process`.
    public mutating func setPublishers(_ deployment: PublisherDeployment) throws {
        if let problem = deploymentProblem(deployment) { throw WorldError(problem) }
        deployPublishers(deployment)
        log(.lab(.publishers(deployment)), nil)
    }

    /// Moves the publishers. A crash armed at `after-publish` follows the publisher: into
    /// its process of its own, unless the service's handler publishes straight to the bus
    /// (the point is then the handler's too), and back into the service. A publisher that
    /// returns into its service runs exactly when the service does.
    mutating func deployPublishers(_ deployment: PublisherDeployment) {
        publishers = deployment
        var moved: [ArmedCrash] = []
        for var armed in armedCrashes {
            if armed.point == .afterPublish, armed.service.emitsEvents {
                armed.inPublisher = deployment == .ownProcess && !handlerPublishes(armed.service)
            }
            if !moved.contains(armed) { moved.append(armed) }
        }
        armedCrashes = moved
        guard deployment == .inService else { return }
        for service in ServiceName.publishers where node(service).publisherUp != node(service).isUp {
            updateNode(service) { $0.publisherUp = $0.isUp }
        }
    }

    /// Whether one of `service`'s recipes publishes what it emits straight to the bus (the
    /// outbox off), so that its handler has an `after-publish` crash point of its own.
    public func handlerPublishes(_ service: ServiceName) -> Bool {
        patterns.recipes.recipe(of: service).contains(.publish)
            || patterns.recipes.overrides(of: service).contains { $0.recipe.contains(.publish) }
    }

    /// The process that runs `service`'s publisher, as commands name it.
    public func publisherProcessName(_ service: ServiceName) -> String {
        publishers == .ownProcess ? service.publisherName : service.rawValue
    }

    /// Why `service`'s publisher sends nothing, in a few words (`orders is down`,
    /// `orders-publisher is down`), or nil when it runs and reaches the bus.
    public func publisherStopped(_ service: ServiceName) -> String? {
        let node = node(service)
        if !node.publisherUp { return "\(publisherProcessName(service)) is down" }
        if node.isPartitioned { return "\(service.rawValue) is partitioned" }
        return nil
    }
}
