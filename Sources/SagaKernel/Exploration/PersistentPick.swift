/// Partial-order reduction beyond the sleep sets: once a schedule's faults are spent, a
/// state where one pending item can be taken alone is expanded by that item only (a
/// persistent set of one move, after Godefroid).
///
/// Sleep sets spare the second order of two independent items but still visit every
/// state in between; with two orders in flight those states are most of a search. A set
/// of moves is persistent when no sequence of other moves from here holds one that
/// depends on it. Here the set is one pending item `t` (of service S, about order X), and
/// nothing that can happen before `t` depends on it:
/// - No fault is left to inject, and none is armed: crashes and partitions touch a whole
///   service, and two faults depend on each other through the budget. No failure or
///   handler error is left to chance or to the next request (it goes to whoever asks
///   first). S and the orders service run and are connected (a restart of orders re-arms
///   timers at once, unless no saga is active); a restart or heal of another service only
///   sends its parked deliveries on.
/// - S handles one delivery at a time and is not inventory, whose stock every order
///   shares (a delivery that marks an order's reserved stock sold is the exception: it
///   reads nothing another order changes), nor analytics, whose stream time every order
///   moves (its batches have a rule of their own, below). So an item of another order at S
///   touches other rows, and one at another service another database (`World.commute`).
/// - Nothing but `t` can bring about work about X at S: any other item about X is at
///   another service and only writes to its outbox and redelivers to itself (no direct
///   publish, no saga started); no parked delivery about X could reach S; no delivery
///   about X waits in a consumer's queue or is half handled.
/// - No timer or poll fires first, except a poll due by now, of another publisher, that
///   can find nothing about X to publish; or S's own poll due by now with nothing to
///   publish, when nothing else can bring S work first (`nothingElseReaches`), so that only
///   `t` can give it a row. A timer or poll fires only when no message due before it
///   waits, so only those due by `t`'s time could, and none a step arms can be
///   (`soonestTimer`, which a test holds the kernel to). A poll due by now moves no time.
///
/// Then the moves before `t` in any schedule commute with it: moved to the front, `t`
/// reaches the same state, up to the numbers of the ids handed out and the order of rows,
/// which is the equivalence the sleep sets already rest on (no invariant reads an id's
/// number). Every state where nothing is left to pick is reached by a schedule of the
/// same length, since every such schedule holds `t`; the liveness phase judges there.
/// A safety invariant that breaks on a schedule without `t` is still broken after `t`:
/// `t` leaves stock as it was (or only marks reserved units sold), and an event applied
/// twice stays applied twice. Such a break may be found one action later, then shrunk as
/// any other. `Explorer.reduces` turns it off, for the tests that compare.
///
/// A second case covers the analytics service, which every event reaches and which sends
/// nothing: deliveries to it are offered only when nothing else can be picked, so several
/// orders leave a batch of them, and every subset of a batch handled is a state of its own
/// (three quarters of the states without a pick, for three orders). When every move is an
/// analytics delivery, the batch is handled in agenda order alone if its order cannot
/// matter: nothing it does wakes anything, and no `order.created` among it can fall late
/// or into a window already retired, whatever came first (its window closes after the
/// newest event time of the batch, or had closed before the batch began). Counts and sums commute; the stream time ends as the
/// batch's newest; the processed marks differ only in the order of their rows. After a
/// crash or a partition, the batch waits beside a restart or the heal, which the schedule
/// may take at any moment of it: then the first delivery and those moves are tried, and
/// the rest of the batch waits its turn. Walked in every order, such batches were most of
/// a search with a fault.
extension World {
    /// The moves that stand for every move here, when fewer can (see above); `moves` are
    /// the moves here, with no fault among them, and `pending` the items pending here.
    func persistentSet(among moves: [Move], pending: [Agenda.Item]) -> [Move]? {
        guard armedCrashes.isEmpty, armedMessageFaults.isEmpty, !leavesToChance,
              !moves.contains(where: { $0.action.isFault })
        else { return nil }
        if let batch = analyticsBatch(among: moves, pending: pending) { return batch }
        return persistentPick(among: moves, pending: pending).map { [$0] }
    }

    /// The same, with the items pending here.
    func persistentSet(among moves: [Move]) -> [Move]? { persistentSet(among: moves, pending: pending) }

    /// The pending item to take alone here, if one can be; `moves` are the moves here
    /// (with no fault among them).
    func persistentPick(among moves: [Move]) -> Move? { persistentPick(among: moves, pending: pending) }

