/// Partial-order reduction while one fault is still to come: a state where one pending
/// delivery is the only work its service has, and can be the only work it gets before it is
/// performed, is expanded by that delivery and the faults that touch it, not by every move.
///
/// `persistentPick` stands alone only once the faults are spent, since a crash or a
/// partition touches a whole service and a fault depends on every other through the
/// budget. So a search with a fault walked every interleaving of the orders up to the fault:
/// three orders with one fault took tens of millions of states. Here the set is a delivery
/// `t` to a service S and every fault that touches S or `t`'s event, and every duplicate
/// and publisher crash (the faults that can bring S more work). Take any schedule; its
/// first move of the set can be moved to the front:
/// - Before it, only moves outside the set: deliveries at other services, and at most the
///   one fault the budget allows, which leaves S and `t`'s event alone. Those deliveries
///   only write to their service's outbox, for a poll to publish later, and redeliver to
///   their own service (`staysAtItsService`); no poll and no timer can come before `t`
///   (none is due by `t`'s time, and one a step arms is due later still, `soonestTimer`);
///   a restart or the heal sends parked deliveries to their own service; and no saga is
///   active, for the orchestrator to resume. So nothing reaches S before `t`, and `t`
///   commutes with every move before it.
/// - If the first move of the set is a fault, nothing before it is: it commutes with
///   deliveries at other services (a duplicate schedules its copies at the same time
///   either way; the order of latencies drawn does not count, see `fingerprint`).
/// A schedule with no move of the set never takes `t`, which waits to the end; what
/// breaks on it breaks after `t` as well (see `persistentSet`). The conditions that make
/// the fault-free pick sound hold here too: no inventory reservation, no analytics.
extension World {
    /// The moves that stand for every move here while exactly one fault is left, when
    /// fewer can (see above); `moves` are the moves here, faults included.
    func persistentSetWithAFaultLeft(among moves: [Move], pending: [Agenda.Item]) -> [Move]? {
        guard armedCrashes.isEmpty, armedMessageFaults.isEmpty, !leavesToChance, parked.isEmpty,
              settings.analyticsReport == 0, !orders.executions.contains(where: { $0.isActive }),
              nodes.allSatisfy({ $0.isReachable && $0.publisherReachable && $0.queue.isEmpty && $0.handlings.isEmpty })
        else { return nil }
        /// How many untimed items wait at each service.
        var waiting = Array(repeating: 0, count: ServiceName.allCases.count)
        for item in pending where item.action.isUntimed { waiting[item.action.actor.index] += 1 }
        var timer = Millis.max
        for item in pending where !item.action.isUntimed { if case .timer = item.action { timer = min(timer, item.time) } }
        // A poll can come first only once it is due by every message waiting; one that finds
        // nothing to publish, at a service nothing can give more, changes nothing.
        var poll = Millis.max
        for item in agenda.waitingPolls {
            guard case .poll(let publisher) = item.action else { continue }
            if nodes[publisher.index].outbox.unpublishedCount > 0 || waiting[publisher.index] > 0 { poll = min(poll, item.time) }
        }
        let deadline = min(now + soonestTimer, timer, poll)
        var best: [Move]?
        for service in ServiceName.allCases {
            guard let set = faultSet(at: service, among: moves, pending: pending, before: deadline) else { continue }
            if best.map({ set.count < $0.count }) ?? true { best = set }
        }
        return best.flatMap { $0.count < moves.count ? $0 : nil }
    }

    /// Every move at `service` and every fault that touches it or what it was sent, when
    /// those stand for every move here (see above).
    private func faultSet(at service: ServiceName, among moves: [Move], pending: [Agenda.Item], before deadline: Millis) -> [Move]? {
        guard service != .analytics, settings.concurrency[service.index] == 1 else { return nil }
        var items = 0
        var first = Millis.max
        var events: [EventId] = []
        for item in pending where item.action.isUntimed {
            if item.action.actor == service {
                guard service != .inventory || item.action.sellsStock,
                      moves.contains(where: { $0.item?.sequence == item.sequence })
                else { return nil }
                items += 1
                first = min(first, item.time)
                if case .deliver(let delivery) = item.action, !events.contains(delivery.event.id) { events.append(delivery.event.id) }
            } else if !staysAtItsService(item.action) {
                return nil
            }
        }
        guard items > 0 else { return nil }
        guard first < deadline else { return nil }
        return moves.filter { move in
            switch move.action {
            case .pick: return move.item.map { $0.action.isUntimed && $0.action.actor == service } ?? false
            case .crashDuring(_, let crashed, _), .crash(let crashed), .partition(let crashed): return crashed == service
            case .delay(let id, _), .drop(let id): return events.contains(id)
            case .duplicate, .crashPublisher, .crashPublisherDuring: return true
            case .restart, .restartPublisher, .heal, .redrive, .run: return true
            }
        }
    }
}
