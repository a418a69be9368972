@testable import SagaLab
import Testing

/// A compensation that overtakes the action it undoes: the fence (empty rollback and
/// suspension), the orchestrator undoing a late success, a resumed execution past its
/// deadline, and `pattern all on`. Each scenario is judged on the world's state.
@Suite struct WorldFenceTests {
    static let issueScript = [
        "mode orchestration", "unsubscribe rewards order.created", "subscribe rewards order.confirmed",
        "crash orders at after-effect", "order alice prod-1x2", "advance 3m", "restart orders", "run",
    ]

    /// Choreography fan-out: payment charges on `order.created` beside inventory; the
    /// failing participant's cancellation overtakes the other's held-back copy of evt-1.
    static func fanOut(seed: UInt64, fence: Bool, failing: String) -> World {
        let lines = ["pattern all on", "pattern fence \(fence ? "on" : "off")",
                     "unsubscribe payment inventory.reserved", "subscribe payment order.created",
                     "fail \(failing) next", "order alice prod-1x2", "advance 30s", "step 1", "delay 2m evt-1", "run"]
        return Lab.session(lines, seed: seed).0.world
    }

    /// Orchestration with a saga deadline shorter than a call, so the compensation overtakes it.
    static func shortDeadline(seed: UInt64, deadline: String, fence: Bool) -> World {
        let lines = ["pattern all on", "pattern fence \(fence ? "on" : "off")", "mode orchestration",
                     "set saga-deadline \(deadline)", "order alice prod-1x2", "run"]
        return Lab.session(lines, seed: seed).0.world
    }

    @Test func theIssueScheduleHoldsEveryInvariant() {
        let w = Lab.session(Self.issueScript, seed: 2).0.world
        #expect(Lab.broken(w).isEmpty)
        #expect(Lab.orderStatus(w, "ord-1") == .failed)
        #expect(w.inventory.reservations(forOrder: "ord-1").isEmpty)
    }

    @Test func aResumedExecutionPastItsDeadlineSendsNoForwardCall() {
        let w = Lab.session(Self.issueScript, seed: 2).0.world
        let history = w.orders.execution(forOrder: "ord-1")?.history ?? []
        #expect(history.contains { $0.type == "ExecutionResumed" })
        #expect(!history.contains { $0.type == "TaskScheduled" })
        #expect(Lab.applied(w, .inventory, "ord-1:reserve-inventory") == 0)
        #expect(w.inventory.reserved("prod-1") == 0)
    }

    @Test func withTheFenceOffALateChargeAfterItsRefundStaysStanding() {
        let w = Self.fanOut(seed: 1, fence: false, failing: "inventory")
        #expect(Lab.orderStatus(w, "ord-1") == .cancelled)
        #expect(Lab.broken(w) == ["money-balanced"])
        #expect(w.payment.charges(forOrder: "ord-1").map(\.refunded) == [false])
        #expect(w.payment.fence.count == 0)
    }

    @Test func withTheFenceOnTheLateChargeIsRefused() {
        let w = Self.fanOut(seed: 1, fence: true, failing: "inventory")
        #expect(Lab.broken(w).isEmpty)
        #expect(w.payment.charges(forOrder: "ord-1").isEmpty)
        #expect(w.payment.fence.mark("ord-1")?.kind == .emptyRollback)
        #expect(w.payment.fence.mark("ord-1")?.refused == 1)
        #expect(w.inventory.fence.mark("ord-1")?.kind == .emptyRollback)
    }

    @Test func withTheFenceOffALateReserveAfterItsReleaseStaysHeld() {
        let w = Self.fanOut(seed: 6, fence: false, failing: "payment")
        #expect(Lab.broken(w) == ["reservations-released"])
        #expect(!w.inventory.reservations(forOrder: "ord-1").isEmpty)
    }

    @Test func withTheFenceOnTheLateReserveIsRefused() {
        let w = Self.fanOut(seed: 6, fence: true, failing: "payment")
        #expect(Lab.broken(w).isEmpty)
        #expect(w.inventory.reservations(forOrder: "ord-1").isEmpty)
        #expect(w.inventory.fence.mark("ord-1")?.refused == 1)
    }

