/// The business side of every consumer's handlers: what `effect` does for each handler,
/// as one local transaction, and the events it emits.
extension World {
    /// What a handler's local transaction did besides its result (`StepResult`), which
    /// each handler returns apart: a result held in memory, in a struct or an optional, is
    /// destroyed through its type's metadata (an enum of thirty-odd cases), some hundred
    /// instructions at every step, where a result returned as a value is released by a
    /// switch on its case.
    struct Effect {
        /// Whether business state changed (what the once-per-event invariant counts).
        var changed = false
        /// The event the transaction writes (or, with the outbox off, publishes): a
        /// handler emits at most one, so no array is allocated for it.
        var emits: Event?
        /// An execution the orchestrator starts once this transaction has committed.
        var starts: ExecutionId?
        /// Whether the service crashed inside a two-transaction compensation, between
        /// marking the saga (the result) and cancelling the order: nothing after it happened.
        var crashed = false

        /// Notes what the transaction did and hands its result on: how a handler returns.
        mutating func finish(_ result: StepResult, changed: Bool, emits: Event? = nil, starts: ExecutionId? = nil,
                             crashed: Bool = false) -> StepResult {
            (self.changed, self.emits, self.starts, self.crashed) = (changed, emits, starts, crashed)
            return result
        }
    }

    /// Runs the handler's local transaction: its result, and in `effect` what else it did.
    @inline(__always)
    mutating func runHandler(_ handler: Handler, _ event: Event, _ effect: inout Effect) -> StepResult {
        switch handler {
        case .reserveStock: return reserveStock(for: event, &effect)
        case .releaseStock: return releaseStock(for: event, &effect)
        case .markSold: return markSold(for: event, &effect)
        case .chargePayment: return chargePayment(for: event, &effect)
        case .refundPayment: return refundPayment(for: event, &effect)
        case .recordStep: return recordStep(for: event, &effect)
        case .cancelOrder: return cancelOrder(for: event, &effect)
        case .awardPoints: return awardPoints(for: event, &effect)
        case .revokePoints: return revokePoints(for: event, &effect)
        case .aggregate: return aggregate(event, &effect)
        case .startSaga: return startSaga(for: event, &effect)
        }
    }

    mutating func reserveStock(for event: Event, _ effect: inout Effect) -> StepResult {
        forwardStep(reserve(event), after: event, success: .inventoryReserved, failure: .inventoryReservationFailed, &effect)
    }

    /// A forward step's transaction and the event that says how it went; a try the fence
    /// refuses (it arrived after its rollback) changes nothing and says nothing.
    mutating func forwardStep(_ outcome: StepOutcome, after event: Event, success: EventType, failure: EventType,
                              _ effect: inout Effect) -> StepResult {
        if case .suspended = outcome.result { return effect.finish(outcome.result, changed: false) }
        let emitted = outcome.succeeded
            ? makeEvent(success, after: event)
            : makeEvent(failure, after: event, why: outcome.why)
        return effect.finish(outcome.result, changed: outcome.succeeded, emits: emitted)
    }

    mutating func releaseStock(for event: Event, _ effect: inout Effect) -> StepResult {
        let outcome = release(event.orderId)
        guard outcome.succeeded else { return effect.finish(outcome.result, changed: false) }
        return effect.finish(outcome.result, changed: true, emits: makeEvent(.inventoryReleased, after: event))
    }

    /// Inventory learns its order was confirmed: what it reserved is sold.
    mutating func markSold(for event: Event, _ effect: inout Effect) -> StepResult {
        let items = inventory.markSold(event.orderId)
        guard !items.isEmpty else { return effect.finish(.nothingToSell(order: event.orderId), changed: false) }
        return effect.finish(.sold(items, order: event.orderId), changed: true)
    }

    mutating func chargePayment(for event: Event, _ effect: inout Effect) -> StepResult {
        forwardStep(charge(event), after: event, success: .paymentCompleted, failure: .paymentFailed, &effect)
    }

    mutating func refundPayment(for event: Event, _ effect: inout Effect) -> StepResult {
        let outcome = refund(event.orderId)
        guard outcome.succeeded else { return effect.finish(outcome.result, changed: false) }
        return effect.finish(outcome.result, changed: true,
                             emits: makeEvent(.paymentRefunded, after: event, amount: outcome.amount))
    }

