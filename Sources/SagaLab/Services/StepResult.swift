/// What one participant's business step or one consumer's handler did in its local
/// transaction, as data: the trace records it, an orchestrator's reply carries it, and
/// the views word it.
public enum StepResult: Hashable, Sendable {
    // Inventory
    case reserved([OrderItem], order: String)
    case cannotReserve(quantity: Int, product: String, order: String, available: Int)
    case reservationFailedByInjection(order: String)
    case released([OrderItem], order: String)
    case nothingReserved(order: String)
    // Payment
    case captured(amount: Int, order: String, charge: String)
    case declined(amount: Int, order: String)
    case refunded(amount: Int, order: String)
    case noChargeToRefund(order: String)
    // Rewards
    case notified(customer: String, order: String)
    case awarded(points: Int, customer: String, order: String)
    case revoked(points: Int, customer: String, order: String)
    case noPointsToRevoke(order: String)
    // Analytics
    case counted(EventType)
    case countedConfirmed(revenue: Int)
    case countedTooLate(windowStart: Millis)
    // Orders, choreographed
    case noOrder(String)
    case alreadySettled(order: String, status: Order.Status, ignoring: EventType)
    case nothingToCancel(order: String, status: Order.Status)
    case sagaStepSucceeded(saga: String, step: SagaStepName)
    case confirmed(order: String)
    case markedForCompensation(saga: String, reason: String)
    case cancelled(order: String, reason: String)
    // Orders, orchestrated
    case executionAlreadyRuns(execution: String, order: String)
    case notPendingNoSaga(order: String)
    case executionStarted(execution: String, order: String, steps: [SagaTask])
    case executionSucceeded(order: String, execution: String)
    case executionFailed(order: String, reason: String, execution: String)
}

/// An event named in a trace line: its type and id.
public struct EventRef: Hashable, Sendable {
    public var type: EventType
    public var id: String

    public init(_ event: Event) {
        type = event.type
        id = event.id
    }
}
