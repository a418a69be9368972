/// The saga orchestrator inside the orders service (the Step Functions shop's state
/// machine, the Boong saga's declared saga): it starts an execution for each orchestrated
/// order, calls the participants one step at a time, retries retriable errors with
/// backoff, catches everything else by compensating the completed steps in reverse
/// order, and keeps all of that in its execution records so a crash cannot erase it.
extension World {
    /// The orders service's handler for an orchestrated `order.created`: one local
    /// transaction stores the new execution. The first call goes out after the commit.
    mutating func startSaga(for event: Event, _ effect: inout Effect) -> StepResult {
        if let running = orders.execution(forOrder: event.orderId) {
            return effect.finish(.executionAlreadyRuns(execution: running.id, order: event.orderId), changed: false)
        }
        guard let order = orders.order(event.orderId), order.status == .pending else {
            return effect.finish(.notPendingNoSaga(order: event.orderId), changed: false)
        }
        let id = nextExecutionId()
        var execution = Execution(id: id, order: event, steps: SagaDefinition.tasks(for: flow),
                                  deadline: now + settings.sagaDeadline)
        execution.rollsBackAnyStep = rollback == .anyStep
        execution.record(now, "ExecutionStarted", detail: "deadline \(VirtualTime.stamp(execution.deadline))")
        orders.add(execution)
        return effect.finish(.executionStarted(execution: id, order: order.id, steps: execution.steps), changed: true,
                             starts: id)
    }

    /// After the execution is committed: arm its deadline and make its first call.
    mutating func launch(_ id: ExecutionId) {
        guard let execution = orders.execution(id) else { return }
        arm(SagaTimer(executionId: id, kind: .deadline), at: execution.deadline)
        call(id)
    }

    /// How long the orchestrator waits for the answer to a call of `task`: the
    /// compensation timeout for a compensation, when it is set, else the step timeout.
    func timeout(of task: SagaTask) -> Millis {
        task.isCompensation && settings.compensationTimeout > 0 ? settings.compensationTimeout : settings.stepTimeout
    }

    /// Calls the execution's current task on its participant and arms the call's timeout.
    mutating func call(_ id: ExecutionId) {
        guard var execution = orders.execution(id), execution.isActive else { return }
        let task = execution.current
        let attempt = execution.attempt
        let timeoutAt = now + timeout(of: task)
        execution.phase = .calling(timeoutAt: timeoutAt)
        execution.record(now, task.isCompensation ? "CompensationScheduled" : "TaskScheduled", task, attempt: attempt,
                         (execution.run > 1 ? "run \(execution.run), " : "") + "timeout at \(VirtualTime.stamp(timeoutAt))")
        orders.updateExecution(id) { $0 = execution }
        arm(SagaTimer(executionId: id, kind: .timeout(attempt: attempt)), at: timeoutAt)
        let participant = task.participant
        log(.saga(.calls(execution: id, participant: participant, task: task, attempt: attempt, run: execution.run)), .orders,
            order: execution.orderId)
        let message = TaskCall(executionId: id, task: task, attempt: attempt, order: execution.order, run: execution.run)
        agenda.schedule(.call(message), at: now + latency())
        messagesSent += 1
    }