    mutating func recordStep(for event: Event, _ effect: inout Effect) -> StepResult {
        guard let order = orders.facts(event.orderId) else {
            return effect.finish(.noOrder(event.orderId), changed: false)
        }
        guard order.status == .pending else {
            return effect.finish(.alreadySettled(order: order.id, status: order.status, ignoring: event.type), changed: false)
        }
        let step: SagaStepName = event.type == .inventoryReserved ? .inventoryReservation : .paymentProcessing
        var everyStepDone = false
        orders.updateSaga(forOrder: order.id) { saga in
            saga.update(step, succeeded: true, at: now)
            saga.currentStep = step == .inventoryReservation ? .inventoryReserved : .paymentCompleted
            everyStepDone = order.flow.steps.allSatisfy { saga.record($0)?.succeeded == true }
        }
        guard everyStepDone else {
            return effect.finish(.sagaStepSucceeded(saga: order.sagaId, step: step), changed: true)
        }
        orders.updateOrder(order.id) { $0.status = .confirmed; $0.settledAt = now }
        orders.updateSaga(forOrder: order.id) { saga in
            saga.update(.confirmation, succeeded: true, at: now)
            saga.currentStep = .confirmed
        }
        let confirmed = makeEvent(.orderConfirmed, after: event, amount: order.total)
        return effect.finish(.confirmed(order: order.id), changed: true, emits: confirmed)
    }

    /// Cancelling is two local transactions, as in the EventBridge shop: mark the saga for
    /// compensation, then cancel the order and emit `order.cancelled`. A crash at
    /// `mid-compensation` falls between them and leaves a saga that says "compensate"
    /// beside an order that still says PENDING.
    mutating func cancelOrder(for event: Event, _ effect: inout Effect) -> StepResult {
        guard let order = orders.facts(event.orderId) else {
            return effect.finish(.noOrder(event.orderId), changed: false)
        }
        guard order.status == .pending else {
            return effect.finish(.nothingToCancel(order: order.id, status: order.status), changed: false)
        }
        let failedStep: SagaStepName = event.type == .inventoryReservationFailed ? .inventoryReservation : .paymentProcessing
        let title = failedStep == .inventoryReservation ? "Inventory reservation failed" : "Payment failed"
        let why = Reason(title, cause: event.why)
        orders.updateSaga(forOrder: order.id) { saga in
            saga.update(failedStep, succeeded: false, at: now, why: event.why)
            saga.markForCompensation(why: why)
        }
        logStep(.markedForCompensation(saga: order.sagaId, reason: why), .orders, order: order.id, event: event.id)
        if crashIfArmed(.orders, at: .midCompensation, order: order.id) {
            return effect.finish(.markedForCompensation(saga: order.sagaId, reason: why), changed: true, crashed: true)
        }
        orders.updateOrder(order.id) { $0.status = .cancelled; $0.why = why; $0.settledAt = now }
        orders.updateSaga(forOrder: order.id) { saga in
            saga.update(.compensation, succeeded: true, at: now)
            saga.currentStep = .cancelled
        }
        let cancelled = makeEvent(.orderCancelled, after: event, amount: order.total, why: why)
        return effect.finish(.cancelled(order: order.id, reason: why), changed: true, emits: cancelled)
    }

    mutating func awardPoints(for event: Event, _ effect: inout Effect) -> StepResult {
        let points = event.amount / 100
        let customer = details(of: event).customer
        rewards.write(.init(orderId: event.orderId, customer: customer, points: points, eventId: event.id, at: now))
        return effect.finish(.awarded(customer: customer, points: Int32(clamping: points), order: event.orderId),
                             changed: true)
    }

    mutating func revokePoints(for event: Event, _ effect: inout Effect) -> StepResult {
        let held = rewards.points(forOrder: event.orderId)
        guard held > 0 else { return effect.finish(.noPointsToRevoke(order: event.orderId), changed: false) }
        let customer = details(of: event).customer
        rewards.write(.init(orderId: event.orderId, customer: customer, points: -held, eventId: event.id, at: now))
        return effect.finish(.revoked(customer: customer, points: Int32(clamping: held), order: event.orderId),
                             changed: true)
    }

    mutating func aggregate(_ event: Event, _ effect: inout Effect) -> StepResult {
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
        return effect.finish(result, changed: true)
    }
}
