/// Partial-order reduction while one fault is still to come: a state where a service's work
/// can come only from what already waits there is expanded by that work and the faults
/// that touch it, not by every move.
///
/// `persistentPick` stands alone only once the faults are spent, since a crash or a
/// partition touches a whole service and a fault depends on every other through the
/// budget. So a search with a fault walked every interleaving of the orders up to the
/// fault. Here the set is every item waiting at one service S, the faults that touch S or
/// the events sent to it, and every duplicate and publisher crash (the faults that can
/// bring S more work). Take any schedule; its first move of the set can be moved to the
/// front:
/// - Before it come only moves outside the set: work at other services, and at most the
///   one fault the budget allows, which leaves S and its events alone. That work only
///   writes to its service's outbox and redelivers to itself (`staysAtItsService`); no
///   timer, and no poll that could publish, comes before the first item at S (none is due
///   by then, and one a step arms is due later still, `soonestTimer`); a restart or the
///   heal sends parked deliveries to their own service; and no saga is active for the
///   orchestrator to resume. So nothing reaches S first, and the set's first move
///   commutes with every move before it.
/// - If that first move is a fault, no fault comes before it, and it commutes with work at
///   other services (a duplicate schedules its copies at the same time either way; the
///   latencies drawn do not count, see `fingerprint`).
/// A schedule with no move of the set leaves S's work waiting to the end; what breaks on
/// it breaks after that work as well, as for `persistentSet`, and for the same reasons S
/// is never analytics, nor inventory with a reservation waiting. A crash falls inside a
/// poll only when the poll could come next (`addFaultMoves`); one fired early could reach S.
extension World {
    /// The moves that stand for every move here while exactly one fault is left, when
    /// fewer can (see above); `moves` are the moves here, faults included.
    func persistentSetWithAFaultLeft(among moves: [Move], pending: [Agenda.Item]) -> [Move]? {
        guard armedCrashes.isEmpty, armedMessageFaults.isEmpty, !leavesToChance, parked.isEmpty,
              settings.analyticsReport == 0, !orders.executions.contains(where: { $0.isActive }),
              nodes.allSatisfy({ $0.isReachable && $0.publisherReachable && $0.queue.isEmpty && $0.handlings.isEmpty })
        else { return nil }
        let deadline = min(now + soonestTimer, firstTimedWithWork(pending: pending))
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

    /// When the first timer, or poll that would find something to publish, falls due: none
    /// can come before a message waiting that is due sooner. A poll counts when its outbox
    /// holds a row or its service has work waiting that may write one.
    func firstTimedWithWork(pending: [Agenda.Item]) -> Millis {
        var waiting: UInt32 = 0
        for item in pending where item.action.isUntimed { waiting |= 1 << UInt32(item.action.actor.index) }
        var first = Millis.max
        for item in pending where !item.action.isUntimed { if case .timer = item.action { first = min(first, item.time) } }
        for item in agenda.waitingPolls {
            guard case .poll(let publisher) = item.action else { continue }
            if nodes[publisher.index].waitingRows > 0 || waiting & (1 << UInt32(publisher.index)) != 0 {
                first = min(first, item.time)
            }
        }
        return first
    }
}