    /// A participant's answer arrives at the orchestrator.
    mutating func receive(_ reply: TaskReply) {
        let call = reply.call
        let orderId = call.order.orderId
        guard node(.orders).isUp else {
            log(.saga(.resultLost(task: call.task, order: orderId, because: .down(.orders))), nil, order: orderId)
            return
        }
        if let cut = [ServiceName.orders, call.task.participant].first(where: { node($0).isPartitioned }) {
            log(.saga(.resultLost(task: call.task, order: orderId, because: .partitioned(cut))), nil, order: orderId)
            return
        }
        log(.saga(.resultReceived(task: call.task, attempt: call.attempt, outcome: reply.outcome)), .orders,
            from: call.task.participant, order: orderId)
        guard var execution = orders.execution(call.executionId), execution.isActive,
              execution.current == call.task, execution.attempt == call.attempt,
              case .calling = execution.phase else {
            if reply.outcome.error == nil && lateSuccess(call) { return }
            orders.updateExecution(call.executionId) {
                $0.record(now, "LateResultIgnored", call.task, attempt: call.attempt, reply.outcome.text)
            }
            log(.saga(.lateResultIgnored(execution: call.executionId, attempt: call.attempt, task: call.task)), .orders,
                order: orderId)
            return
        }
        cancelTimers(call.executionId) { if case .timeout = $0 { return true } else { return false } }
        if let error = reply.outcome.error {
            execution.record(now, call.task.isCompensation ? "CompensationFailed" : "TaskFailed", call.task,
                             attempt: call.attempt, "\(error.rawValue): \(reply.outcome.detail)")
            orders.updateExecution(execution.id) { $0 = execution }
            failed(execution.id, error, reply.outcome.detail)
        } else {
            execution.record(now, call.task.isCompensation ? "CompensationSucceeded" : "TaskSucceeded", call.task,
                             attempt: call.attempt, reply.outcome.detail)
            if call.task.isCompensation { execution.noteUndo(call.task, foundNothing: reply.outcome.foundNothing) }
            orders.updateExecution(execution.id) { $0 = execution }
            succeeded(execution.id)
        }
    }

    /// A forward step answered SUCCESS after its execution began compensating (the call
    /// was uncertain, or the compensation overtook it). It is noted; if its compensation
    /// found nothing to undo, or never ran, whatever the step did must not be left
    /// standing, so the compensation runs again. Returns whether it does.
    mutating func lateSuccess(_ late: TaskCall) -> Bool {
        guard !late.task.isCompensation, var execution = orders.execution(late.executionId),
              execution.status == .compensating || execution.status == .failed else { return false }
        if !execution.lateSuccesses.contains(late.task) { execution.lateSuccesses.append(late.task) }
        orders.updateExecution(execution.id) { $0 = execution }
        guard execution.mustUndoAgain(late.task) else { return false }
        undoAgain(late.task, of: execution.id)
        return true
    }

    /// Queues the compensation of `step` once more, to undo its late success; a failed
    /// execution takes it up again, and its order stays FAILED.
    mutating func undoAgain(_ step: SagaTask, of id: ExecutionId) {
        guard var execution = orders.execution(id), let undo = step.compensation else { return }
        execution.record(now, "LateSuccessUndone", step, detail: "\(undo.rawValue) runs again")
        log(.saga(.undoesLateSuccess(execution: id, task: step)), .orders, order: execution.orderId)
        execution.compensations.append(undo)
        guard execution.status == .failed else {
            orders.updateExecution(id) { $0 = execution }
            return
        }
        execution.status = .compensating
        execution.begin(undo)
        orders.updateExecution(id) { $0 = execution }
        call(id)
    }

    /// The current task succeeded: go on to the next step or compensation, or finish.
    mutating func succeeded(_ id: ExecutionId) {
        guard var execution = orders.execution(id) else { return }
        let task = execution.current
        if task.isCompensation {
            execution.compensations.removeFirst()
            orders.updateSaga(forOrder: execution.orderId) { $0.update(task.sagaStep, succeeded: false, at: now, error: "compensated by \(task.rawValue)") }
            if let step = SagaTask.steps.first(where: { $0.compensation == task }), execution.mustUndoAgain(step) {
                orders.updateExecution(id) { $0 = execution }
                undoAgain(step, of: id)
                guard let again = orders.execution(id) else { return }
                execution = again
            }
        } else {
            execution.completed.append(task)
            orders.updateSaga(forOrder: execution.orderId) { saga in
                saga.update(task.sagaStep, succeeded: true, at: now)
                if task == .reserveInventory { saga.currentStep = .inventoryReserved }
                if task == .processPayment { saga.currentStep = .paymentCompleted }
            }
        }
        let next: SagaTask? = task.isCompensation
            ? execution.compensations.first
            : execution.steps.dropFirst(execution.completed.count).first
        guard let next else {
            orders.updateExecution(id) { $0 = execution }
            if task.isCompensation { finishFailed(id) } else { finishSucceeded(id) }
            return
        }
        execution.begin(next)
        orders.updateExecution(id) { $0 = execution }
        call(id)
    }

