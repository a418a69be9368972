/// The whole simulated shop as one value: five services with their own databases, the
/// bus between them, the agenda of what happens next, the faults armed, and the trace.
///
/// Copying a `World` is taking a snapshot, and two worlds compare equal exactly when
/// they would behave identically from here on. Nothing in it reads a clock, starts a
/// thread or draws an unseeded random number, so the same seed and the same commands
/// always produce the same world.
public struct World: Hashable, Sendable {
    /// A service's process-level state: whether it runs and whether it can reach the bus,
    /// whether its outbox publisher runs, its outbox, processed-events table and dead-letter
    /// queue, the handler errors injected into it, and the deliveries it is working on or
    /// holds in its queue.
    public struct Node: Hashable, Sendable {
        public var isUp = true
        public var isPartitioned = false
        /// Whether the outbox publisher runs. With `publishers in-service` it runs exactly
        /// when its service does; with `own-process` it is a process of its own, crashed and
        /// restarted by itself. It shares its service's network: a partition cuts off both.
        public var publisherUp = true
        public var handlerError: HandlerErrorMode = .off
        /// The node's tables behind one reference: a step that leaves them alone copies
        /// and frees one reference, not eight.
        private var _tables = Shared(Tables())
        private var tables: Tables {
            unsafeAddress { _tables.contents }
            unsafeMutableAddress { _tables.contentsForWriting() }
        }

        private struct Tables: Hashable, Sendable {
            var outbox = Outbox()
            var processed = ProcessedEvents()
            var deadLetters: [DeadLetter] = []
            var handlings: [Handling] = []
            var queue = DeliveryQueue()
        }

        /// How many outbox rows wait to be published (`outbox.unpublishedCount`), kept
        /// beside the flags: whether a publisher's poll has work is asked in every state a
        /// search reaches, and the outbox lies two references further.
        public private(set) var waitingRows = 0

        public var outbox: Outbox {
            _read { yield tables.outbox }
            _modify {
                yield &tables.outbox
                waitingRows = tables.outbox.unpublishedCount
            }
        }
        public var processed: ProcessedEvents {
            _read { yield tables.processed }
            _modify { yield &tables.processed }
        }
        public var deadLetters: [DeadLetter] {
            _read { yield tables.deadLetters }
            _modify { yield &tables.deadLetters }
        }
        /// The deliveries the consumer is working on, oldest first (`set concurrency`).
        public var handlings: [Handling] {
            _read { yield tables.handlings }
            _modify { yield &tables.handlings }
        }
        /// Deliveries waiting for one of the consumer's slots to free.
        public var queue: DeliveryQueue {
            _read { yield tables.queue }
            _modify { yield &tables.queue }
        }
        /// Whether both hold the same tables, which proves the tables equal without reading them.
        func sharesTables(with other: Node) -> Bool { _tables.isShared(with: other._tables) }
        public var isReachable: Bool { isUp && !isPartitioned }
        /// Whether the publisher runs and can reach the bus.
        public var publisherReachable: Bool { publisherUp && !isPartitioned }
    }

    public let seed: UInt64
    var rng: SeededGenerator
    public internal(set) var now: Millis = 0
    public internal(set) var agenda = Agenda()
    public internal(set) var settings: Settings {
        _read { yield setup.settings }
        _modify { yield &setup.settings }
    }
    public internal(set) var patterns = Patterns()
    public internal(set) var flow: Flow = .inventoryFirst
    /// How new orders' sagas are carried out (`mode`).
    public internal(set) var mode: SagaMode = .choreography
    /// Where the outbox publishers run: inside their services, or as processes of their own (`publishers`).
    public internal(set) var publishers: PublisherDeployment = .inService
    /// The orchestrator's retry policy per forward step; a compensation uses its step's policy.
    public internal(set) var retryPolicies: [SagaTask: RetryPolicy] {
        _read { yield setup.retryPolicies }
        _modify { yield &setup.retryPolicies }
    }
    /// What a failure after the pivot does in executions started from now on (`rollback`).
    public internal(set) var rollback: Rollback = .pivot
    /// Extra time a participant takes to answer the orchestrator's calls (`slow`).
    public internal(set) var slowness: [ServiceName: Millis] {
        _read { yield setup.slowness }
        _modify { yield &setup.slowness }
    }
    /// Every message put on the wire: bus deliveries, orchestrator calls and their replies.
    public internal(set) var messagesSent = 0
    public internal(set) var rules: [Rule] {
        _read { yield setup.rules }
        _modify {
            yield &setup.rules
            setup.routes = Derived(Routes(setup.rules))
        }
    }
    /// The rules by the event they send (`Routes`), made again whenever they change.
    var routes: Routes { setup.routes.value }
    /// One node per service, in `ServiceName.allCases` order.
    public internal(set) var nodes: [Node] = ServiceName.allCases.map { _ in Node() }

