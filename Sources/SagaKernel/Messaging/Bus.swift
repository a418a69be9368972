/// The event bus: routes each published event to every rule's target with a latency
/// from the seeded generator, delivering at least once and in no global order. Armed
/// message faults (duplicate, drop, delay) act here.
extension World {
    /// Every event reaches the bus here, whoever sends it: the outbox publisher, a service
    /// publishing straight after its commit, the orchestrator, the lab. The service stores
    /// the event first, then publishes it, as the Boong saga's diagrams have it.
    /// `byPublisher`: the service's publisher, as a process of its own, sent it.
    mutating func publishToBus(_ event: Event, via route: MessageHappening.Route = .direct, byPublisher: Bool = false) {
        if let index = publishedIndex(event.id) {
            assert(published.events[index] == event, "an event published again is the event published first")
            eventStore.append(event, publication: index, at: now)
            let copy = published.publishAgain(at: index)
            log(.message(.publishedAgain(EventRef(event), copy: copy)), event.source,
                order: event.orderId, event: event.id, byPublisher: byPublisher)
        } else {
            appendPublication(Publication(event: event, count: 1))
            eventStore.append(event, publication: published.count - 1, at: now)
            logPublished(EventRef(event), route: route, event.source, order: event.orderId, byPublisher: byPublisher)
        }
        var copies = 1
        var extraDelay: Millis = 0
        while let index = armedMessageFaults.firstIndex(where: { $0.matches(event) }) {
            let fault = armedMessageFaults.remove(at: index)
            switch fault.kind {
            case .drop:
                log(.message(.droppedOnPublish(EventRef(event))), nil, order: event.orderId, event: event.id)
                return
            case .duplicate:
                copies += 1
                log(.message(.willDeliverTwice(eventId: event.id)), nil, order: event.orderId, event: event.id)
            case .delay(let d):
                extraDelay += d
                log(.message(.heldBack(eventId: event.id, by: d)), nil, order: event.orderId, event: event.id)
            }
        }
        let rules = keepsTodaysRules(event)
            ? routes.rules(for: event.type, orchestrated: event.orchestrated) : subscribers(of: event)
        send(event, to: rules, copies: copies, extraDelay: extraDelay)
    }

    /// Puts `copies` deliveries of `event` to each rule's target on the agenda: one call
    /// for all of an event's subscribers, which the agenda's bucket look-up is inlined
    /// into (inlined into `publishToBus` in turn, it pushed that look-up out again).
    private mutating func send(_ event: Event, to rules: [Rule], copies: Int, extraDelay: Millis) {
        for rule in rules {
            for copy in 0..<copies {
                agenda.scheduleFirstTry(event, to: rule.target, handler: rule.handler, isCopy: copy > 0,
                                        at: now + extraDelay + latency())
                messagesSent += 1
            }
        }
    }

    /// Whether today's rules route `event`: its order started with today's flow (or it is
    /// about no order the database knows). The common case, routed without building a list.
    @inline(__always)
    private func keepsTodaysRules(_ event: Event) -> Bool {
        if orders.allStarted(with: flow) { return true }
        guard let started = orders.flow(of: event.orderId) else { return true }
        return started == flow
    }

    /// The rules that send an event of `type` to a subscriber, for a choreographed order by default.
    public func subscribers(of type: EventType, orchestrated: Bool = false) -> [Rule] {
        rules.filter { $0.matches(type, orchestrated: orchestrated) }
    }

    /// The rules that send `event` on. An order placed before the last `flow` keeps the
    /// saga's forward wiring of the flow it started with; every other rule is today's.
    func subscribers(of event: Event) -> [Rule] {
        guard let started = orders.flow(of: event.orderId), started != flow else {
            return subscribers(of: event.type, orchestrated: event.orchestrated)
        }
        let today = Set(flow.forwardRules)
        let kept = rules.filter { !today.contains($0) } + started.forwardRules
        return kept.filter { $0.matches(event.type, orchestrated: event.orchestrated) }
    }

    /// An unacknowledged delivery comes back after the redelivery delay.
    mutating func redeliver(_ delivery: Delivery) {
        var next = delivery
        next.attempt += 1
        next.retry = nil
        let at = now + settings.redeliveryDelay
        agenda.schedule(.deliver(next), at: at)
        log(.message(.redelivers(eventId: delivery.event.id, at: at, attempt: next.attempt)), delivery.target,
            order: delivery.event.orderId, event: delivery.event.id)
    }

    /// Sends held deliveries to every consumer that can receive again.
    mutating func releaseParked() {
        let reachable = Set(ServiceName.allCases.filter { node($0).isReachable })
        let ready = parked.filter { reachable.contains($0.target) }
        parked.removeAll { reachable.contains($0.target) }
        for delivery in ready {
            agenda.schedule(.deliver(delivery), at: now + latency())
        }
    }
}