    /// The current task failed with `error`: retry it if the policy allows, otherwise
    /// catch the failure and compensate (or, for a compensation, dead-letter it).
    mutating func failed(_ id: ExecutionId, _ error: TaskError, _ detail: String) {
        guard var execution = orders.execution(id) else { return }
        let task = execution.current
        let policy = retryPolicy(task)
        if error.isRetriable && execution.attempt <= policy.maxAttempts {
            var wait = policy.wait(beforeRetry: execution.attempt)
            if policy.jitter == .full { wait = rng.int(in: 0...wait) }
            let retry = execution.attempt
            execution.attempt += 1
            execution.phase = .waitingRetry(until: now + wait)
            execution.record(now, "RetryScheduled", task, attempt: execution.attempt,
                             "retry \(retry) of \(policy.maxAttempts) after \(VirtualTime.duration(wait))")
            orders.updateExecution(id) { $0 = execution }
            arm(SagaTimer(executionId: id, kind: .retry(attempt: execution.attempt)), at: now + wait)
            log(.saga(.retryScheduled(task: task, error: error, retry: retry, of: policy.maxAttempts, at: now + wait, wait: wait)),
                .orders, order: execution.orderId)
            return
        }
        let failure = SagaHappening.TaskFailure(error, attempts: execution.attempt, detail: detail)
        let why = failure.text
        // A compensation must finish, and so must a step after the pivot: the saga can only
        // go forward from there. Neither is given up on; an operator takes it over.
        if task.isCompensation || execution.isPastPivot {
            execution.phase = .deadLettered
            execution.record(now, "StepDeadLettered", task, attempt: execution.attempt, why)
            orders.updateExecution(id) { $0 = execution }
            let letter = DeadLetter(id: nextDeadLetterId(), service: .orders, failedAt: now, attempts: execution.attempt, error: why,
                                    message: .sagaStep(executionId: id, task: task, order: execution.order))
            updateNode(.orders) { $0.deadLetters.append(letter) }
            log(.saga(.stepDeadLettered(task: task, order: execution.orderId, failure: failure, letter: letter.id, execution: id)),
                .orders, order: execution.orderId)
            return
        }
        compensate(id, reason: "\(task.rawValue) failed: \(why)", uncertain: error == .timeout || execution.hadTimeout)
    }

    /// Catches the failure (Step Functions' `Catch` on `States.ALL`): compensates the
    /// completed steps in reverse order, and the failed step too when a timed-out call
    /// may have done its work after all.
    mutating func compensate(_ id: ExecutionId, reason: String, uncertain: Bool) {
        guard var execution = orders.execution(id) else { return }
        var undo = execution.completed
        if uncertain && !execution.completed.contains(execution.current) { undo.append(execution.current) }
        execution.compensations = undo.reversed().compactMap(\.compensation)
        execution.status = .compensating
        execution.failure = reason
        execution.record(now, "CatchTriggered", detail: "States.ALL: compensate \(execution.compensations.count) step\(execution.compensations.count == 1 ? "" : "s")")
        cancelTimers(id) { _ in true }
        orders.updateSaga(forOrder: execution.orderId) { $0.markForCompensation(reason: reason) }
        log(.saga(.catches(execution: id, reason: reason, compensations: execution.compensations)), .orders,
            order: execution.orderId)
        guard let first = execution.compensations.first else {
            orders.updateExecution(id) { $0 = execution }
            finishFailed(id)
            return
        }
        execution.begin(first)
        orders.updateExecution(id) { $0 = execution }
        call(id)
    }

    /// Every step succeeded: the order is CONFIRMED and `order.confirmed` is emitted.
    mutating func finishSucceeded(_ id: ExecutionId) {
        guard var execution = orders.execution(id), let order = orders.order(execution.orderId) else { return }
        execution.status = .succeeded
        execution.phase = .finished
        execution.record(now, "ExecutionSucceeded", detail: "order CONFIRMED")
        orders.updateExecution(id) { $0 = execution }
        cancelTimers(id) { _ in true }
        orders.updateOrder(order.id) { $0.status = .confirmed; $0.settledAt = now }
        orders.updateSaga(forOrder: order.id) { saga in
            saga.update(.confirmation, succeeded: true, at: now)
            saga.currentStep = .confirmed
        }
        emit(makeEvent(.orderConfirmed, after: execution.order, amount: order.total),
             .executionSucceeded(order: order.id, execution: id))
    }

