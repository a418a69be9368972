/// The business side of every consumer's handlers: what `effect` does for each handler,
/// as one local transaction, and the events it emits.
extension World {
    /// What a handler's local transaction did.
    struct Effect {
        /// Whether business state changed (what the once-per-event invariant counts).
        var changed: Bool
        var result: StepResult
        /// The event the transaction writes (or, with the outbox off, publishes): a
        /// handler emits at most one, so no array is allocated for it.
        var emits: Event?
        /// An execution the orchestrator starts once this transaction has committed.
        var starts: ExecutionId?
    }

    /// Runs the handler's local transaction. Nil when the service crashed inside a
    /// two-transaction compensation (between marking the saga and cancelling the order).
    mutating func runHandler(_ handler: Handler, _ event: Event) -> Effect? {
        switch handler {
        case .reserveStock: return reserveStock(for: event)
        case .releaseStock: return releaseStock(for: event)
        case .markSold: return markSold(for: event)
        case .chargePayment: return chargePayment(for: event)
        case .refundPayment: return refundPayment(for: event)
        case .recordStep: return recordStep(for: event)
        case .cancelOrder: return cancelOrder(for: event)
        case .awardPoints: return awardPoints(for: event)
        case .revokePoints: return revokePoints(for: event)
        case .aggregate: return aggregate(event)
        case .startSaga: return startSaga(for: event)
        }
    }

    mutating func reserveStock(for event: Event) -> Effect {
        forwardStep(reserve(event), after: event, success: .inventoryReserved, failure: .inventoryReservationFailed)
    }

    /// A forward step's transaction and the event that says how it went; a try the fence
    /// refuses (it arrived after its rollback) changes nothing and says nothing.
    mutating func forwardStep(_ outcome: StepOutcome, after event: Event, success: EventType, failure: EventType) -> Effect {
        if case .suspended = outcome.result { return Effect(changed: false, result: outcome.result) }
        let emitted = outcome.succeeded
            ? makeEvent(success, after: event)
            : makeEvent(failure, after: event, reason: outcome.reason)
        return Effect(changed: outcome.succeeded, result: outcome.result, emits: emitted)
    }

    mutating func releaseStock(for event: Event) -> Effect {
        let outcome = release(event.orderId)
        guard outcome.succeeded else { return Effect(changed: false, result: outcome.result) }
        return Effect(changed: true, result: outcome.result, emits: makeEvent(.inventoryReleased, after: event))
    }

    /// Inventory learns its order was confirmed: what it reserved is sold.
    mutating func markSold(for event: Event) -> Effect {
        let items = inventory.markSold(event.orderId)
        guard !items.isEmpty else { return Effect(changed: false, result: .nothingToSell(order: event.orderId)) }
        return Effect(changed: true, result: .sold(items, order: event.orderId))
    }

    mutating func chargePayment(for event: Event) -> Effect {
        forwardStep(charge(event), after: event, success: .paymentCompleted, failure: .paymentFailed)
    }

    mutating func refundPayment(for event: Event) -> Effect {
        let outcome = refund(event.orderId)
        guard outcome.succeeded else { return Effect(changed: false, result: outcome.result) }
        return Effect(changed: true, result: outcome.result,
                      emits: makeEvent(.paymentRefunded, after: event, amount: outcome.amount))
    }

    mutating func recordStep(for event: Event) -> Effect {
        guard let order = orders.facts(event.orderId) else {
            return Effect(changed: false, result: .noOrder(event.orderId))
        }
        guard order.status == .pending else {
            return Effect(changed: false, result: .alreadySettled(order: order.id, status: order.status, ignoring: event.type))
        }
        let step: SagaStepName = event.type == .inventoryReserved ? .inventoryReservation : .paymentProcessing
        var everyStepDone = false
        orders.updateSaga(forOrder: order.id) { saga in
            saga.update(step, succeeded: true, at: now)
            saga.currentStep = step == .inventoryReservation ? .inventoryReserved : .paymentCompleted
            everyStepDone = order.flow.steps.allSatisfy { saga.record($0)?.succeeded == true }
        }
        guard everyStepDone else {
            return Effect(changed: true, result: .sagaStepSucceeded(saga: order.sagaId, step: step))
        }
        orders.updateOrder(order.id) { $0.status = .confirmed; $0.settledAt = now }
        orders.updateSaga(forOrder: order.id) { saga in
            saga.update(.confirmation, succeeded: true, at: now)
            saga.currentStep = .confirmed
        }
        let confirmed = makeEvent(.orderConfirmed, after: event, amount: order.total)
        return Effect(changed: true, result: .confirmed(order: order.id), emits: confirmed)
    }