    /// The same, with `pending` the items pending here.
    func persistentPick(among moves: [Move], pending: [Agenda.Item]) -> Move? {
        guard armedCrashes.isEmpty, armedMessageFaults.isEmpty, !leavesToChance,
              nodes[ServiceName.orders.index].isReachable || !orders.executions.contains(where: { $0.isActive }),
              !moves.contains(where: { $0.action.isFault })
        else { return nil }
        let soonest = now + soonestTimer
        // Of the items that can be taken alone, the one about the oldest order, so that
        // the orders tend to move on in one canonical order and their schedules meet.
        var chosen: (order: OrderId, move: Move)?
        for move in moves {
            guard let item = move.item, item.action.isUntimed, item.time < soonest,
                  let order = item.action.orderId, order != .none, chosen.map({ order < $0.order }) ?? true,
                  nodes[item.action.actor.index].isReachable, nodes[item.action.actor.index].publisherReachable,
                  item.action.actor != .inventory || item.action.sellsStock,
                  item.action.actor != .analytics,
                  settings.concurrency[item.action.actor.index] == 1,
                  onlyMover(of: order, is: item, pending: pending)
            else { continue }
            chosen = (order, move)
        }
        return chosen?.move
    }

    /// The first delivery of a batch to analytics, with the restarts and the heal beside
    /// it, when every other move is a delivery of the batch and the batch ends the same
    /// in any order (see above). A restart or a heal touches neither analytics nor what
    /// it holds, and what it sets going is picked before any sink; so the batch's
    /// deliveries commute with it as they do with one another. When the batch's order
    /// matters, one delivery whose place in it changes nothing may still be taken alone
    /// (`loneDelivery`), unless `alone` is false.
    func analyticsBatch(among moves: [Move], pending: [Agenda.Item], alone: Bool = true) -> [Move]? {
        let index = ServiceName.analytics.index
        let reachable = nodes[index].isReachable
        guard settings.analyticsReport == 0, settings.concurrency[index] == 1,
              nodes[index].handlerError == .off || !reachable, nodes[index].queue.isEmpty, nodes[index].handlings.isEmpty
        else { return nil }
        var first: Move?
        var free: [Move] = []
        var newest = analytics.streamTime
        for move in moves {
            switch move.action {
            case .pick(.deliver(let delivery)) where delivery.target == .analytics && !delivery.event.isMalformed:
                newest = max(newest, delivery.event.createdAt)
                if first == nil { first = move }
            case .restart, .restartPublisher, .heal: free.append(move)
            default: return nil
            }
        }
        guard let first else { return nil }
        guard reachable else { return [first] + free }
        if moves.allSatisfy({ move in
            guard case .pick(.deliver(let delivery)) = move.action else { return true }
            return countsAlike(delivery.event, through: newest)
        }) {
            return [first] + free
        }
        // A restart or the heal may set going work that sends analytics newer events.
        guard alone, free.isEmpty else { return nil }
        return loneDelivery(among: moves, pending: pending, newest: newest).map { [$0] }
    }

    /// A delivery of a batch to analytics whose place in the batch changes nothing: it is
    /// counted alike whenever it comes, and makes no other late. When the batch as a whole
    /// cannot be taken in order (an `order.created` among it may fall late, or not, as the
    /// others come first), such a delivery can still be taken alone, and only the ones
    /// whose order matters are walked in every order. No timer or poll may come first, and
    /// nothing else is left to send analytics a newer event.
    private func loneDelivery(among moves: [Move], pending: [Agenda.Item], newest: Millis) -> Move? {
        var timed = Millis.max
        for item in pending where !item.action.isUntimed { timed = min(timed, item.time) }
        for move in moves {
            guard case .pick(.deliver(let lone)) = move.action, let item = move.item, item.time < timed,
                  countsAlike(lone.event, through: newest)
            else { continue }
            let through = max(analytics.streamTime, lone.event.createdAt)
            if moves.allSatisfy({ other in
                guard case .pick(.deliver(let delivery)) = other.action, other.item?.sequence != item.sequence else { return true }
                return countsAlike(delivery.event, through: through)
            }) {
                return move
            }
        }
        return nil
    }

