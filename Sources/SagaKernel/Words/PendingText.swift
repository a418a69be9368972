/// Pending agenda items and schedule actions in words, for `show pending` and `explore`.
extension Agenda.Action {
    /// `order.created evt-1 (ord-1) to inventory`, `timer: exec-1's deadline`.
    public var text: String {
        switch self {
        case .deliver(let delivery):
            let event = delivery.event
            var text = "\(event.type.rawValue) \(event.id) (\(event.orderId)) to \(delivery.target.rawValue)"
            if delivery.isCopy { text += ", a copy" }
            if delivery.attempt > 1 { text += ", attempt \(delivery.attempt)" }
            return text
        case .poll(let service):
            return "\(service.rawValue) publisher polls its outbox"
        case .report:
            return "analytics prints its report"
        case .call(let call):
            let attempt = call.attempt > 1 ? ", attempt \(call.attempt)" : ""
            return "\(call.executionId) calls \(call.task.participant.rawValue): \(call.task.rawValue)\(attempt)"
        case .reply(let reply):
            let how = reply.outcome.error == nil ? "success" : "failure"
            return "\(reply.call.task.participant.rawValue) answers \(reply.call.executionId)'s "
                + "\(reply.call.task.rawValue): \(how)"
        case .stage(let run):
            return "\(run.service.rawValue) goes on handling \(run.eventId) (\(run.orderId)): its next stage"
        case .timer(let timer):
            switch timer.kind {
            case .start: return "timer: \(timer.executionId) starts its next task"
            case .timeout(let attempt): return "timer: \(timer.executionId)'s call (attempt \(attempt)) times out"
            case .retry(let attempt): return "timer: \(timer.executionId) retries (attempt \(attempt))"
            case .deadline: return "timer: \(timer.executionId)'s saga deadline"
            }
        }
    }
}

extension World {
    /// `action.text`, naming a handler's next stage by its steps: `inventory runs
    /// effect+publish for evt-1 (ord-1)`.
    public func describe(_ action: Agenda.Action) -> String {
        if case .poll(let service) = action, publishers == .ownProcess { return "\(service.publisherName) polls its outbox" }
        guard case .stage(let run) = action,
              let handling = node(run.service).handlings.first(where: { $0.id == run.handling }),
              handling.stage < handling.recipe.stages.count else { return action.text }
        let steps = handling.recipe.stages[handling.stage].map(\.rawValue).joined(separator: "+")
        return "\(run.service.rawValue) runs \(steps) for \(run.eventId) (\(run.orderId))"
    }
}

extension ScheduleAction {
    /// The lab command that does the same; `pick` needs the number `pending` gives it.
    public func command(pick number: Int?) -> String {
        switch self {
        case .pick: return "pick \(number ?? 0)"
        case .crash(let service): return "crash \(service.rawValue)"
        case .crashDuring(_, let service, let point):
            return "crash \(service.rawValue) at \(point.rawValue)\npick \(number ?? 0)"
        case .restart(let service): return "restart \(service.rawValue)"
        case .crashPublisher(let service): return "crash \(service.publisherName)"
        case .crashPublisherDuring(_, let service):
            return "crash \(service.publisherName) at \(CrashPoint.afterPublish.rawValue)\npick \(number ?? 0)"
        case .restartPublisher(let service): return "restart \(service.publisherName)"
        case .duplicate(let id): return "duplicate \(id)"
        case .partition(let service): return "partition \(service.rawValue)"
        case .heal: return "heal"
        case .drop(let id): return "drop \(id)"
        case .delay(let id, let by): return "delay \(VirtualTime.duration(by)) \(id)"
        case .redrive(let service): return "redrive \(service.rawValue)"
        case .run: return "run"
        }
    }

    /// Why a fault outside the bus's promise is there, for the note under a counterexample.
    public var promiseText: String? {
        switch self {
        case .drop(let id): return "\(id) is lost for good; the bus promises at-least-once delivery"
        case .delay(let id, let by):
            return "\(id) is held \(VirtualTime.duration(by)), past the processed-events TTL"
        default: return nil
        }
    }
}