    /// Cancelling is two local transactions, as in the EventBridge shop: mark the saga for
    /// compensation, then cancel the order and emit `order.cancelled`. A crash at
    /// `mid-compensation` falls between them and leaves a saga that says "compensate"
    /// beside an order that still says PENDING.
    mutating func cancelOrder(for event: Event) -> Effect? {
        guard let order = orders.facts(event.orderId) else {
            return Effect(changed: false, result: .noOrder(event.orderId))
        }
        guard order.status == .pending else {
            return Effect(changed: false, result: .nothingToCancel(order: order.id, status: order.status))
        }
        let failedStep: SagaStepName = event.type == .inventoryReservationFailed ? .inventoryReservation : .paymentProcessing
        let title = failedStep == .inventoryReservation ? "Inventory reservation failed" : "Payment failed"
        let why = Reason(title, cause: event.why)
        orders.updateSaga(forOrder: order.id) { saga in
            saga.update(failedStep, succeeded: false, at: now, why: event.why)
            saga.markForCompensation(why: why)
        }
        log(.step(.markedForCompensation(saga: order.sagaId, reason: why)), .orders, order: order.id, event: event.id)
        if crashIfArmed(.orders, at: .midCompensation, order: order.id) { return nil }
        orders.updateOrder(order.id) { $0.status = .cancelled; $0.why = why; $0.settledAt = now }
        orders.updateSaga(forOrder: order.id) { saga in
            saga.update(.compensation, succeeded: true, at: now)
            saga.currentStep = .cancelled
        }
        let cancelled = makeEvent(.orderCancelled, after: event, amount: order.total, why: why)
        return Effect(changed: true, result: .cancelled(order: order.id, reason: why), emits: cancelled)
    }

    mutating func awardPoints(for event: Event) -> Effect {
        let points = event.amount / 100
        let customer = details(of: event).customer
        rewards.write(.init(orderId: event.orderId, customer: customer, points: points, eventId: event.id, at: now))
        return Effect(changed: true, result: .awarded(customer: customer, points: Int32(clamping: points), order: event.orderId))
    }

    mutating func revokePoints(for event: Event) -> Effect {
        let held = rewards.points(forOrder: event.orderId)
        guard held > 0 else { return Effect(changed: false, result: .noPointsToRevoke(order: event.orderId)) }
        let customer = details(of: event).customer
        rewards.write(.init(orderId: event.orderId, customer: customer, points: -held, eventId: event.id, at: now))
        return Effect(changed: true, result: .revoked(customer: customer, points: Int32(clamping: held), order: event.orderId))
    }

    mutating func aggregate(_ event: Event) -> Effect {
        analytics.eventsSeen += 1
        analytics.streamTime = max(analytics.streamTime, event.createdAt)
        var result = StepResult.counted(event.type)
        switch event.type {
        case .orderCreated:
            analytics.orderCount += 1
            let start = event.createdAt - event.createdAt % VirtualTime.minute
            if start + VirtualTime.minute + settings.windowGrace <= analytics.streamTime {
                analytics.lateDropped += 1
                result = .countedTooLate(windowStart: start)
            } else {
                analytics.windows[start, default: 0] += 1
            }
        case .orderConfirmed:
            analytics.successful += 1
            analytics.revenue += event.amount
            result = .countedConfirmed(revenue: analytics.revenue)
        case .orderCancelled, .orderFailed:
            analytics.failed += 1
        case .paymentCompleted:
            analytics.paymentsPassed += 1
            analytics.paymentRevenue += event.amount
        case .paymentFailed:
            analytics.paymentsFailed += 1
        default:
            break
        }
        analytics.retireWindows()
        scheduleAnalyticsReport()
        return Effect(changed: true, result: result)
    }
}