    /// Whether `item` is the one thing in the world that can move `order` on at its
    /// service before it is performed. `pending` holds every message and stage waiting,
    /// and the earliest timer.
    private func onlyMover(of order: OrderId, is item: Agenda.Item, pending: [Agenda.Item]) -> Bool {
        let service = item.action.actor
        /// The services other items about the order are at, one bit each.
        var others: UInt32 = 0
        for other in pending where other.action.isUntimed && other.action.orderId == order && other.sequence != item.sequence {
            guard other.action.actor != service, staysAtItsService(other.action) else { return false }
            others |= 1 << UInt32(other.action.actor.index)
        }
        // A restart or a heal sends a parked delivery on at once.
        for held in parked where held.event.orderId == order {
            guard held.target != service, staysAtItsService(.deliver(held)) else { return false }
            others |= 1 << UInt32(held.target.index)
        }
        // Timers fire in order: if any fires before `item` can, the earliest does.
        if pending.contains(where: { if case .timer = $0.action { return $0.time <= item.time } else { return false } }) {
            return false
        }
        for poll in agenda.waitingPolls where poll.time <= item.time {
            // It fires before `item` can; only a poll due by now moves no time, and it must
            // find nothing about the order to publish. The item's own service's poll, with
            // nothing to publish, can fire first only once other work there writes a row.
            if case .poll(let publisher) = poll.action, publisher == service, poll.time <= now,
               nodes[service.index].waitingRows == 0, nothingElseReaches(service, before: item, pending: pending) {
                continue
            }
            guard case .poll(let publisher) = poll.action, poll.time <= now, publisher != service,
                  others & (1 << UInt32(publisher.index)) == 0,
                  !nodes[publisher.index].outbox.unpublished.contains(where: { $0.event.orderId == order })
            else { return false }
        }
        for index in nodes.indices {
            if nodes[index].queue.waiting.contains(where: { $0.event.orderId == order })
                || nodes[index].handlings.contains(where: { $0.delivery.event.orderId == order }) {
                return false
            }
        }
        return true
    }

    /// Whether nothing but `item` can bring `service` work before `item` is performed: no
    /// other item waits there, is parked for it or queued at its consumer, every other item
    /// only writes to its own service's outbox, and no other poll due by `item`'s time has
    /// anything to publish or work at its service that could write something.
    private func nothingElseReaches(_ service: ServiceName, before item: Agenda.Item, pending: [Agenda.Item]) -> Bool {
        var busy: UInt32 = 0
        for other in pending where other.action.isUntimed && other.sequence != item.sequence {
            guard other.action.actor != service, staysAtItsService(other.action) else { return false }
            busy |= 1 << UInt32(other.action.actor.index)
        }
        // A restart or the heal sends parked deliveries on, and a consumer takes the next
        // delivery from its queue when it is done with one.
        for held in parked {
            guard held.target != service else { return false }
            busy |= 1 << UInt32(held.target.index)
        }
        for index in nodes.indices where !nodes[index].queue.isEmpty || !nodes[index].handlings.isEmpty {
            busy |= 1 << UInt32(index)
        }
        guard busy & (1 << UInt32(service.index)) == 0 else { return false }
        for poll in agenda.waitingPolls where poll.time <= item.time {
            guard case .poll(let publisher) = poll.action else { return false }
            if publisher == service { continue }
            guard nodes[publisher.index].waitingRows == 0, busy & (1 << UInt32(publisher.index)) == 0 else { return false }
        }
        return true
    }

    /// Whether performing `action` can put nothing on the agenda at once but more work at
    /// its own service (a redelivery, a retry): a delivery whose handler writes what it
    /// emits to the outbox, for a poll to publish later, and starts no saga.
    func staysAtItsService(_ action: Agenda.Action) -> Bool {
        guard case .deliver(let delivery) = action, delivery.handler != .startSaga else { return false }
        return !patterns.recipes.recipe(delivery.target, for: delivery.event.type).contains(.publish)
    }

    /// Whether some draw decides who fails: a failure percentage, a handler error for a
    /// percentage of deliveries, a retry's jitter, or a failure or handler error armed
    /// for the next request or delivery, which goes to whichever comes first.
    var leavesToChance: Bool {
        drawsChances || failures.contains { $0 == .next } || nodes.contains { $0.handlerError == .next }
    }

    /// The soonest, counted from when it runs, that a step can make a timer or a publisher
    /// poll due: the next poll, and for orchestrated orders a call's timeout, a retry's
    /// wait, a saga's deadline. (Only the orchestrator's restart arms timers at once, and
    /// the reduction never has orders down.)
    var soonestTimer: Millis {
        guard orders.orders.contains(where: { $0.mode == .orchestration }) else { return settings.publishInterval }
        var soonest = min(settings.stepTimeout, settings.sagaDeadline, settings.publishInterval)
        if settings.compensationTimeout > 0 { soonest = min(soonest, settings.compensationTimeout) }
        for task in SagaTask.steps {
            let policy = retryPolicy(task)
            let shortest = policy.jitter == .full || policy.backoffRate < 1 ? 0 : min(policy.interval, policy.maxDelay ?? policy.interval)
            soonest = min(soonest, shortest)
        }
        return soonest
    }
}

extension Agenda.Action {
    /// A delivery that tells inventory an order's reserved stock is sold.
    var sellsStock: Bool {
        if case .deliver(let delivery) = self { return delivery.handler == .markSold }
        return false
    }
}
