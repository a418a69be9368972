extension SagaHappening {
    var text: String {
        switch self {
        case .calls(let execution, let participant, let task, let attempt, let run):
            let which = run > 1 ? "run \(run), attempt \(attempt)" : "attempt \(attempt)"
            return "\(execution) calls \(participant.rawValue): \(task.rawValue) (\(which))"
        case .callLost(let task, let to, let partitioned):
            return "the call \(task.rawValue) to \(to.rawValue) is lost: \(partitioned.rawValue) is partitioned"
        case .callReceived(let task, let order, let attempt):
            return "\(task.rawValue) call for \(order) (attempt \(attempt))"
        case .handlerFailed(let error, let task):
            return "handler error: \(error); rolled back, \(task.rawValue) not done"
        case .resultLost(let task, let order, let because):
            let why: String
            switch because {
            case .down(let service): why = "\(service.rawValue) is down"
            case .partitioned(let service): why = "\(service.rawValue) is partitioned"
            }
            return "the result of \(task.rawValue) for \(order) is lost: \(why)"
        case .resultReceived(let task, let attempt, let outcome):
            return "\(task.rawValue) result (attempt \(attempt)): \(outcome.text)"
        case .lateResultIgnored(let execution, let attempt, let task):
            return "\(execution) no longer waits for attempt \(attempt) of \(task.rawValue): result ignored"
        case .undoesLateSuccess(let execution, let task):
            return "\(execution) undoes the late success of \(task.rawValue)"
        case .lateSuccessUndone(let execution, let order):
            return "\(execution) undid the late success; \(order) stays FAILED"
        case .retryScheduled(let task, let error, let retry, let of, let at, let wait):
            return "\(task.rawValue) failed (\(error.rawValue)): retry \(retry) of \(of) at \(VirtualTime.stamp(at)) "
                + "(waits \(VirtualTime.duration(wait)))"
        case .stepDeadLettered(let task, let order, let failure, let letter, let execution):
            return "\(task.rawValue) for \(order) failed for good (\(failure.text)): moved to the dead-letter queue as "
                + "\(letter); \(execution) waits for an operator"
        case .catches(let execution, let reason, let compensations):
            let plan = compensations.isEmpty ? "nothing to undo" : compensations.map(\.rawValue).joined(separator: ", ")
            return "\(execution) catches the failure (\(reason)); compensating: \(plan)"
        case .publishFailed(let e):
            return "publishing \(e.type.rawValue) \(e.id) failed: the bus is unreachable; the event is lost"
        case .noAnswer(let task, let attempt, let within):
            return "no answer to \(task.rawValue) (attempt \(attempt)) within \(VirtualTime.duration(within))"
        case .deadlinePassedAfterPivot(let execution):
            return "\(execution) passed its deadline after the pivot: it goes forward"
        case .missedDeadline(let execution, let deadline):
            return "\(execution) missed its deadline (\(VirtualTime.stamp(deadline)))"
        case .timersKept(let executions):
            return "timers of \(executions.map(\.description).joined(separator: ", ")) are stored with the executions; a restart re-arms them"
        case .timersLost(let executions):
            return "timers of \(executions.map(\.description).joined(separator: ", ")) lived only in memory and are lost (durable-timers off)"
        case .timersOnlyInMemory(let execution):
            return "\(execution) kept its timers only in memory: no timeout, retry or deadline will wake it (durable-timers off)"
        case .resumes(let execution, let next):
            return "\(execution) resumes from its record: \(next.text)"
        }
    }
}

extension TaskOutcome {
    /// `SUCCESS`, or the error and the participant's detail: `OutOfStock: cannot reserve ...`.
    var text: String { error.map { "\($0.rawValue): \(detail)" } ?? "SUCCESS" }
}

extension SagaHappening.TaskFailure {
    /// `States.Timeout after 3 attempts`, or `OutOfStock: cannot reserve ...`.
    var text: String {
        switch self {
        case .outOfAttempts(let error, let attempts): return "\(error.rawValue) after \(attempts) attempts"
        case .nonRetriable(let error, let detail): return "\(error.rawValue): \(detail)"
        }
    }
}

extension SagaHappening.Resumption {
    /// `calls processPayment now`, `waits for ... until ...`, `retries ... at ...`.
    var text: String {
        switch self {
        case .calls(let task): return "calls \(task.rawValue) now"
        case .waits(let task, let attempt, let until):
            return "waits for \(task.rawValue) (attempt \(attempt)) until \(VirtualTime.stamp(until))"
        case .retries(let task, let at): return "retries \(task.rawValue) at \(VirtualTime.stamp(at))"
        case .compensates(let deadline): return "past its deadline \(VirtualTime.stamp(deadline)): compensates"
        }
    }
}