    /// The products for sale and their prices (`product`).
    public internal(set) var catalog: ProductCatalog {
        _read { yield setup.catalog }
        _modify { yield &setup.catalog }
    }

    /// The lab's set-up that carries tables or takes room: settings, retry policies,
    /// slowness, routing rules and the catalog. A schedule never changes them, so every
    /// state of a search shares them behind one reference (`Shared`): a world copied for
    /// each move retains one reference for them, not five, and copies a pointer where it
    /// copied some two hundred bytes of settings. (The patterns stay in place: a run asks
    /// them for a recipe at every delivery, and a method called on a part reached through
    /// a reference copies the part first, retaining its tables.)
    private struct Setup: Hashable, Sendable {
        var settings = Settings()
        var retryPolicies: [SagaTask: RetryPolicy] = [:]
        var slowness: [ServiceName: Millis] = [:]
        var rules: [Rule] = Flow.inventoryFirst.defaultRules
        var routes = Derived(Routes(Flow.inventoryFirst.defaultRules))
        var catalog = ProductCatalog()
    }
    private var _setup = Shared(Setup())
    private var setup: Setup {
        unsafeAddress { _setup.contents }
        unsafeMutableAddress { _setup.contentsForWriting() }
    }
    public internal(set) var orders = OrdersDB()
    /// The customer and items every event of an order carries, kept once per order when
    /// its first event is made (see `OrderDetails`).
    public internal(set) var orderDetails = ByOrder<OrderDetails>(empty: .none)
    public internal(set) var inventory = InventoryDB()
    public internal(set) var payment = PaymentDB()
    public internal(set) var rewards = RewardsDB()
    public internal(set) var analytics = AnalyticsDB()

    /// One event on the bus and how often it was published.
    public struct Publication: Hashable, Sendable {
        public var event: Event
        public var count: Int
    }

    /// Every event that reached the bus, in first-publish order, with how often it was published.
    public internal(set) var published = Publications()
    /// Where event `evt-N` sits in `published`, at index N (-1: not published). Derived,
    /// and built only past `publishedScanLimit` events.
    var publishedSlot = Derived([Int32]())
    /// Deliveries held for a consumer that is down or partitioned.
    public internal(set) var parked: [Delivery] = []
    /// Every event stored as it went onto the bus, in store order (the Boong saga's event
    /// store); `rebuild` replays it into analytics or rewards.
    public internal(set) var eventStore = EventStore()

    /// Where each execution's timers wait in the agenda. Derived from the agenda, so it
    /// takes no part in equality; entries of timers that fired are dropped when looked at.
    var timers = Derived([ExecutionId: [ArmedTimer]]())

    public internal(set) var armedCrashes: [ArmedCrash] = []
    public internal(set) var armedMessageFaults: [ArmedMessageFault] = []
    public internal(set) var failures = FailureTable()

    public internal(set) var trace = TraceLog()
    /// The lab's own instrument, outside every service: how often each consumer changed
    /// business state for each event or call.
    public internal(set) var applications = Applications()
    /// Invariants already announced as broken, so each is announced once per breakage.
    public internal(set) var brokenInvariants = Invariants.Marks()

    var ids = IdCounters()

    public init(seed: UInt64 = 1) {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
        for service in ServiceName.publishers {
            agenda.schedule(.poll(service), at: settings.publishInterval)
        }
    }

    @inline(__always)
    public func node(_ service: ServiceName) -> Node { nodes[service.index] }

    /// Changes a node in place (no copy of its tables).
    mutating func updateNode(_ service: ServiceName, _ change: (inout Node) -> Void) {
        change(&nodes[service.index])
    }

    /// The next id of each kind: `ord-1`, `evt-1`, `saga-1`, `exec-1`, `ch-1`, `dl-1`.
    mutating func nextOrderId() -> OrderId { ids.orders += 1; return OrderId(number: ids.orders) }
    mutating func nextEventId() -> EventId { ids.events += 1; return EventId(number: ids.events) }
    mutating func nextSagaId() -> SagaId { ids.sagas += 1; return SagaId(number: ids.sagas) }
    mutating func nextExecutionId() -> ExecutionId { ids.executions += 1; return ExecutionId(number: ids.executions) }
    mutating func nextChargeId() -> ChargeId { ids.charges += 1; return ChargeId(number: ids.charges) }
    mutating func nextDeadLetterId() -> DeadLetterId { ids.deadLetters += 1; return DeadLetterId(number: ids.deadLetters) }
    mutating func nextHandlingId() -> Int32 { ids.handlings += 1; return ids.handlings }

