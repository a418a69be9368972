@testable import SagaLab
import Testing

/// Orchestration: the orchestrator's steps, retries with backoff, timeouts, the saga
/// deadline, compensation in reverse order, and resuming from its durable record.
@Suite struct WorldOrchestrationTests {
    /// An orchestrating world whose rewards service also revokes points on `order.failed`,
    /// so every invariant can hold (the EventBridge shop's wiring awards on `order.created` only).
    static func orchestrated(seed: UInt64 = 1) -> World {
        var w = World(seed: seed)
        w.setMode(.orchestration)
        try? w.subscribe(.rewards, to: .orderFailed)
        return w
    }

    static func execution(_ w: World, _ order: OrderId = "ord-1") -> Execution? {
        w.orders.execution(forOrder: order)
    }

    /// Time between a task's failure (or timeout) and its next call, for each retry.
    static func waits(_ e: Execution, _ task: SagaTask) -> [Millis] {
        let events = e.history.filter { $0.task == task }
        var waits: [Millis] = []
        for (index, event) in events.enumerated() where event.type == "RetryScheduled" {
            if let next = events[(index + 1)...].first(where: { $0.type == "TaskScheduled" || $0.type == "CompensationScheduled" }) {
                waits.append(next.time - event.time)
            }
        }
        return waits
    }

    @Test func theOrchestratorCallsEachStepInTurnAndConfirms() {
        var w = Self.orchestrated()
        Lab.order(&w)
        w.run()
        let e = Self.execution(w)
        #expect(e?.status == .succeeded)
        #expect(e?.completed == [.reserveInventory, .processPayment, .sendNotification])
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(w.rewards.notifications.count == 1)
        #expect(!w.published.contains { $0.event.type == .inventoryReserved || $0.event.type == .paymentCompleted })
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func rewardsKeepPointsForAFailedOrderUntilWiredToOrderFailed() {
        var w = World()
        w.setMode(.orchestration)
        w.setFailure(.payment, .next)
        Lab.order(&w)
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .failed)
        #expect(Lab.broken(w) == ["points-confirmed-only"])
    }

