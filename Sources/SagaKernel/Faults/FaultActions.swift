/// The learner's hands on the world: crashing and restarting services, cutting them off,
/// tampering with messages, injecting business failures, restocking, and rewiring.
/// Each returns the line to show, or throws a `WorldError` and leaves the world as it was.
public struct WorldError: Error, Hashable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

extension World {
    public mutating func crashNow(_ service: ServiceName) throws {
        guard node(service).isUp else { throw WorldError("\(service.rawValue) is already down; `restart \(service.rawValue)` brings it back") }
        log(.fault(.crashed), service)
        takeDown(service)
        restartIfAuto(service)
    }

    public mutating func arm(_ service: ServiceName, at point: CrashPoint) throws {
        guard point.services.contains(service) else {
            let names = point.services.map(\.rawValue).joined(separator: ", ")
            throw WorldError("\(point.rawValue) is not a crash point of \(service.rawValue) (it applies to: \(names))")
        }
        if point == .afterPublish, publishers == .ownProcess, !handlerPublishes(service) {
            throw WorldError("\(service.possessive) publisher is a process of its own (publishers own-process): "
                + "`crash \(service.publisherName) at after-publish`")
        }
        guard !armedCrashes.contains(ArmedCrash(service: service, point: point)) else {
            throw WorldError("\(service.rawValue) is already armed to crash at \(point.rawValue)")
        }
        armedCrashes.append(ArmedCrash(service: service, point: point))
        log(.lab(.armedCrash(point)), service)
    }

    /// `restarts auto|manual`.
    public mutating func setRestarts(auto: Bool) {
        settings.restartsAtOnce = auto
        log(.lab(.restarts(auto: auto)), nil)
        if auto { for service in ServiceName.allCases where !node(service).isUp { restartIfAuto(service) } }
    }

    /// With `restarts auto`, a service that just went down starts again at once: what it
    /// was doing is lost, as after any crash, but the next delivery finds it running.
    mutating func restartIfAuto(_ service: ServiceName) {
        guard settings.restartsAtOnce, !node(service).isUp else { return }
        try? restart(service)
    }

    /// Brings a crashed service back, with its publisher when that runs inside it.
    public mutating func restart(_ service: ServiceName) throws {
        guard !node(service).isUp else { throw WorldError("\(service.rawValue) is already running") }
        let publisherToo = publishers == .inService && service.emitsEvents
        updateNode(service) {
            $0.isUp = true
            if publisherToo { $0.publisherUp = true }
        }
        let held = parked.filter { $0.target == service }.count
        let rows = publisherToo ? node(service).outbox.unpublishedCount : 0
        log(.fault(.restarted(resumedDeliveries: held, unpublishedRows: rows)), service)
        releaseParked()
        if service == .orders { resumeExecutions() }
    }

    public mutating func partition(_ service: ServiceName) throws {
        guard !node(service).isPartitioned else { throw WorldError("\(service.rawValue) is already partitioned") }
        updateNode(service) { $0.isPartitioned = true }
        log(.fault(.partitioned), service)
    }

    public mutating func heal() throws {
        let cut = ServiceName.allCases.filter { node($0).isPartitioned }
        guard !cut.isEmpty else { throw WorldError("no service is partitioned") }
        for service in cut { updateNode(service) { $0.isPartitioned = false } }
        log(.fault(.healed(cut)), nil)
        releaseParked()
        // A consumer cut off takes nothing from its queue; connected again, it does.
        for service in cut { startQueued(service) }
    }