    /// Records what happened in the trace, at the current virtual time. `byPublisher`: the
    /// service's outbox publisher did it, as a process of its own (`publishers own-process`).
    mutating func log(
        _ what: Happening, _ service: ServiceName?,
        from: ServiceName? = nil, order: OrderId? = nil, event: EventId? = nil, byPublisher: Bool = false
    ) {
        if trace.count < trace.packedFrom {
            trace.appendValue(TraceEntry(time: now, service: service, from: from, byPublisher: byPublisher,
                                         orderId: order, eventId: event, what: what))
        } else {
            trace.appendPacking(what, time: now, service: service, from: from, byPublisher: byPublisher,
                                order: order, event: event)
        }
    }

    /// Logs a delivery's arrival at its consumer: `log(.message(.received(...)))`, packed
    /// from its fields once the trace packs its entries (`TraceLog.appendReceivedPacking`).
    @inline(__always)
    mutating func logReceived(_ ref: EventRef, isCopy: Bool, attempt: Int32, retry: RetryCause?, _ service: ServiceName,
                              from: ServiceName?, order: OrderId?) {
        guard trace.count >= trace.packedFrom, retry == nil else {
            log(.message(.received(ref, isCopy: isCopy, attempt: attempt, retry: retry)), service, from: from, order: order,
                event: ref.id)
            return
        }
        trace.appendReceivedPacking(ref, isCopy: isCopy, attempt: attempt, time: now, service: service, from: from,
                                    order: order, event: ref.id)
    }

    /// Logs a request to place an order without an idempotency key:
    /// `log(.api(.request(...)))`, packed from its fields once the trace packs its entries
    /// (`TraceLog.appendRequestPacking`), without the box the happening takes.
    mutating func logRequest(customer: String, items: [OrderItem]) {
        guard trace.count >= trace.packedFrom else {
            log(.api(.request(customer: customer, items: items, key: nil)), .orders)
            return
        }
        trace.appendRequestPacking(customer: customer, items: items, time: now, service: .orders)
    }

    /// Logs a step's result: `log(.step(...))`, packed from the result where it lies once
    /// the trace packs its entries (`TraceLog.appendStepPacking`).
    @inline(__always)
    mutating func logStep(_ result: borrowing StepResult, compensated: Bool = false, outbox: EventRef? = nil,
                          _ service: ServiceName, order: OrderId, event: EventId) {
        guard trace.count >= trace.packedFrom else {
            log(.step(copy result, compensated: compensated, outbox: outbox), service, order: order, event: event)
            return
        }
        trace.appendStepPacking(result, compensated: compensated, outbox: outbox, time: now, service: service,
                                order: order, event: event)
    }

    /// Logs an order's creation: `log(.api(.created(...)))`, packed from its fields once the
    /// trace packs its entries (`TraceLog.appendCreatedPacking`), without the happening.
    mutating func logCreated(order: OrderId, saga: SagaId, total: Int, outbox: EventRef?, event: EventId) {
        guard trace.count >= trace.packedFrom else {
            log(.api(.created(order: order, saga: saga, total: total, outbox: outbox)), .orders, order: order, event: event)
            return
        }
        trace.appendCreatedPacking(order: order, saga: saga, total: total, outbox: outbox, time: now, service: .orders,
                                   event: event)
    }

    /// Logs an event's first publication: `log(.message(.published(...)))`, packed from its
    /// fields once the trace packs its entries (`TraceLog.appendPublishedPacking`).
    @inline(__always)
    mutating func logPublished(_ ref: EventRef, route: MessageHappening.Route, _ service: ServiceName?,
                               order: OrderId?, byPublisher: Bool) {
        guard trace.count >= trace.packedFrom else {
            log(.message(.published(ref, route: route)), service, order: order, event: ref.id, byPublisher: byPublisher)
            return
        }
        trace.appendPublishedPacking(ref, route: route, time: now, service: service, byPublisher: byPublisher,
                                     order: order, event: ref.id)
    }

    /// Counts one change of business state by a consumer for an event (or a call's token).
    @inline(__always)
    mutating func countApplication(_ service: ServiceName, _ id: ProcessedKey) {
        applications.add(service, id)
    }

    /// Fires the crash armed for `service` at `point`, if any: the service goes down.
    /// `note`, if given, is logged before the service goes down. `inPublisher`: the crash
    /// armed in the service's publisher process, which alone goes down.
    mutating func crashIfArmed(
        _ service: ServiceName, at point: CrashPoint, order: OrderId? = nil, note: Happening? = nil,
        inPublisher: Bool = false
    ) -> Bool {
        let armed = ArmedCrash(service: service, point: point, inPublisher: inPublisher)
        guard let index = armedCrashes.firstIndex(of: armed) else { return false }
        armedCrashes.remove(at: index)
        log(.fault(.crashedAt(point)), service, order: order, byPublisher: inPublisher)
        if let note { log(note, service, order: order, byPublisher: inPublisher) }
        if inPublisher {
            updateNode(service) { $0.publisherUp = false }
        } else {
            takeDown(service)
            restartIfAuto(service)
        }
        return true
    }

