/// Everything a schedule may do next from a world, in a fixed order: the faults (each
/// spends one), then the pending items, then restarts and the heal (free). Faults come
/// first so that the sleep sets can spare a fault's siblings from trying it again.
///
/// Messages may arrive in any order, but each by the time it is due: the lab's network
/// draws every latency from latency-min to latency-max. So a timer or a publisher poll
/// is a choice only while no message due before it waits; holding a message back longer
/// is the `delay` fault.
extension World {
    /// How long `explore` holds a message back: past every publisher poll, redelivery and
    /// step timeout of the default settings, well short of the processed-events TTL.
    public static let exploredDelay: Millis = VirtualTime.minute

    /// One thing a schedule may do here, with the pending item it performs, if any.
    public struct Move: Sendable {
        public var action: ScheduleAction
        var item: Agenda.Item?
    }

    /// The crash points a pending item can reach, so that a crash can fall inside it. The
    /// orders API's own points are reached only by placing an order, which a schedule never does.
    static func crashPoints(inside item: Agenda.Item) -> [(ServiceName, CrashPoint)] {
        let service: ServiceName
        let points: [CrashPoint]
        switch item.action {
        case .poll(let publisher): return [(publisher, .afterPublish)]
        case .deliver(let delivery):
            service = delivery.target
            points = [.afterEffect, .midCompensation]
        case .call(let call):
            service = call.task.participant
            points = call.task.isCompensation ? [.afterEffect, .midCompensation] : [.afterEffect]
        case .stage(let run):
            service = run.service
            points = [.afterCheck, .afterMark, .afterEffect, .afterPublish, .midCompensation]
        case .reply, .timer, .report: return []
        }
        return points.filter { $0.services.contains(service) }.map { (service, $0) }
    }

    /// What a schedule may do here. `faults` allows the faults within the bus's promise;
    /// `beyondPromise` adds losing a message for good and holding one back past the
    /// processed-events TTL. With `sinksBackLast`, a service that only deliveries to sinks
    /// wait for comes back once nothing else is left (`comesBackLast`).
    public func moves(faults: Bool, beyondPromise: Bool = false, sinksBackLast: Bool = true) -> [Move] {
        moves(faults: faults, beyondPromise: beyondPromise, sinksBackLast: sinksBackLast, pending: pending)
    }

    /// The same, with `pending` the items pending here.
    func moves(faults: Bool, beyondPromise: Bool, sinksBackLast: Bool, pending: [Agenda.Item]) -> [Move] {
        var moves: [Move] = []
        listMoves(into: &moves, faults: faults, beyondPromise: beyondPromise, sinksBackLast: sinksBackLast, pending: pending)
        return moves
    }

    /// Replaces `moves` with the moves here, keeping its storage: the explorer lists them
    /// at every state into one array.
    func listMoves(into moves: inout [Move], faults: Bool, beyondPromise: Bool, sinksBackLast: Bool, pending: [Agenda.Item]) {
        // The network's promise: a message arrives in any order, but by the time it is due.
        // A timer or poll therefore never overtakes a message due before it; `delay` is
        // the fault that breaks this.
        var firstUntimed = Millis.max
        for item in pending where item.action.isUntimed { firstUntimed = min(firstUntimed, item.time) }
        func punctual(_ item: Agenda.Item) -> Bool { item.action.isUntimed || item.time <= firstUntimed }
        // Sinks only when nothing else can be picked.
        let sinksWait = pending.contains { punctual($0) && !$0.action.reachesSink }
        // A service that only sinks' deliveries wait for comes back last (`comesBackLast`).
        let onlySinksLeft = !sinksBackLast || pending.allSatisfy { $0.action.reachesSink }
        moves.removeAll(keepingCapacity: true)
        if faults { addFaultMoves(to: &moves, pending, beyondPromise: beyondPromise) }
        moves.reserveCapacity(moves.count + pending.count + ServiceName.allCases.count + 1)
        for item in pending where punctual(item) && !(sinksWait && item.action.reachesSink) {
            moves.append(Move(action: .pick(item.action), item: item))
        }
        for service in ServiceName.allCases where !nodes[service.index].isUp {
            if onlySinksLeft || !comesBackLast(service, pending) { moves.append(Move(action: .restart(service))) }
        }
        for service in ServiceName.publishers where publishers == .ownProcess && !nodes[service.index].publisherUp {
            moves.append(Move(action: .restartPublisher(service)))
        }
        var cut = false
        var healWaits = !onlySinksLeft
        for service in ServiceName.allCases where nodes[service.index].isPartitioned {
            cut = true
            if healWaits && !comesBackLast(service, pending) { healWaits = false }
        }
        if cut && !healWaits { moves.append(Move(action: .heal)) }
    }