    @Test func theOrchestratorUndoesALateSuccessWhoseReleaseFoundNothing() {
        let w = Self.shortDeadline(seed: 3, deadline: "60ms", fence: false)
        let e = w.orders.execution(forOrder: "ord-1")
        #expect(Lab.broken(w).isEmpty)
        #expect(e?.status == .failed)
        #expect(e?.history.filter { $0.type == "LateSuccessUndone" }.count == 1)
        #expect(Lab.applied(w, .inventory, "ord-1:reserve-inventory") == 1)
        #expect(Lab.applied(w, .inventory, .callAgain("ord-1", .releaseInventory, run: 2)) == 1)
        #expect(w.inventory.reservations(forOrder: "ord-1").isEmpty)
        #expect(w.published.filter { $0.event.type == .orderFailed }.count == 1)
    }

    @Test func withTheFenceOnTheOrchestratorsLateReserveIsRefused() {
        let w = Self.shortDeadline(seed: 3, deadline: "60ms", fence: true)
        let e = w.orders.execution(forOrder: "ord-1")
        #expect(Lab.broken(w).isEmpty)
        #expect(!(e?.history.contains { $0.type == "LateSuccessUndone" } ?? true))
        #expect(Lab.applied(w, .inventory, "ord-1:reserve-inventory") == 0)
        #expect(w.inventory.fence.mark("ord-1")?.refused == 1)
    }

    @Test func aRefundThatOvertakesItsChargeHoldsEitherWay() {
        let off = Self.shortDeadline(seed: 10, deadline: "200ms", fence: false)
        #expect(Lab.broken(off).isEmpty)
        #expect(off.orders.execution(forOrder: "ord-1")?.history.contains { $0.type == "LateSuccessUndone" } == true)
        let on = Self.shortDeadline(seed: 10, deadline: "200ms", fence: true)
        #expect(Lab.broken(on).isEmpty)
        #expect(on.payment.fence.mark("ord-1")?.refused == 1)
        #expect(on.payment.charges(forOrder: "ord-1").isEmpty)
    }

    @Test func aRefundThatFindsTheChargeLeavesNoSecondRun() {
        // Payment answers 40s late: the catch refunds a charge that did happen, so the
        // late SUCCESS of process-payment needs no second refund.
        let lines = ["pattern all on", "mode orchestration", "slow payment 40s", "order alice prod-1x2", "run",
                     "slow payment off", "redrive orders", "run"]
        let w = Lab.session(lines).0.world
        #expect(Lab.broken(w).isEmpty)
        #expect(w.payment.captured == w.payment.refunded)
        #expect(!(w.orders.execution(forOrder: "ord-1")?.history.contains { $0.type == "LateSuccessUndone" } ?? true))
    }

    @Test func slowAndReorderingNetworksBreakNoSafetyInvariant() {
        for seed: UInt64 in 1...6 {
            let lines = ["pattern all on", "mode orchestration", "set latency-max 40s", "order a prod-1x2", "order b prod-2",
                         "order c prod-3x3", "order d prod-1", "run", "set latency-max 120ms", "redrive orders", "run"]
            let w = Lab.session(lines, seed: seed).0.world
            #expect(Lab.broken(w).isEmpty, "seed \(seed)")
        }
    }

    @Test func fenceMarksAreDurable() throws {
        var w = Self.fanOut(seed: 1, fence: true, failing: "inventory")
        let marks = w.payment.fence
        try w.crashNow(.payment)
        try w.restart(.payment)
        #expect(w.payment.fence == marks)
    }

    @Test func patternAllOnSwitchesEveryPatternOnAndRewiresRewards() {
        let lines = ["pattern outbox off", "pattern idempotency check-then-act", "pattern durable-timers off",
                     "pattern key-validation off", "pattern fence off", "pattern all on", "pattern all on"]
        let w = Lab.session(lines).0.world
        #expect(ServiceName.publishers.allSatisfy { w.patterns.usesOutbox($0) })
        #expect(ServiceName.allCases.allSatisfy { w.patterns.idempotency(of: $0) == .on })
        #expect(w.patterns.durableTimers && w.patterns.keyValidation && w.patterns.fence)
        let rewards = w.rules.filter { $0.target == .rewards }.compactMap(\.eventType)
        #expect(!rewards.contains(.orderCreated))
        #expect(rewards.filter { $0 == .orderConfirmed }.count == 1)
    }

    @Test func patternAllOffAndAFenceForOneServiceAreRefused() {
        var session = Session(seed: 1)
        let before = session.world
        for line in ["pattern all off", "pattern fence maybe", "pattern fence on payment"] {
            #expect(session.execute(line).isError, "\(line)")
        }
        #expect(session.world == before)
    }
}