    /// Applies a message fault. For the next message it is armed; for a published event it
    /// acts on the copies in flight (or, for `duplicate`, has the bus deliver it again).
    public mutating func messageFault(_ kind: MessageFaultKind, _ selector: MessageSelector) throws {
        guard case .event(let named) = selector else {
            armedMessageFaults.append(ArmedMessageFault(kind: kind, selector: selector))
            log(.lab(.armedMessageFault(kind, selector)), nil)
            return
        }
        guard let id = EventId(parsing: named), let event = event(id) else { throw WorldError("no event \(quoted(named))") }
        let inFlight = agenda.deliveries.filter { $0.delivery.event.id == id }
        let isPublished = published.contains { $0.event.id == id }
        switch kind {
        case .duplicate:
            guard isPublished else {
                armedMessageFaults.append(ArmedMessageFault(kind: kind, selector: selector))
                log(.lab(.armedUntilPublished(kind, eventId: id)), nil)
                return
            }
            let targets = subscribers(of: event)
            log(.fault(.deliversAgain(EventRef(event))), nil, order: event.orderId, event: id)
            for rule in targets {
                let copy = Delivery(event: event, target: rule.target, handler: rule.handler, attempt: 1, isCopy: true)
                agenda.schedule(.deliver(copy), at: now + latency())
                messagesSent += 1
            }
        case .drop, .delay:
            if !isPublished {
                armedMessageFaults.append(ArmedMessageFault(kind: kind, selector: selector))
                log(.lab(.armedUntilPublished(kind, eventId: id)), nil)
                return
            }
            guard !inFlight.isEmpty else { throw WorldError("\(id) has no delivery in flight to \(kind.verb)") }
            let removed = agenda.remove { if case .deliver(let d) = $0.action { return d.event.id == id } else { return false } }
            if case .delay(let d) = kind {
                for item in removed { agenda.schedule(item.action, at: item.time + d) }
                log(.message(.heldBack(eventId: id, by: d)), nil, order: event.orderId, event: id)
            } else {
                log(.fault(.droppedDeliveries(count: removed.count, EventRef(event))), nil, order: event.orderId, event: id)
            }
        }
    }

    /// A message selector in words, as `show faults` names it: `the next order.created`, `evt-3`.
    public func describe(_ selector: MessageSelector) -> String { selector.described }

    public mutating func setFailure(_ service: FailingService, _ mode: FailureMode) {
        failures[service] = mode
        log(.lab(.failures(service, mode)), nil)
    }

    /// Sets a product's available stock; the difference counts as supplied (or removed).
    public mutating func setStock(_ product: String, _ quantity: Int) throws {
        guard catalog.price(of: product) != nil else { throw WorldError("no product \(product)") }
        let before = inventory.setStock(product, quantity)
        log(.lab(.stockSet(product: product, quantity: quantity, was: before)), .inventory)
    }

    /// Switches the outbox of the orders API, the orchestrator and each service's recipes
    /// (`emit` through the outbox, or `publish` straight to the bus).
    public mutating func setOutbox(_ on: Bool, for services: [ServiceName]) {
        for service in services {
            patterns.setOutbox(on, for: service)
            patterns.recipes.switchOutbox(on, for: service)
        }
        log(.lab(.outbox(on: on, services: services)), nil)
    }

    /// Sets every recipe of each service to the named one, through the outbox when the
    /// service's outbox is on.
    public mutating func setIdempotency(_ mode: IdempotencyMode, for services: [ServiceName]) {
        for service in services {
            let recipe = Recipe.named(mode, outbox: !service.emitsEvents || patterns.usesOutbox(service))
            patterns.recipes.set(recipe, for: service, type: nil)
        }
        log(.lab(.idempotency(mode, services: services)), nil)
    }

    public mutating func setFlow(_ flow: Flow) {
        let rewardsRules = rules.filter { $0.target == .rewards }
        self.flow = flow
        rules = flow.defaultRules.filter { $0.target != .rewards } + rewardsRules
        log(.lab(.flow(flow)), nil)
    }

    public mutating func subscribe(_ service: ServiceName, to type: EventType) throws {
        guard let handler = Handler.of(service, for: type) else {
            throw WorldError("\(service.rawValue) has no handler for \(type.rawValue)")
        }
        guard !rules.contains(where: { $0.target == service && ($0.eventType == type || $0.eventType == nil) }) else {
            throw WorldError("\(service.rawValue) already receives \(type.rawValue)")
        }
        rules.append(Rule(eventType: type, target: service, handler: handler))
        log(.lab(.ruleAdded(type, service, handler)), nil)
    }

    public mutating func unsubscribe(_ service: ServiceName, from type: EventType) throws {
        guard rules.contains(where: { $0.target == service && $0.eventType == type }) else {
            throw WorldError("\(service.rawValue) does not subscribe to \(type.rawValue)")
        }
        rules.removeAll { $0.target == service && $0.eventType == type }
        log(.lab(.ruleRemoved(type, service)), nil)
    }

