extension MessageHappening {
    var text: String {
        switch self {
        case .published(let e, let route):
            return "published \(e.type.rawValue) \(e.id)" + (route == .direct ? " straight to the bus (no outbox)" : "")
        case .publishedAgain(let e, let copy): return "published \(e.type.rawValue) \(e.id) again (copy \(copy))"
        case .droppedOnPublish(let e): return "dropped \(e.type.rawValue) \(e.id): no subscriber will receive it"
        case .willDeliverTwice(let id): return "will deliver \(id) twice"
        case .heldBack(let id, let by): return "holds \(id) back for \(VirtualTime.duration(by))"
        case .sentNeverMarked(let id): return "\(id) was sent but never marked published"
        case .neverPublished(let e): return "\(e.type.rawValue) \(e.id) was never published"
        case .publishFailed(let e): return "publishing \(e.type.rawValue) \(e.id) failed: the bus is unreachable; the event is lost"
        case .ackLost(let id): return "acknowledging \(id) failed: the bus is unreachable"
        case .parked(let e, let consumer, let isUp):
            return "\(consumer.rawValue) \(isUp ? "is partitioned" : "is down"): \(e.type.rawValue) \(e.id) waits in its queue"
        case .received(let e, let isCopy, let attempt, let retry):
            var marks: [String] = []
            if isCopy { marks.append("duplicate") }
            if attempt > 1 { marks.append("attempt \(attempt)") }
            if let retry { marks.append(retry.label) }
            return "\(e.type.rawValue) \(e.id)" + (marks.isEmpty ? "" : " (\(marks.joined(separator: ", ")))")
        case .queued(let e, _, let busy):
            return "busy with \(busy) deliver\(busy == 1 ? "y" : "ies"): \(e.type.rawValue) \(e.id) waits in the queue"
        case .notYetProcessed(let id): return "\(id) not in the processed-events table: go on"
        case .markExpired(let id, let markedAt, let ttl):
            return "\(id) was marked processed at \(VirtualTime.stamp(markedAt)), but the mark has expired "
                + "(processed-ttl \(VirtualTime.duration(ttl))): handled as new"
        case .nothingToPublish(let id): return "\(id)'s handler emitted no event: nothing to publish"
        case .markExists(let id, let rolledBack):
            return "\(id) already marked: the conditional write fails"
                + (rolledBack ? " and rolls back the effect; skipped" : "; skipped")
        case .acknowledged(let id): return "acknowledged \(id)"
        case .alreadyProcessed(let id): return "\(id) already processed: skipped"
        case .alreadyAnswered(let token): return "\(token) already done: answers with the first result"
        case .markedProcessed(let id): return "marked \(id) processed"
        case .compensationRolledBack: return "compensation transaction rolled back"
        case .redelivers(let id, let at, let attempt):
            return "\(id) not acknowledged: the bus redelivers it at \(VirtualTime.stamp(at)) (attempt \(attempt))"
        case .immediateRetry(let error, let rolledBack, let id, let retry, let of):
            return "handler error: \(error); \(rolledBack ? "rolled back, " : "")\(id) not acknowledged; immediate retry \(retry) of \(of)"
        case .delayedRetry(let error, let rolledBack, let id, let retry, let of, let wait, let at):
            return "handler error: \(error); \(rolledBack ? "rolled back, " : "")\(id) not acknowledged; delayed retry \(retry) of \(of) in "
                + "\(VirtualTime.duration(wait)), at \(VirtualTime.stamp(at))"
        case .deadLettered(let id, let letter, let why):
            let text: String
            switch why {
            case .malformed: text = "cannot deserialize the malformed payload, so no retry can help"
            case .outOfRetries(let error, let attempts):
                let tries = attempts == 1 ? "the only attempt" : "\(attempts) attempts"
                text = "handler error: \(error); rolled back; no retries left after \(tries)"
            case .compensationTimedOut(let error, let after):
                text = "handler error: \(error); rolled back; the compensation timeout ends its retries after "
                    + VirtualTime.duration(after)
            }
            return "\(text): \(id) moved to the dead-letter queue as \(letter)"
        case .poisonWritten(let e): return "a faulty release writes \(e.type.rawValue) \(e.id) with a malformed payload"
        case .redriven(let letter, let typeName, let id, let queue):
            return "redrive \(letter): \(typeName) \(id) goes back to the \(queue.rawValue) queue"
        case .redrivenStep(let letter, let execution, let task, let order):
            return "redrive \(letter): \(execution) tries \(task.rawValue) for \(order) again"
        case .handlerErrors(let service, let mode): return "\(service.rawValue) handler errors: \(mode.description)"
        case .consumerRetries(let policy): return "retry consumers \(policy.arguments): \(policy.summary)"
        case .stepRetries(let task, let policy): return "retry \(task.rawValue): \(policy.summary)"
        }
    }
}
