@testable import SagaLab
import Testing

/// Each pattern on and off under the fault it exists for. The lab must be honest: the
/// failure really happens when the pattern is off, and really cannot when it is on.
@Suite struct WorldPatternTests {
    // MARK: - Happy path

    @Test func happyPathConfirmsAndEveryInvariantHolds() {
        var w = World()
        let id = Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        #expect(id == "ord-1")
        #expect(Lab.orderStatus(w, id) == .pending, "the API answers PENDING at once")
        w.run()
        #expect(Lab.orderStatus(w, id) == .confirmed)
        #expect(w.inventory.available["prod-1"] == 98)
        #expect(w.inventory.reservations.map(\.orderId) == ["ord-1"])
        #expect(w.payment.charges.map(\.amount) == [2_000])
        #expect(w.rewards.points(of: "alice") == 20)
        #expect(w.analytics.revenue == 2_000)
        #expect(w.analytics.successful == 1)
        #expect(ServiceName.publishers.allSatisfy { w.node($0).outbox.unpublished.isEmpty })
        #expect(Lab.broken(w).isEmpty)
        #expect(Invariants.evaluate(w).allSatisfy { $0.status == .holds })
        let saga = w.orders.saga(forOrder: id)
        #expect(saga?.currentStep == .confirmed)
        #expect(saga?.compensationRequired == false)
        #expect(saga?.record(.inventoryReservation)?.succeeded == true)
        #expect(saga?.record(.paymentProcessing)?.succeeded == true)
        #expect(saga?.record(.confirmation)?.succeeded == true)
    }

    @Test func orderCreatedRowIsCommittedWithTheOrder() {
        var w = World()
        Lab.order(&w)
        let rows = w.node(.orders).outbox.unpublished
        #expect(rows.count == 1)
        #expect(rows.first?.event.type == .orderCreated)
        #expect(rows.first?.event.orderId == "ord-1")
        #expect(w.orders.saga(forOrder: "ord-1")?.currentStep == .created)
    }

    // MARK: - Outbox

    @Test func outboxOnAfterCommitCrashRecoversAfterRestart() throws {
        var w = World()
        try w.arm(.orders, at: .afterCommit)
        let response = w.placeOrder(customer: "alice", items: [Lab.item("prod-1", 2)])
        #expect(response == .noResponse(savedOrderId: "ord-1"))
        #expect(!w.node(.orders).isUp)
        #expect(w.node(.orders).outbox.unpublished.count == 1, "the outbox row committed with the order")
        w.run()
        #expect(w.published.isEmpty, "a crashed publisher publishes nothing")
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
        try w.restart(.orders)
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(w.inventory.available["prod-1"] == 98)
        #expect(w.payment.captured == 2_000)
        #expect(w.node(.orders).outbox.unpublished.isEmpty)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func outboxOffAfterCommitCrashLeavesTheOrderPendingForever() throws {
        var w = World()
        w.setOutbox(false, for: ServiceName.publishers)
        try w.arm(.orders, at: .afterCommit)
        let response = w.placeOrder(customer: "alice", items: [Lab.item("prod-1", 2)])
        #expect(response == .noResponse(savedOrderId: "ord-1"))
        #expect(w.node(.orders).outbox.count == 0, "with the outbox off the event never reaches a table")
        try w.restart(.orders)
        w.run()
        w.advance(by: VirtualTime.hour)
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
        #expect(w.published.isEmpty)
        #expect(w.inventory.available["prod-1"] == 100)
        #expect(w.payment.charges.isEmpty)
        #expect(!w.hasWork)
        #expect(Lab.status(w, "no-pending") == .broken)
        #expect(Lab.status(w, "outbox-drained") == .holds)
        #expect(w.brokenInvariants.contains("no-pending"), "run announced the breakage")
    }