    /// Whether `service`, crashed or cut off, waits to come back until nothing but
    /// deliveries to sinks is left to pick: it publishes nothing and is not the orders
    /// service, nothing is queued or half handled at its consumer, everything waiting or
    /// parked for it is a delivery to a sink, and one such delivery is parked already.
    /// (Before that, it may come back at once: often it then rejoins the states of a
    /// service that never went down.) Nothing outside the sink reads what it holds, and it
    /// is delivered to only when nothing else can be picked. So back sooner, it changes no
    /// other service's work: it takes its deliveries in the pauses between the others'
    /// work, and the deliveries parked for it go back in flight, each due by a time before
    /// which no timer or poll may fire (the network's promise). Back last, it gets every
    /// delivery parked for it at once, in every order, and no timer waited for any of
    /// them: the schedules of a service back sooner, and more. Where its restart fell among
    /// the others' work was a fifth of the states of two orders with a fault.
    func comesBackLast(_ service: ServiceName, _ pending: [Agenda.Item]) -> Bool {
        guard !service.emitsEvents, service != .orders, nodes[service.index].queue.isEmpty,
              nodes[service.index].handlings.isEmpty else { return false }
        var held = false
        for delivery in parked where delivery.target == service {
            guard Agenda.Action.deliver(delivery).reachesSink else { return false }
            held = true
        }
        guard held else { return false }
        for item in pending where item.action.actor == service {
            guard item.action.reachesSink else { return false }
        }
        return true
    }

    /// Appends the faults a schedule may inject here to `moves`.
    private func addFaultMoves(to moves: inout [Move], _ pending: [Agenda.Item], beyondPromise: Bool) {
        let ownProcess = publishers == .ownProcess
        // A crash falls inside an item only when the item itself could come next: a poll
        // that fired before a message due earlier would be that message's delay, a fault
        // of its own.
        var firstUntimed = Millis.max
        for item in pending where item.action.isUntimed { firstUntimed = min(firstUntimed, item.time) }
        for item in pending where item.action.isUntimed || item.time <= firstUntimed {
            if ownProcess, case .poll(let service) = item.action {
                // The poll's crash point belongs to the publisher, a process of its own.
                if nodes[service.index].publisherUp { moves.append(Move(action: .crashPublisherDuring(item.action, service), item: item)) }
                continue
            }
            for (service, point) in World.crashPoints(inside: item) where nodes[service.index].isUp {
                moves.append(Move(action: .crashDuring(item.action, service, point), item: item))
            }
        }
        for service in ServiceName.allCases where nodes[service.index].isUp {
            moves.append(Move(action: .crash(service)))
        }
        for service in ServiceName.publishers where ownProcess && nodes[service.index].publisherUp {
            moves.append(Move(action: .crashPublisher(service)))
        }
        for event in published.events { moves.append(Move(action: .duplicate(event.id))) }
        for service in ServiceName.allCases where !nodes[service.index].isPartitioned {
            moves.append(Move(action: .partition(service)))
        }
        // Each event in flight once, in the order of its first delivery. A few are looked
        // for along the list; past that, in a set, or a world with thousands of orders in
        // flight would spend seconds listing its moves.
        var inFlight: [EventId] = []
        var seen: Set<EventId> = []
        for item in pending {
            guard case .deliver(let delivery) = item.action else { continue }
            let id = delivery.event.id
            if seen.isEmpty && inFlight.count < 16 {
                if inFlight.contains(id) { continue }
            } else {
                if seen.isEmpty { seen = Set(inFlight) }
                guard seen.insert(id).inserted else { continue }
            }
            inFlight.append(id)
        }
        for id in inFlight { moves.append(Move(action: .delay(id, World.exploredDelay))) }
        guard beyondPromise else { return }
        for id in inFlight {
            moves.append(Move(action: .drop(id)))
            moves.append(Move(action: .delay(id, settings.processedTTL + VirtualTime.minute)))
        }
    }

    /// Makes `move`; false, leaving the world as it was, when it cannot be made here. A
    /// crash inside an item counts only if it fires there.
    mutating func make(_ move: Move) -> Bool {
        guard let item = move.item else { return perform(move.action) }
        var crash: ArmedCrash?
        if case .crashDuring(_, let service, let point) = move.action { crash = ArmedCrash(service: service, point: point) }
        if case .crashPublisherDuring(_, let service) = move.action {
            crash = ArmedCrash(service: service, point: .afterPublish, inPublisher: true)
        }
        if let crash {
            let before = self
            armedCrashes.append(crash)
            pick(item)
            guard !armedCrashes.contains(crash) else {
                self = before
                return false
            }
            return true
        }
        pick(item)
        return true
    }
}

extension Agenda.Action {
    /// A delivery to a sink: a handler that emits nothing and keeps state no other service
    /// reads (analytics' aggregate, rewards' points). The explorer delivers these only when
    /// nothing else is pending. Every order among them is still tried, and nothing else
    /// can observe when they happened, so no outcome is lost, and the interleavings of
    /// sinks with everything else (most of a search) need not be walked.
    var reachesSink: Bool {
        guard case .deliver(let delivery) = self else { return false }
        switch delivery.handler {
        case .aggregate, .awardPoints, .revokePoints: return true
        default: return false
        }
    }
}