    /// The process stops: it keeps its database, the orders service's orchestrator loses
    /// whatever it held only in memory (its timers), and the deliveries it was working on
    /// or held in its queue are lost, for the broker to redeliver. A publisher that runs
    /// inside the service stops with it.
    mutating func takeDown(_ service: ServiceName) {
        let publisherToo = publishers == .inService && service.emitsEvents
        updateNode(service) {
            $0.isUp = false
            if publisherToo { $0.publisherUp = false }
        }
        if service == .orders { orchestratorStopped() }
        loseHandlings(service)
    }

    /// The retry policy of a forward step, or of the step a compensation undoes.
    public func retryPolicy(_ task: SagaTask) -> RetryPolicy {
        let step = SagaTask.steps.first { $0.compensation == task } ?? task
        return retryPolicies[step] ?? RetryPolicy()
    }

    /// The saga the orchestrator runs for new orders.
    public var sagaDefinition: SagaDefinition { SagaDefinition(flow: flow, policies: retryPolicies, rollback: rollback) }

    mutating func latency() -> Millis {
        rng.int(in: settings.latencyMin...max(settings.latencyMin, settings.latencyMax))
    }

    /// Whether the injected failure for `service` strikes this request.
    mutating func injectedFailure(_ service: FailingService) -> Bool {
        switch failures[service] ?? .never {
        case .never: return false
        case .next:
            failures[service] = .never
            return true
        case .percent(let p): return rng.chance(percent: p)
        }
    }

    /// The most events on the bus found by reading `published` rather than through
    /// `publishedSlot`, which is built only past them: the explorer's worlds publish a few
    /// events, and each publication copied the slots as well as the list.
    static let publishedScanLimit = 16

    /// Where `id` sits in `published`, if it reached the bus. Inlined: called from a step
    /// that changes the world, a call would copy the whole world to lend it.
    @inline(__always)
    func publishedIndex(_ id: EventId) -> Int? {
        let n = Int(id.number)
        if published.count <= World.publishedScanLimit {
            for position in published.indices where published.events[position].id == id { return position }
            return nil
        }
        guard n < publishedSlot.value.count, publishedSlot.value[n] >= 0 else { return nil }
        return Int(publishedSlot.value[n])
    }

    /// Adds an event's first publication to `published`, and its slot once they are many.
    @inline(__always)
    mutating func appendPublication(_ publication: Publication) {
        published.append(publication.event, count: publication.count)
        guard published.count > World.publishedScanLimit else { return }
        guard published.count > World.publishedScanLimit + 1 else { return slotEveryPublication() }
        let n = Int(publication.event.id.number)
        publishedSlot.value.grow(toInclude: n, with: -1)
        publishedSlot.value[n] = Int32(published.count - 1)
    }

    /// Builds `publishedSlot` from `published`, as the publications pass `publishedScanLimit`.
    private mutating func slotEveryPublication() {
        var slots: [Int32] = []
        for position in published.indices {
            let n = Int(published.events[position].id.number)
            slots.grow(toInclude: n, with: -1)
            slots[n] = Int32(position)
        }
        publishedSlot.value = slots
    }

    /// The event with `id`, from the bus or from the outbox it still waits in.
    public func event(_ id: EventId) -> Event? {
        if let index = publishedIndex(id) { return published.events[index] }
        for service in ServiceName.publishers {
            if let event = node(service).outbox.keptEvent(id) { return event }
        }
        return nil
    }

    /// Every event id the world knows, published or still in an outbox, in id order.
    public var knownEventIds: [EventId] {
        var ids = published.events.map(\.id)
        var seen = Set(ids)
        for service in ServiceName.publishers {
            for id in node(service).outbox.eventIds where seen.insert(id).inserted { ids.append(id) }
        }
        return ids.sorted()
    }
}

/// The number in an id such as `ord-12`, for natural ordering: the digits after the last
/// `-`, or 0 when there are none.
func idNumber(_ id: String) -> Int {
    var value = 0
    var scale = 1
    for byte in id.utf8.reversed() {
        if byte == UInt8(ascii: "-") { return value }
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), scale <= 1_000_000_000_000 else { return 0 }
        value += Int(byte - UInt8(ascii: "0")) * scale
        scale *= 10
    }
    return scale > 1 ? value : 0
}