    @Test func ordersInFlightFinishTheWayTheyStarted() {
        var w = World()
        Lab.order(&w, "alice")
        w.setMode(.orchestration)
        Lab.order(&w, "bob")
        w.run()
        #expect(w.orders.order("ord-1")?.mode == .choreography)
        #expect(Self.execution(w, "ord-1") == nil)
        #expect(Self.execution(w, "ord-2")?.status == .succeeded)
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(Lab.orderStatus(w, "ord-2") == .confirmed)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func aDeclinedPaymentIsNotRetriedAndTheReservationIsReleased() {
        var w = Self.orchestrated()
        w.setFailure(.payment, .next)
        Lab.order(&w)
        w.run()
        let e = Self.execution(w)
        #expect(e?.status == .failed)
        #expect(e?.history.contains { $0.type == "RetryScheduled" } == false)
        #expect(e?.history.filter { $0.type == "CompensationSucceeded" }.map(\.task) == [.releaseInventory])
        #expect(Lab.orderStatus(w, "ord-1") == .failed)
        #expect(w.inventory.reservations.isEmpty)
        #expect(w.payment.charges.isEmpty)
        #expect(w.rewards.points(of: "alice") == 0)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func outOfStockFailsWithNothingToUndo() throws {
        var w = Self.orchestrated()
        try w.setStock("prod-1", 1)
        Lab.order(&w)
        w.run()
        #expect(Self.execution(w)?.compensations == [])
        #expect(Self.execution(w)?.failure?.contains("OutOfStock") == true)
        #expect(Lab.orderStatus(w, "ord-1") == .failed)
        #expect(w.payment.charges.isEmpty)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func compensationsRunInReverseOrder() {
        var w = Self.orchestrated()
        w.setFlow(.paymentFirst)
        w.setFailure(.inventory, .next)
        Lab.order(&w)
        w.run()
        let e = Self.execution(w)
        #expect(e?.steps == [.processPayment, .reserveInventory, .sendNotification])
        #expect(e?.history.filter { $0.type == "CompensationSucceeded" }.map(\.task) == [.refundPayment])
        #expect(w.payment.refunded == w.payment.captured)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func retriesBackOffByTheRate() throws {
        var w = Self.orchestrated()
        try w.crashNow(.payment)
        Lab.order(&w)
        w.run()
        let e = try #require(Self.execution(w))
        #expect(Self.waits(e, .processPayment) == [1_000, 2_000, 4_000])
        #expect(e.history.filter { $0.type == "TaskScheduled" && $0.task == .processPayment }.count == 4)
        #expect(e.status == .failed)
        #expect(w.inventory.reservations.isEmpty)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func maxDelayCapsTheWaitAndZeroAttemptsNeverRetries() throws {
        var w = Self.orchestrated()
        w.changeRetries(.steps(.processPayment, interval: nil, attempts: nil, backoff: nil, maxDelay: 1_500, jitter: nil))
        try w.crashNow(.payment)
        Lab.order(&w)
        w.run()
        #expect(Self.waits(try #require(Self.execution(w)), .processPayment) == [1_000, 1_500, 1_500])

        var never = Self.orchestrated()
        never.changeRetries(.steps(.processPayment, interval: nil, attempts: 0, backoff: nil, maxDelay: nil, jitter: nil))
        try never.crashNow(.payment)
        Lab.order(&never)
        never.run()
        #expect(Self.execution(never)?.history.contains { $0.type == "RetryScheduled" } == false)
        #expect(Lab.orderStatus(never, "ord-1") == .failed)
    }

    @Test func fullJitterDrawsEachWaitFromTheSeededGenerator() throws {
        func run() throws -> [Millis] {
            var w = Self.orchestrated(seed: 7)
            w.changeRetries(.steps(.processPayment, interval: nil, attempts: nil, backoff: nil, maxDelay: nil, jitter: .full))
            try w.crashNow(.payment)
            Lab.order(&w)
            w.run()
            return Self.waits(try #require(Self.execution(w)), .processPayment)
        }
        let waits = try run()
        #expect(waits == (try run()))
        #expect(waits.count == 3)
        for (index, wait) in waits.enumerated() { #expect((0...(1_000 << index)).contains(wait)) }
        #expect(waits != [1_000, 2_000, 4_000])
    }

    @Test func aSlowAnswerWithinTheTimeoutIsJustSlow() {
        var w = Self.orchestrated()
        w.setSlowness(.payment, 4_000)
        Lab.order(&w)
        w.run()
        #expect(Self.execution(w)?.status == .succeeded)
        #expect(Self.execution(w)?.history.contains { $0.type == "TaskTimedOut" } == false)
    }

    @Test func aTimedOutCallIsRetriedAndTheIdempotentParticipantChargesOnce() throws {
        var w = Self.orchestrated()
        w.setSlowness(.payment, 6_000)
        Lab.order(&w)
        w.run()
        let e = try #require(Self.execution(w))
        #expect(e.history.filter { $0.type == "TaskTimedOut" && $0.task == .processPayment }.count == 4)
        #expect(w.payment.charges.count == 1)
        #expect(Lab.applied(w, .payment, "ord-1:process-payment") == 1)
        // The timed-out step may have run, so its compensation is tried too.
        #expect(e.compensations.first == .refundPayment)
        #expect(e.phase == .deadLettered)
        #expect(Lab.broken(w).contains("no-pending"))
    }

    @Test func withoutIdempotencyEveryTimedOutRetryChargesAgain() {
        var w = Self.orchestrated()
        w.setIdempotency(.off, for: [.payment])
        w.setSlowness(.payment, 6_000)
        Lab.order(&w)
        w.run()
        #expect(w.payment.charges.count == 4)
        #expect(Lab.broken(w).contains("once-per-event"))
    }

    @Test func aPartitionedParticipantNeverAnswersSoTheCallTimesOut() throws {
        var w = Self.orchestrated()
        try w.partition(.inventory)
        Lab.order(&w)
        w.run()
        let e = try #require(Self.execution(w))
        #expect(e.history.filter { $0.type == "TaskTimedOut" }.count >= 4)
        #expect(w.inventory.reservations.isEmpty)
    }

    @Test func theOrchestratorResumesFromItsRecordAfterACrash() throws {
        var w = Self.orchestrated()
        Lab.order(&w)
        while w.inventory.reservations.isEmpty { w.step() }
        try w.crashNow(.orders)
        w.run()
        #expect(Self.execution(w)?.status == .running)
        try w.restart(.orders)
        w.run()
        let e = try #require(Self.execution(w))
        #expect(e.status == .succeeded)
        #expect(e.history.contains { $0.type == "ExecutionResumed" })
        #expect(e.history.filter { $0.type == "ExecutionStarted" }.count == 1)
        #expect(Lab.applied(w, .inventory, "ord-1:reserve-inventory") == 1)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func timersKeptOnlyInMemoryAreLostWithTheCrash() throws {
        var w = Self.orchestrated()
        w.setDurableTimers(false)
        Lab.order(&w)
        while w.inventory.reservations.isEmpty { w.step() }
        try w.crashNow(.orders)
        w.run()
        try w.restart(.orders)
        w.run()
        #expect(Self.execution(w)?.status == .running)
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
        #expect(Lab.broken(w).contains("no-pending"))
        #expect(!w.hasWork)
    }

    @Test func aSagaPastItsDeadlineIsCompensated() throws {
        var w = Self.orchestrated()
        try w.set("saga-deadline", 3_000)
        try w.crashNow(.payment)
        Lab.order(&w)
        w.run()
        let e = try #require(Self.execution(w))
        #expect(e.history.contains { $0.type == "DeadlineExceeded" })
        #expect(e.failure?.contains("deadline") == true)
        #expect(e.history.filter { $0.type == "TaskScheduled" && $0.task == .processPayment }.count < 4)
        #expect(Lab.orderStatus(w, "ord-1") == .failed)
        #expect(w.inventory.reservations.isEmpty)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func pastThePivotTheDeadlineNoLongerCompensates() throws {
        var w = Self.orchestrated()
        try w.set("saga-deadline", 1_000)
        w.setSlowness(.rewards, 3_000)
        Lab.order(&w)
        w.run()
        let e = try #require(Self.execution(w))
        #expect(e.history.contains { $0.type == "DeadlinePassed" })
        #expect(e.status == .succeeded)
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
    }

    @Test func compareRunsBothModesFromCopiesAndChangesNothing() {
        var w = World(seed: 3)
        Lab.order(&w)
        let before = w
        let comparison = Comparison(w, orders: 4)
        #expect(w == before)
        #expect(comparison.runs.map(\.mode) == [.choreography, .orchestration])
        for run in comparison.runs {
            #expect(run.confirmed == 4)
            #expect(run.broken.isEmpty)
            #expect(run.messages > 0)
        }
        let again = Comparison(w, orders: 4)
        #expect(again.runs.map(\.messages) == comparison.runs.map(\.messages))
        #expect(again.runs.map(\.settleTime) == comparison.runs.map(\.settleTime))
    }

    @Test func theSameSeedAndCommandsGiveTheSameWorld() throws {
        func run() throws -> World {
            var w = Self.orchestrated(seed: 11)
            w.setSlowness(.payment, 6_000)
            try w.crashNow(.inventory)
            Lab.order(&w)
            w.advance(by: 3_000)
            try w.restart(.inventory)
            w.run()
            return w
        }
        #expect(try run() == (try run()))
    }

    @Test func aParticipantHandlerErrorIsRetriedAsTaskFailed() throws {
        var w = Self.orchestrated()
        w.setHandlerError(.payment, .next)
        Lab.order(&w)
        w.run()
        let e = try #require(Self.execution(w))
        #expect(e.history.contains { $0.type == "TaskFailed" && $0.detail.hasPrefix("States.TaskFailed") })
        #expect(Self.waits(e, .processPayment) == [1_000])
        #expect(e.status == .succeeded)
        #expect(w.payment.charges.count == 1)
    }

    @Test func aCompensationThatFailsForGoodIsDeadLetteredAndRedriven() throws {
        var w = Self.orchestrated()
        w.setSlowness(.payment, 6_000)
        Lab.order(&w)
        w.run()
        let letter = try #require(w.node(.orders).deadLetters.first)
        guard case .sagaStep(let id, let task, _) = letter.message else {
            Issue.record("expected a compensation dead letter")
            return
        }
        #expect(id == "exec-1")
        #expect(task == .refundPayment)
        #expect(Self.execution(w)?.phase == .deadLettered)
        // The refund did run (late), but the orchestrator never heard: it must be told again.
        w.setSlowness(.payment, 0)
        try w.redrive(.orders, id: letter.id.description)
        w.run()
        let e = try #require(Self.execution(w))
        #expect(e.status == .failed)
        #expect(e.history.contains { $0.type == "StepRedriven" })
        #expect(w.node(.orders).deadLetters.isEmpty)
        #expect(Lab.orderStatus(w, "ord-1") == .failed)
        #expect(w.payment.refunded == w.payment.captured)
        #expect(w.inventory.reservations.isEmpty)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func redrivingACompensationNeedsTheOrchestratorRunning() throws {
        var w = Self.orchestrated()
        w.setSlowness(.payment, 6_000)
        Lab.order(&w)
        w.run()
        try w.crashNow(.orders)
        let before = w
        #expect(throws: WorldError.self) { try w.redrive(.orders, id: nil) }
        #expect(w == before)
    }

    @Test func retryStepsChangesEveryStepAndACompensationFollowsItsStep() throws {
        var session = Session()
        #expect(!session.execute("retry steps attempts=1 max-delay=2s jitter=full").isError)
        for step in SagaTask.steps {
            #expect(session.world.retryPolicy(step).maxAttempts == 1)
            #expect(session.world.retryPolicy(step).maxDelay == 2_000)
            #expect(session.world.retryPolicy(step).jitter == .full)
        }
        #expect(!session.execute("retry process-payment interval=3s backoff=1.5 max-delay=none").isError)
        #expect(session.world.retryPolicy(.refundPayment).interval == 3_000)
        #expect(session.world.retryPolicy(.refundPayment).backoffRate == 1.5)
        #expect(session.world.retryPolicy(.refundPayment).maxDelay == nil)
        #expect(session.world.retryPolicy(.reserveInventory).interval == 1_000)
        let before = session.world
        for line in ["retry refund-payment attempts=1", "retry steps attempts=21", "retry steps backoff=0.5",
                     "retry steps jitter=some", "retry steps interval=0s", "retry steps attempts=1 attempts=2"] {
            #expect(session.execute(line).isError, "\(line)")
        }
        #expect(session.world == before)
    }

    @Test func aStepPastThePivotIsNeverCompensatedButDeadLetteredUntilItSucceeds() throws {
        var w = Self.orchestrated()
        try w.crashNow(.rewards)
        Lab.order(&w)
        w.run()
        let e = try #require(Self.execution(w))
        #expect(e.status == .running)
        #expect(e.phase == .deadLettered)
        #expect(e.compensations.isEmpty)
        #expect(w.payment.refunded == 0)
        #expect(w.inventory.reservations.count == 1)
        try w.restart(.rewards)
        try w.redrive(.orders, id: nil)
        w.run()
        #expect(Self.execution(w)?.status == .succeeded)
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func aResultSentIntoAPartitionIsLostAndTheCallTimesOut() throws {
        var w = Self.orchestrated()
        Lab.order(&w)
        while w.inventory.reservations.isEmpty { w.step() }
        try w.partition(.inventory)
        w.advance(by: 5_500)
        let e = try #require(Self.execution(w))
        #expect(e.history.contains { $0.type == "TaskTimedOut" && $0.task == .reserveInventory })
        #expect(!e.completed.contains(.reserveInventory))
    }
}
