/// A participant carrying out one of the orchestrator's calls: the same business step
/// as its event handler, in one local transaction, answered with a reply instead of an
/// event. The participant de-duplicates calls by their idempotency token, so a retried
/// call whose first attempt did its work gets the first answer, not a second effect.
extension World {
    mutating func receive(_ call: TaskCall) {
        let service = call.task.participant
        let orderId = call.order.orderId
        guard !node(service).isPartitioned, !node(.orders).isPartitioned else {
            let cut = node(service).isPartitioned ? service : .orders
            log(.saga(.callLost(task: call.task, to: service, partitioned: cut)), nil, order: orderId)
            return
        }
        guard node(service).isUp else {
            answer(call, TaskOutcome(error: .serviceUnavailable, detail: "\(service.rawValue) is down"), extra: 0)
            return
        }
        log(.saga(.callReceived(task: call.task, order: orderId, attempt: call.attempt)), service, from: .orders, order: orderId)
        let mode = patterns.recipes.recipe(of: service).guardOfCalls
        if mode != .off, let row = node(service).processed.row(call.token, now: now, ttl: settings.processedTTL, events: { event($0) }),
           let first = row.outcome {
            log(.message(.alreadyAnswered(token: call.token)), service, order: orderId)
            answer(call, first)
            return
        }
        if mode != .off, let markedAt = node(service).processed.markedAt(call.token),
           now - markedAt >= settings.processedTTL {
            log(.message(.markExpired(id: call.token, markedAt: markedAt, ttl: settings.processedTTL)), service, order: orderId)
        }
        if handlerFails(service) {
            log(.saga(.handlerFailed(error: World.handlerErrorText, task: call.task)), service, order: orderId)
            answer(call, TaskOutcome(error: .taskFailed, detail: World.handlerErrorText))
            return
        }
        if call.task.isCompensation && crashIfArmed(service, at: .midCompensation, order: orderId) {
            log(.message(.compensationRolledBack), service, order: orderId)
            return
        }
        let step = perform(call.task, for: call.order)
        let outcome: TaskOutcome
        if step.succeeded || call.task.isCompensation {
            outcome = TaskOutcome(error: nil, detail: step.result.text, foundNothing: call.task.isCompensation && !step.succeeded)
        } else if case .suspended = step.result {
            outcome = TaskOutcome(error: .fenced, detail: step.why?.text ?? step.result.text)
        } else {
            outcome = TaskOutcome(error: call.task == .processPayment ? .paymentDeclined : .outOfStock,
                                  detail: step.why?.text ?? step.result.text)
        }
        let time = now
        if mode == .on { updateNode(service) { $0.processed.mark(call, outcome, at: time) } }
        if step.succeeded { countApplication(service, call.token) }
        log(.step(step.result, compensated: call.task.isCompensation && step.succeeded), service, order: orderId)
        if crashIfArmed(service, at: .afterEffect, order: orderId) { return }
        if mode == .checkThenAct {
            updateNode(service) { $0.processed.mark(call, outcome, at: time) }
            log(.message(.markedProcessed(id: call.token)), service, order: orderId)
        }
        answer(call, outcome)
    }

    /// Sends the answer back, after the participant's extra slowness if it is `slow`.
    mutating func answer(_ call: TaskCall, _ outcome: TaskOutcome, extra: Millis? = nil) {
        let delay = latency() + (extra ?? slowness[call.task.participant] ?? 0)
        agenda.schedule(.reply(TaskReply(call: call, outcome: outcome)), at: now + delay)
        messagesSent += 1
    }

    mutating func perform(_ task: SagaTask, for order: Event) -> StepOutcome {
        switch task {
        case .reserveInventory: return reserve(order)
        case .processPayment: return charge(order)
        case .sendNotification: return notify(order)
        case .releaseInventory: return release(order.orderId)
        case .refundPayment: return refund(order.orderId)
        }
    }
}