    public mutating func set(_ name: String, _ value: Millis) throws {
        switch name {
        case "publish-interval":
            guard value >= 100 else { throw WorldError("publish-interval must be at least 100ms") }
            settings.publishInterval = value
            reschedulePolls()
        case "redelivery-delay":
            guard value >= 1 else { throw WorldError("redelivery-delay must be at least 1ms") }
            settings.redeliveryDelay = value
        case "latency-min":
            guard value <= settings.latencyMax else { throw WorldError("latency-min must not exceed latency-max (\(VirtualTime.duration(settings.latencyMax)))") }
            settings.latencyMin = value
        case "latency-max":
            guard value >= settings.latencyMin else { throw WorldError("latency-max must not be below latency-min (\(VirtualTime.duration(settings.latencyMin)))") }
            settings.latencyMax = value
        case "processed-ttl": settings.processedTTL = value
        case "outbox-ttl":
            guard value >= VirtualTime.second else { throw WorldError("outbox-ttl must be at least 1s") }
            settings.outboxTTL = value
        case "window-grace": settings.windowGrace = value
        case "analytics-report":
            guard value == 0 || value >= VirtualTime.second else {
                throw WorldError("analytics-report must be off or at least 1s")
            }
            settings.analyticsReport = value
            rescheduleAnalyticsReport()
        case "step-timeout":
            guard value >= 1 else { throw WorldError("step-timeout must be at least 1ms") }
            settings.stepTimeout = value
        case "compensation-timeout":
            guard value == 0 || value >= 1 else { throw WorldError("compensation-timeout must be off or at least 1ms") }
            settings.compensationTimeout = value
        case "saga-deadline":
            guard value >= 1 else { throw WorldError("saga-deadline must be at least 1ms") }
            settings.sagaDeadline = value
        case "round-trip":
            guard value >= 1 else { throw WorldError("round-trip must be at least 1ms") }
            settings.roundTrip = value
        case "key-expiry", "key-in-progress-expiry":
            guard value >= VirtualTime.second else { throw WorldError("\(name) must be at least 1s") }
            if name == "key-expiry" { settings.keyExpiry = value } else { settings.keyInProgressExpiry = value }
        default: throw WorldError("no setting \(name)")
        }
        log(.lab(.setting(name: name, value: value)), nil)
    }
}

extension World {
    public mutating func setMode(_ mode: SagaMode) {
        self.mode = mode
        log(.lab(.mode(mode)), nil)
    }

    public mutating func setRollback(_ rollback: Rollback) {
        self.rollback = rollback
        log(.lab(.rollback(rollback)), nil)
    }

    public mutating func setDurableTimers(_ on: Bool) {
        patterns.durableTimers = on
        log(.lab(.durableTimers(on: on)), nil)
    }

    public mutating func setFence(_ on: Bool) {
        patterns.fence = on
        log(.lab(.fence(on: on)), nil)
    }

    /// `pattern all on`: every pattern switch on, each logged as its own switch does, and
    /// rewards wired to award points for confirmed orders only (off `order.created`, on
    /// `order.confirmed`).
    public mutating func setAllPatternsOn() {
        setOutbox(true, for: ServiceName.publishers)
        setIdempotency(.on, for: ServiceName.allCases)
        setDurableTimers(true)
        setKeyValidation(true)
        setFence(true)
        if rules.contains(where: { $0.target == .rewards && $0.eventType == .orderCreated }) {
            rules.removeAll { $0.target == .rewards && $0.eventType == .orderCreated }
            log(.lab(.ruleRemoved(.orderCreated, .rewards)), nil)
        }
        if !rules.contains(where: { $0.target == .rewards && ($0.eventType == .orderConfirmed || $0.eventType == nil) }),
           let handler = Handler.of(.rewards, for: .orderConfirmed) {
            rules.append(Rule(eventType: .orderConfirmed, target: .rewards, handler: handler))
            log(.lab(.ruleAdded(.orderConfirmed, .rewards, handler)), nil)
        }
    }

    public mutating func setSlowness(_ service: ServiceName, _ extra: Millis) {
        slowness[service] = extra == 0 ? nil : extra
        log(.lab(.slowness(service, extra: extra)), nil)
    }
}

extension MessageSelector {
    /// The selector in words, as `armed:` lines and `show faults` name it.
    var described: String {
        switch self {
        case .next(nil): return "the next event published"
        case .next(let type?): return "the next \(type.rawValue)"
        case .event(let id): return id
        }
    }
}
