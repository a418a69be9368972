/// What could happen next, in any order the learner (or the explorer) chooses.
///
/// The bus promises delivery, not an order or a latency, so every message in flight
/// (event deliveries, the orchestrator's calls and their answers) may arrive next. Timers
/// fire in the order they were set for, so only the earliest waiting timer is among the
/// choices. A publisher poll is a choice only when it would publish something.
extension World {
    /// The agenda items that could be performed next, in the order `run` would take them.
    public var pending: [Agenda.Item] {
        var choices: [Agenda.Item] = []
        listPending(into: &choices)
        return choices
    }

    /// Replaces `choices` with the items pending here, keeping its storage: the explorer
    /// lists them at every state into one array.
    func listPending(into choices: inout [Agenda.Item]) {
        choices.removeAll(keepingCapacity: true)
        choices.reserveCapacity(agenda.count)
        // In order, the first timer met is the earliest.
        var timerMet = false
        let inOrder = agenda.forEachInOrderWhileFew { item in
            switch item.action {
            case .timer:
                if !timerMet { choices.append(item) }
                timerMet = true
            case .poll(let service):
                if nodes[service.index].publisherReachable && nodes[service.index].waitingRows > 0 {
                    choices.append(item)
                }
            case .deliver, .call, .reply, .stage:
                choices.append(item)
            case .report:
                break
            }
        }
        guard !inOrder else { return }
        var earliestTimer: Agenda.Item?
        agenda.forEachUnordered { item in
            switch item.action {
            case .timer:
                if earliestTimer.map({ (item.time, item.sequence) < ($0.time, $0.sequence) }) ?? true { earliestTimer = item }
            case .poll(let service):
                if nodes[service.index].publisherReachable && nodes[service.index].waitingRows > 0 {
                    choices.append(item)
                }
            case .deliver, .call, .reply, .stage:
                choices.append(item)
            case .report:
                break
            }
        }
        if let earliestTimer { choices.append(earliestTimer) }
        choices.sort { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
    }

    /// Performs one pending item now, whatever its scheduled time. A message arrives at
    /// once: the network owes it no latency; so does a handler's next stage. A timer or a publisher poll moves virtual
    /// time on to when it is due, if that lies ahead; time never goes back. Invariants are
    /// judged after it, as after any step.
    public mutating func pick(_ item: Agenda.Item) {
        guard agenda.take(item) else { return }
        var due = item
        if item.action.isUntimed { due.time = min(item.time, now) }
        perform(due)
    }
}

extension Agenda {
    /// Takes `item` out of the agenda. False when it no longer waits there.
    mutating func take(_ item: Item) -> Bool {
        if item.action.isPoll { return removePoll(sequence: item.sequence) }
        return remove(at: item.time, sequence: item.sequence) != nil
    }
}