extension Agenda.Action {
    /// The service whose state performing this changes.
    var actor: ServiceName {
        switch self {
        case .deliver(let delivery): return delivery.target
        case .call(let call): return call.task.participant
        case .reply, .timer: return .orders
        case .poll(let service): return service
        case .stage(let run): return run.service
        case .report: return .analytics
        }
    }

    /// The order it is about, for the items that concern one.
    var orderId: OrderId? {
        switch self {
        case .deliver(let delivery): return delivery.event.orderId
        case .call(let call): return call.order.orderId
        case .reply(let reply): return reply.call.order.orderId
        case .stage(let run): return run.orderId
        case .poll, .timer, .report: return nil
        }
    }
}

extension World {
    /// Whether performing the two pending items in either order leaves the same world, up
    /// to the ids handed out and the order of rows: the sleep sets' independence.
    ///
    /// Untimed items of two services touch two databases and the bus. Two items of one
    /// service about two orders touch two orders' rows, as long as nothing makes them
    /// compete: inventory's stock is shared by every order, a consumer working on several
    /// deliveries at once gives its free slot to whichever comes first, and a failure
    /// percentage gives each draw of the generator, a failure or handler error armed for
    /// the next request the failure itself, to whichever asks first (`leavesToChance`). A
    /// timer or a poll moves time, so it commutes with nothing.
    func commute(_ a: ScheduleAction, _ b: ScheduleAction) -> Bool {
        switch (a, b) {
        case (.pick(let x), .pick(let y)): return commute(x, y)
        case (.pick(let x), _): return commute(b, x)
        case (_, .pick(let y)): return commute(a, y)
        default: return false
        }
    }

    /// Whether a fault and a pending item commute: the fault leaves the item's service
    /// and the item's event alone.
    func commute(_ fault: ScheduleAction, _ item: Agenda.Action) -> Bool {
        guard item.isUntimed else { return false }
        var eventOfItem: EventId?
        if case .deliver(let delivery) = item { eventOfItem = delivery.event.id }
        switch fault {
        case .crash(let service), .partition(let service): return item.actor != service
        case .crashDuring(let inside, let service, _): return item.actor != service && commute(inside, item)
        // A publisher's crash touches only its polls, and a poll is never untimed.
        case .crashPublisher: return true
        case .crashPublisherDuring(let inside, _): return commute(inside, item)
        case .duplicate: return !drawsChances
        case .delay(let id, _), .drop(let id): return eventOfItem != id
        case .pick(let other): return commute(other, item)
        case .restart, .restartPublisher, .heal, .redrive, .run: return false
        }
    }

    func commute(_ a: Agenda.Action, _ b: Agenda.Action) -> Bool {
        guard a.isUntimed && b.isUntimed else { return false }
        if a.actor != b.actor { return true }
        guard let first = a.orderId, let second = b.orderId, first != second, first != .none, second != .none
        else { return false }
        return a.actor != .inventory && settings.concurrency[a.actor.index] == 1 && !leavesToChance
            && (a.actor != .analytics || analyticsCommute(a, b))
    }

    /// Whether two deliveries to analytics leave it the same in either order. They do but
    /// for lateness: counted first, the newer event moves the stream time on, and an
    /// `order.created` counted after it may then fall late (or into a window already
    /// retired) where counted before it, it would not; unless it is late already.
    func analyticsCommute(_ a: Agenda.Action, _ b: Agenda.Action) -> Bool {
        guard case .deliver(let first) = a, case .deliver(let second) = b else { return false }
        return countsAlike(first.event, through: Swift.max(analytics.streamTime, second.event.createdAt))
            && countsAlike(second.event, through: Swift.max(analytics.streamTime, first.event.createdAt))
    }

    /// Whether analytics counts `event` the same whatever the stream time when it arrives,
    /// from now up to `time`: its window stays open throughout (`staysOpen`), or it has
    /// already closed, so the event is late whenever it comes (the stream time never goes
    /// back).
    func countsAlike(_ event: Event, through time: Millis) -> Bool {
        staysOpen(event, through: time) || isLate(event)
    }

    /// Whether an `order.created` arriving now is counted late: its window, with the
    /// grace, closed at or before the stream time.
    func isLate(_ event: Event) -> Bool {
        guard event.type == .orderCreated else { return false }
        let windowStart = event.createdAt - event.createdAt % VirtualTime.minute
        return windowStart + VirtualTime.minute + settings.windowGrace <= analytics.streamTime
    }

    /// Whether analytics counts `event` the same whatever the stream time, up to `time`:
    /// it is not an `order.created`, or its window stays open (and kept) past `time`.
    func staysOpen(_ event: Event, through time: Millis) -> Bool {
        guard event.type == .orderCreated else { return true }
        let windowStart = event.createdAt - event.createdAt % VirtualTime.minute
        return windowStart + VirtualTime.minute + Swift.min(settings.windowGrace, AnalyticsDB.windowRetention) > time
    }
}