    @Test func outboxOffWithoutCrashStillWorks() {
        var w = World()
        w.setOutbox(false, for: ServiceName.publishers)
        Lab.order(&w)
        #expect(Lab.publishCount(w, "evt-1") == 1, "published straight to the bus, at once")
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func beforeCommitCrashSavesNothing() throws {
        var w = World()
        try w.arm(.orders, at: .beforeCommit)
        let response = w.placeOrder(customer: "alice", items: [Lab.item("prod-1")])
        guard case .failed(let status, _) = response else {
            Issue.record("expected a failure, got \(response)")
            return
        }
        #expect(status == 500)
        #expect(w.orders.orders.isEmpty)
        #expect(w.orders.sagas.isEmpty)
        #expect(w.node(.orders).outbox.count == 0)
        #expect(!w.node(.orders).isUp)
        try w.restart(.orders)
        #expect(Lab.order(&w) == "ord-1", "the rolled-back order used no id")
    }

    @Test func afterPublishCrashPublishesTheSameEventTwiceAndIdempotencyAbsorbsIt() throws {
        var w = World()
        try w.arm(.orders, at: .afterPublish)
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(!w.node(.orders).isUp)
        #expect(w.node(.orders).outbox.unpublished.map(\.event.id) == ["evt-1"], "sent but never marked")
        try w.restart(.orders)
        w.run()
        #expect(Lab.publishCount(w, "evt-1") == 2)
        #expect(w.outboxRows(of: .orders).first?.publishCount == 2)
        #expect(w.node(.orders).outbox.unpublished.isEmpty)
        #expect(Lab.applied(w, .inventory, "evt-1") == 1)
        #expect(Lab.applied(w, .rewards, "evt-1") == 1)
        #expect(Lab.applied(w, .analytics, "evt-1") == 1)
        #expect(w.inventory.available["prod-1"] == 98)
        #expect(w.trace.contains { $0.kind == .skip && $0.service == .inventory && $0.eventId == "evt-1" })
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func afterPublishCrashWithIdempotencyOffAppliesTwice() throws {
        var w = World()
        w.setIdempotency(.off, for: [.inventory])
        try w.arm(.orders, at: .afterPublish)
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        try w.restart(.orders)
        w.run()
        #expect(Lab.publishCount(w, "evt-1") == 2)
        #expect(Lab.applied(w, .inventory, "evt-1") == 2)
        #expect(w.inventory.available["prod-1"] == 96)
        #expect(Lab.status(w, "once-per-event") == .broken)
    }

    @Test func eachServicesOutboxAndConcurrencyAreSetAloneAndSurviveACopy() throws {
        // Kept as bits and numbers in place (the set-up is shared between copies of a world):
        // setting one service's must leave the others' alone and the copy's untouched.
        var w = World()
        let before = w
        w.setOutbox(false, for: [.payment])
        try w.setConcurrency(.rewards, 4)
        try w.setConcurrency(.analytics, 16)
        #expect(ServiceName.publishers.map { w.patterns.usesOutbox($0) } == ServiceName.publishers.map { $0 != .payment })
        #expect(ServiceName.allCases.map { w.settings.concurrency[$0.index] } == [1, 1, 1, 4, 16])
        #expect(ServiceName.publishers.allSatisfy { before.patterns.usesOutbox($0) })
        #expect(ServiceName.allCases.allSatisfy { before.settings.concurrency[$0.index] == 1 })
        #expect(w != before)
        w.setOutbox(true, for: [.payment])
        try w.setConcurrency(.rewards, 1)
        try w.setConcurrency(.analytics, 1)
        #expect(w.patterns == before.patterns)
        #expect(w.settings == before.settings)
    }

    // MARK: - Idempotent consumers

    @Test func duplicateDeliveryWithIdempotencyOffReducesStockTwice() throws {
        var w = World()
        w.setIdempotency(.off, for: [.inventory])
        try w.messageFault(.duplicate, .next(.orderCreated))
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(Lab.publishCount(w, "evt-1") == 1, "one publish, two deliveries")
        #expect(w.trace.filter { $0.kind == .deliver && $0.service == .inventory && $0.eventId == "evt-1" }.count == 2)
        #expect(w.inventory.available["prod-1"] == 96)
        #expect(Lab.applied(w, .inventory, "evt-1") == 2)
        #expect(Lab.status(w, "once-per-event") == .broken)
        let evidence = Invariants.evaluate(w).first { $0.id == "once-per-event" }?.evidence ?? []
        #expect(evidence.contains { $0.contains("inventory") && $0.contains("evt-1") })
    }

    @Test func duplicateDeliveryWithIdempotencyOnReducesStockOnce() throws {
        var w = World()
        try w.messageFault(.duplicate, .next(.orderCreated))
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(w.trace.filter { $0.kind == .deliver && $0.service == .inventory && $0.eventId == "evt-1" }.count == 2)
        #expect(w.inventory.available["prod-1"] == 98)
        #expect(Lab.applied(w, .inventory, "evt-1") == 1)
        #expect(w.processedRows(of: .inventory).contains { $0.eventId == "evt-1" })
        #expect(Lab.status(w, "once-per-event") == .holds)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func duplicateWithIdempotencyOffEverywhereDistortsAnalytics() throws {
        var w = World()
        w.setIdempotency(.off, for: [.analytics])
        try w.messageFault(.duplicate, .next(.orderConfirmed))
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(w.analytics.revenue == 4_000, "a non-idempotent analytics counts the duplicate")
        #expect(Lab.status(w, "analytics-accurate") == .broken)
        #expect(Lab.status(w, "once-per-event") == .broken)
    }

    @Test func checkThenActWithAfterEffectCrashProcessesTheRedeliveryTwice() throws {
        var w = World()
        w.setIdempotency(.checkThenAct, for: [.inventory])
        try w.arm(.inventory, at: .afterEffect)
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(!w.node(.inventory).isUp)
        #expect(w.inventory.available["prod-1"] == 98, "the effect committed before the crash")
        #expect(!w.processedRows(of: .inventory).contains { $0.eventId == "evt-1" }, "the mark was a separate write")
        try w.restart(.inventory)
        w.run()
        #expect(Lab.applied(w, .inventory, "evt-1") == 2)
        #expect(w.inventory.available["prod-1"] == 96)
        #expect(w.trace.contains { $0.kind == .deliver && $0.service == .inventory && $0.text.contains("attempt 2") })
        #expect(Lab.status(w, "once-per-event") == .broken)
    }

    @Test func idempotencyOnWithAfterEffectCrashProcessesOnce() throws {
        var w = World()
        w.setIdempotency(.on, for: [.inventory])
        try w.arm(.inventory, at: .afterEffect)
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(!w.node(.inventory).isUp)
        #expect(w.processedRows(of: .inventory).contains { $0.eventId == "evt-1" }, "the mark committed with the effect")
        try w.restart(.inventory)
        w.run()
        #expect(Lab.applied(w, .inventory, "evt-1") == 1)
        #expect(w.inventory.available["prod-1"] == 98)
        #expect(w.trace.contains { $0.kind == .skip && $0.service == .inventory && $0.eventId == "evt-1" })
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func idempotencyOffWithAfterEffectCrashAlsoProcessesTwice() throws {
        var w = World()
        w.setIdempotency(.off, for: [.inventory])
        try w.arm(.inventory, at: .afterEffect)
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        try w.restart(.inventory)
        w.run()
        #expect(Lab.applied(w, .inventory, "evt-1") == 2)
        #expect(w.inventory.available["prod-1"] == 96)
    }

    @Test func checkThenActWithoutACrashBehavesLikeOn() throws {
        var w = World()
        w.setIdempotency(.checkThenAct, for: [.inventory])
        try w.messageFault(.duplicate, .next(.orderCreated))
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(Lab.applied(w, .inventory, "evt-1") == 1)
        #expect(w.inventory.available["prod-1"] == 98)
    }

    // MARK: - Processed-events TTL

    /// Places and settles one order, then waits `wait` with slow polls (to keep the test fast)
    /// and has the bus deliver `evt-1` (the order.created) again.
    func duplicateAfter(_ wait: Millis) throws -> World {
        var w = World()
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        try w.set("publish-interval", VirtualTime.hour)
        w.advance(by: wait)
        try w.messageFault(.duplicate, .event("evt-1"))
        w.run()
        return w
    }

    @Test func duplicateWithinTheTTLIsSkipped() throws {
        let w = try duplicateAfter(6 * VirtualTime.day)
        #expect(Lab.applied(w, .inventory, "evt-1") == 1)
        #expect(w.inventory.available["prod-1"] == 98)
        #expect(w.liveProcessedRows(of: .inventory).contains { $0.eventId == "evt-1" })
    }

    @Test func duplicateAfterEightDaysIsProcessedAgain() throws {
        let w = try duplicateAfter(8 * VirtualTime.day)
        #expect(w.now >= 8 * VirtualTime.day)
        #expect(Lab.applied(w, .inventory, "evt-1") == 2)
        #expect(w.inventory.available["prod-1"] == 96)
        #expect(Lab.status(w, "once-per-event") == .broken)
    }

    @Test func duplicateAfterEightDaysViaTheSessionIsProcessedAgain() {
        let (s, _) = Lab.session([
            "order alice prod-1x2", "run", "set publish-interval 2h", "advance 8d", "duplicate evt-1", "run",
        ])
        #expect(s.world.inventory.available["prod-1"] == 96)
        #expect(Lab.applied(s.world, .inventory, "evt-1") == 2)
    }

    @Test func processedTTLSettingIsHonoured() throws {
        var w = World()
        try w.set("processed-ttl", VirtualTime.minute)
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        w.advance(by: 2 * VirtualTime.minute)
        try w.messageFault(.duplicate, .event("evt-1"))
        w.run()
        #expect(Lab.applied(w, .inventory, "evt-1") == 2)
    }
}