    /// Compensation finished: the order is FAILED and `order.failed` is emitted.
    mutating func finishFailed(_ id: ExecutionId) {
        guard var execution = orders.execution(id), let order = orders.order(execution.orderId) else { return }
        let reason = execution.failure ?? "saga failed"
        execution.status = .failed
        execution.phase = .finished
        if order.status == .failed {
            execution.record(now, "ExecutionFailed", detail: "late success undone; order stays FAILED")
            orders.updateExecution(id) { $0 = execution }
            cancelTimers(id) { _ in true }
            log(.saga(.lateSuccessUndone(execution: id, order: order.id)), .orders, order: order.id)
            return
        }
        execution.record(now, "ExecutionFailed", detail: "order FAILED")
        orders.updateExecution(id) { $0 = execution }
        cancelTimers(id) { _ in true }
        orders.updateOrder(order.id) { $0.status = .failed; $0.reason = reason; $0.settledAt = now }
        orders.updateSaga(forOrder: order.id) { saga in
            saga.update(.compensation, succeeded: true, at: now)
            saga.currentStep = .failed
        }
        emit(makeEvent(.orderFailed, after: execution.order, amount: order.total, reason: reason),
             .executionFailed(order: order.id, reason: reason, execution: id))
    }

    /// The orchestrator's own outcome event, through the outbox when it is on.
    mutating func emit(_ event: Event, _ result: StepResult) {
        var event = event
        event.orchestrated = true
        if patterns.usesOutbox(.orders) {
            updateNode(.orders) { $0.outbox.append(event) }
            log(.step(result, outbox: EventRef(event)), .orders, order: event.orderId, event: event.id)
        } else {
            log(.step(result), .orders, order: event.orderId)
            guard !node(.orders).isPartitioned else {
                log(.saga(.publishFailed(EventRef(event))), .orders, order: event.orderId, event: event.id)
                return
            }
            publishToBus(event)
        }
    }

    /// One of the orchestrator's timers fires.
    mutating func fire(_ timer: SagaTimer) {
        guard node(.orders).isUp, let execution = orders.execution(timer.executionId), execution.isActive else { return }
        let id = execution.id
        switch timer.kind {
        case .start:
            if execution.phase == .ready { call(id) }
        case .retry(let attempt):
            if case .waitingRetry = execution.phase, execution.attempt == attempt { call(id) }
        case .timeout(let attempt):
            guard case .calling = execution.phase, execution.attempt == attempt else { return }
            let within = timeout(of: execution.current)
            log(.saga(.noAnswer(task: execution.current, attempt: attempt, within: within)), .orders,
                order: execution.orderId)
            orders.updateExecution(id) {
                $0.hadTimeout = true
                $0.record(now, "TaskTimedOut", execution.current, attempt: attempt, "States.Timeout")
            }
            failed(id, .timeout, "no answer within \(VirtualTime.duration(within))")
        case .deadline:
            guard execution.status == .running else { return }
            if execution.isPastPivot {
                orders.updateExecution(id) { $0.record(now, "DeadlinePassed", detail: "past the pivot: the saga goes forward") }
                log(.saga(.deadlinePassedAfterPivot(execution: id)), .orders, order: execution.orderId)
                return
            }
            let calling: Bool = { if case .calling = execution.phase { return true } else { return false } }()
            orders.updateExecution(id) { $0.record(now, "DeadlineExceeded", execution.current, detail: "States.Timeout (saga deadline)") }
            log(.saga(.missedDeadline(execution: id, deadline: execution.deadline)), .orders, order: execution.orderId)
            compensate(id, reason: "saga deadline passed at \(VirtualTime.stamp(execution.deadline))",
                       uncertain: calling || execution.hadTimeout)
        }
    }

