/// What the bus, the outbox publishers and the consumers record in the trace, with
/// their retries and dead letters. Rare cases with large payloads are `indirect`, so the
/// common ones keep every trace entry small.
public enum MessageHappening: Hashable, Sendable {
    /// How an event reached the bus the first time.
    public enum Route: Hashable, Sendable {
        /// An outbox publisher sent it.
        case outbox
        /// The service published it right after its commit: the dual write.
        case direct
        /// The lab put it there (`inject poison`).
        case lab
    }

    case published(EventRef, route: Route)
    case publishedAgain(EventRef, copy: Int)
    /// An armed `drop` took the event off the bus.
    case droppedOnPublish(EventRef)
    /// An armed `duplicate` will deliver the event twice.
    case willDeliverTwice(eventId: EventId)
    /// An armed or applied `delay` holds the event back.
    case heldBack(eventId: EventId, by: Millis)
    /// The publisher sent a row, then crashed before marking it published.
    case sentNeverMarked(eventId: EventId)
    /// An event emitted without the outbox was lost with a crash before publishing.
    case neverPublished(EventRef)
    /// A handler's send straight to the bus failed: its service is cut off. The event is lost.
    case publishFailed(EventRef)
    /// A consumer's acknowledgement could not reach the broker: its service is cut off.
    case ackLost(eventId: EventId)
    /// A delivery waits in the queue of a consumer that is down or partitioned.
    case parked(EventRef, consumer: ServiceName, consumerIsUp: Bool)
    case received(EventRef, isCopy: Bool, attempt: Int32, retry: RetryCause?)
    /// Every slot of a concurrent consumer is busy: the delivery waits in its queue.
    case queued(EventRef, consumer: ServiceName, inProgress: Int32)
    /// A concurrent consumer's `check` found no mark: it goes on with the recipe.
    case notYetProcessed(eventId: EventId)
    /// The processed-events table still holds a mark for the event (or call), written at
    /// `markedAt`, but it is older than the TTL: the read treats it as absent, and the
    /// event is handled as new.
    indirect case markExpired(id: ProcessedKey, markedAt: Millis, ttl: Millis)
    /// A concurrent consumer's `publish` stage found nothing emitted to send.
    case nothingToPublish(eventId: EventId)
    /// The mark's conditional write found the event already marked: its transaction
    /// aborted (with the effect, when they share it) and the delivery is skipped.
    case markExists(eventId: EventId, rolledBack: Bool)
    /// A concurrent consumer acknowledged the delivery: its slot frees.
    case acknowledged(eventId: EventId)
    /// The consumer found the event in its processed-events table.
    case alreadyProcessed(eventId: EventId)
    /// The participant found the call's token in its processed-events table.
    case alreadyAnswered(token: ProcessedKey)
    /// A consumer marked the event (or the token) processed after its effect, in a stage of its own.
    case markedProcessed(id: ProcessedKey)
    case compensationRolledBack
    /// An unacknowledged delivery comes back after the redelivery delay.
    indirect case redelivers(eventId: EventId, at: Millis, attempt: Int)
    /// The handler threw; the consumer retries at once, or later.
    /// `rolledBack`: the error struck inside a transaction, which undid its writes (false
    /// for a send to the bus that failed after its transaction had committed).
    indirect case immediateRetry(error: String, rolledBack: Bool, eventId: EventId, retry: Int, of: Int)
    indirect case delayedRetry(error: String, rolledBack: Bool, eventId: EventId, retry: Int, of: Int, wait: Millis, at: Millis)
    /// A delivery moved to the consumer's dead-letter queue.
    indirect case deadLettered(eventId: EventId, letter: DeadLetterId, why: DeadLetterReason)
    /// `inject poison`: the source service writes a malformed event.
    case poisonWritten(EventRef)
    /// An operator sent a dead letter back.
    indirect case redriven(letter: DeadLetterId, typeName: String, eventId: EventId, queue: ServiceName)
    indirect case redrivenStep(letter: DeadLetterId, execution: ExecutionId, task: SagaTask, order: OrderId)
    /// `fail SERVICE error ...` changed a consumer's injected handler errors.
    indirect case handlerErrors(ServiceName, HandlerErrorMode)
    /// `retry consumers ...` changed the consumers' retry policy.
    indirect case consumerRetries(ConsumerRetryPolicy)
    /// `retry STEP ...` changed an orchestrated step's retry policy.
    indirect case stepRetries(SagaTask, RetryPolicy)

    /// Why a delivery was dead-lettered.
    public enum DeadLetterReason: Hashable, Sendable {
        case malformed
        case outOfRetries(error: String, attempts: Int)
        /// A compensation whose next retry would end past the compensation timeout.
        case compensationTimedOut(error: String, after: Millis)
    }

    public var kind: TraceEntry.Kind {
        switch self {
        case .published, .publishedAgain: return .publish
        case .droppedOnPublish, .willDeliverTwice, .heldBack, .poisonWritten: return .fault
        case .sentNeverMarked, .neverPublished, .publishFailed, .ackLost, .compensationRolledBack, .handlerErrors, .consumerRetries, .stepRetries:
            return .note
        case .parked, .queued: return .park
        case .received: return .deliver
        case .notYetProcessed, .markExpired, .nothingToPublish, .acknowledged: return .note
        case .alreadyProcessed, .alreadyAnswered, .markExists: return .skip
        case .markedProcessed: return .commit
        case .redelivers, .immediateRetry, .delayedRetry, .redriven, .redrivenStep: return .redeliver
        case .deadLettered: return .deadLetter
        }
    }
}
