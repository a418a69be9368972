/// What one participant's business step or one consumer's handler did in its local
/// transaction, as data: the trace records it, an orchestrator's reply carries it, and
/// the views word it.
public enum StepResult: Hashable, Sendable {
    // Inventory
    case reserved([OrderItem], order: OrderId)
    indirect case cannotReserve(quantity: Int, product: String, order: OrderId, available: Int)
    case reservationFailedByInjection(order: OrderId)
    case released([OrderItem], order: OrderId)
    case nothingReserved(order: OrderId)
    case sold([OrderItem], order: OrderId)
    case nothingToSell(order: OrderId)
    // Payment
    indirect case captured(amount: Int, order: OrderId, charge: ChargeId)
    case declined(amount: Int, order: OrderId)
    case refunded(amount: Int, order: OrderId)
    case noChargeToRefund(order: OrderId)
    // Inventory and payment, fenced
    /// An undo that found nothing to undo, recorded as a fence mark and answered as done.
    case emptyRollback(FencedStep, order: OrderId)
    /// A try refused because its order's step was already rolled back (a suspension).
    case suspended(FencedStep, order: OrderId)
    // Rewards
    indirect case notified(customer: String, order: OrderId)
    indirect case awarded(customer: String, points: Int32, order: OrderId)
    indirect case revoked(customer: String, points: Int32, order: OrderId)
    case noPointsToRevoke(order: OrderId)
    // Analytics
    case counted(EventType)
    case countedConfirmed(revenue: Int)
    case countedTooLate(windowStart: Millis)
    indirect case reported(AnalyticsReport)
    // Orders, choreographed
    case noOrder(OrderId)
    indirect case alreadySettled(order: OrderId, status: Order.Status, ignoring: EventType)
    case nothingToCancel(order: OrderId, status: Order.Status)
    case sagaStepSucceeded(saga: SagaId, step: SagaStepName)
    case confirmed(order: OrderId)
    case markedForCompensation(saga: SagaId, reason: Reason)
    case cancelled(order: OrderId, reason: Reason)
    // Orders, orchestrated
    case executionAlreadyRuns(execution: ExecutionId, order: OrderId)
    case notPendingNoSaga(order: OrderId)
    indirect case executionStarted(execution: ExecutionId, order: OrderId, steps: [SagaTask])
    case executionSucceeded(order: OrderId, execution: ExecutionId)
    indirect case executionFailed(order: OrderId, reason: String, execution: ExecutionId)
}

/// An event named in a trace line: its type and id.
public struct EventRef: Hashable, Sendable {
    public var type: EventType
    public var id: EventId

    public init(_ event: Event) {
        type = event.type
        id = event.id
    }

    public init(type: EventType, id: EventId) {
        self.type = type
        self.id = id
    }
}