    /// An operator sent a dead-lettered step back: the execution tries it again with a
    /// fresh attempt count and carries on from there.
    mutating func retryDeadLetteredStep(_ id: ExecutionId) {
        guard var execution = orders.execution(id), execution.phase == .deadLettered else { return }
        execution.startOver()
        execution.record(now, "StepRedriven", execution.current, detail: "an operator sent it back")
        orders.updateExecution(id) { $0 = execution }
        call(id)
    }

    /// Arms one of the orchestrator's timers and notes where it waits, so that cancelling
    /// it later does not search the agenda.
    mutating func arm(_ timer: SagaTimer, at time: Millis) {
        let sequence = agenda.schedule(.timer(timer), at: time)
        timers.value[timer.executionId, default: []].append(ArmedTimer(time: time, sequence: sequence))
    }

    /// Removes this execution's timers that `which` picks from the agenda, and forgets the
    /// ones that already fired.
    mutating func cancelTimers(_ id: ExecutionId, _ which: (SagaTimer.Kind) -> Bool) {
        guard let armed = timers.value.removeValue(forKey: id) else { return }
        var kept: [ArmedTimer] = []
        for timer in armed {
            guard let item = agenda.item(at: timer.time, sequence: timer.sequence),
                  case .timer(let waiting) = item.action else { continue }
            if which(waiting.kind) {
                _ = agenda.remove(at: timer.time, sequence: timer.sequence)
            } else {
                kept.append(timer)
            }
        }
        if !kept.isEmpty { timers.value[id] = kept }
    }

    /// The orders process stopped: every timer it held in memory is gone.
    mutating func orchestratorStopped() {
        timers.value = [:]
        let lost = agenda.remove { if case .timer = $0.action { return true } else { return false } }
        guard !lost.isEmpty else { return }
        let active = orders.executions.filter(\.isActive).map(\.id)
        if patterns.durableTimers {
            log(.saga(.timersKept(executions: active)), .orders)
        } else {
            log(.saga(.timersLost(executions: active)), .orders)
        }
    }

    /// After a restart the orchestrator reads its executions and carries each one on
    /// from where its record says it was, re-arming the timers it had stored.
    mutating func resumeExecutions() {
        for execution in orders.executions where execution.isActive {
            let id = execution.id
            guard patterns.durableTimers else {
                if execution.phase != .deadLettered {
                    log(.saga(.timersOnlyInMemory(execution: id)), .orders, order: execution.orderId)
                }
                continue
            }
            if execution.status == .running && !execution.isPastPivot && now >= execution.deadline {
                // Past its deadline already: no forward call goes out; the deadline compensates.
                arm(SagaTimer(executionId: id, kind: .deadline), at: now)
                let next = SagaHappening.Resumption.compensates(deadline: execution.deadline)
                orders.updateExecution(id) { $0.record(now, "ExecutionResumed", execution.current, attempt: execution.attempt, next.text) }
                log(.saga(.resumes(execution: id, next: next)), .orders, order: execution.orderId)
                continue
            }
            let next: SagaHappening.Resumption
            switch execution.phase {
            case .ready:
                arm(SagaTimer(executionId: id, kind: .start), at: now)
                next = .calls(execution.current)
            case .calling(let timeoutAt):
                arm(SagaTimer(executionId: id, kind: .timeout(attempt: execution.attempt)), at: max(now, timeoutAt))
                next = .waits(for: execution.current, attempt: execution.attempt, until: max(now, timeoutAt))
            case .waitingRetry(let until):
                arm(SagaTimer(executionId: id, kind: .retry(attempt: execution.attempt)), at: max(now, until))
                next = .retries(execution.current, at: max(now, until))
            case .deadLettered, .finished:
                continue
            }
            if execution.status == .running && !execution.isPastPivot {
                arm(SagaTimer(executionId: id, kind: .deadline), at: max(now, execution.deadline))
            }
            orders.updateExecution(id) { $0.record(now, "ExecutionResumed", execution.current, attempt: execution.attempt, next.text) }
            log(.saga(.resumes(execution: id, next: next)), .orders, order: execution.orderId)
        }
    }
}
