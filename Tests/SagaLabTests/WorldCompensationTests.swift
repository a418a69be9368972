@testable import SagaLab
import Testing

/// Compensation: failed steps cancel the order and undo what the earlier steps did.
@Suite struct WorldCompensationTests {
    @Test func paymentFailureCancelsReleasesStockAndCapturesNothing() {
        var w = World()
        w.setFailure(.payment, .next)
        let id = Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        let order = w.orders.order(id)
        #expect(order?.status == .cancelled)
        #expect(order?.reason == "Payment failed: card declined")
        #expect(w.inventory.available["prod-1"] == 100)
        #expect(w.inventory.reservations.isEmpty)
        #expect(w.payment.charges.isEmpty)
        #expect(w.payment.captured == 0)
        #expect(w.published.contains { $0.event.type == .paymentFailed })
        #expect(w.published.contains { $0.event.type == .inventoryReleased })
        #expect(w.failures[.payment] == .never, "`next` fails one request only")
        for id in ["stock-conserved", "stock-non-negative", "reservations-released", "money-balanced", "no-pending", "analytics-accurate"] {
            #expect(Lab.status(w, id) == .holds, "\(id)")
        }
        let saga = w.orders.saga(forOrder: id)
        #expect(saga?.compensationRequired == true)
        #expect(saga?.compensationReason == "Payment failed: card declined")
        #expect(saga?.currentStep == .cancelled)
        #expect(saga?.record(.paymentProcessing)?.succeeded == false)
        #expect(saga?.record(.paymentProcessing)?.error == "card declined")
        #expect(saga?.record(.compensation)?.succeeded == true)
    }

    @Test func theNextOrderAfterAOneOffPaymentFailureSucceeds() {
        var w = World()
        w.setFailure(.payment, .next)
        Lab.order(&w)
        w.run()
        Lab.order(&w, "bob", [Lab.item("prod-2")])
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .cancelled)
        #expect(Lab.orderStatus(w, "ord-2") == .confirmed)
        #expect(w.payment.captured == 2_500)
    }

    @Test func insufficientStockCancelsWithItsReason() throws {
        var w = World()
        try w.setStock("prod-1", 1)
        let id = Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(Lab.orderStatus(w, id) == .cancelled)
        #expect(w.orders.order(id)?.reason == "Inventory reservation failed: insufficient stock")
        #expect(w.inventory.available["prod-1"] == 1)
        #expect(w.inventory.reservations.isEmpty)
        #expect(w.payment.charges.isEmpty)
        #expect(Lab.status(w, "stock-conserved") == .holds)
        #expect(Lab.status(w, "money-balanced") == .holds)
    }

    /// A cancellation's reason is joined from its title and its cause once and reused:
    /// every join must still read as the title, a colon and the cause (or "unknown").
    @Test func aJoinedReasonReadsAsItsTitleAndCause() {
        let declined = Reason("card declined")
        for _ in 1...3 {
            #expect(Reason("Payment failed", cause: declined).text == "Payment failed: card declined")
            #expect(Reason("Payment failed", cause: nil).text == "Payment failed: unknown")
            #expect(Reason("Inventory reservation failed", cause: declined).text == "Inventory reservation failed: card declined")
        }
        #expect(Reason("Payment failed", cause: declined) == Reason("Payment failed: card declined"))
        for n in 1...12 {
            #expect(Reason("Payment failed", cause: Reason("cause \(n)")).text == "Payment failed: cause \(n)")
        }
        #expect(Reason("Payment failed", cause: declined).text == "Payment failed: card declined")
    }

    @Test func anOrderForExactlyTheStockSucceedsAndOneMoreFails() throws {
        var w = World()
        try w.setStock("prod-3", 2)
        Lab.order(&w, "alice", [Lab.item("prod-3", 2)])
        w.run()
        Lab.order(&w, "bob", [Lab.item("prod-3")])
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(Lab.orderStatus(w, "ord-2") == .cancelled)
        #expect(w.inventory.available["prod-3"] == 0)
        #expect(Lab.status(w, "stock-non-negative") == .holds)
    }

    /// `reserveStock` checks each line of the order against the shelf on its own, then takes
    /// them all: two lines of the same product are each "available" and together oversell.
    @Test
    func twoLinesOfTheSameProductCannotOversell() {
        var w = World()
        let id = Lab.order(&w, "alice", [Lab.item("prod-1", 60), Lab.item("prod-1", 60)])
        w.run()
        #expect(w.inventory.available["prod-1"] == 100)
        #expect(Lab.orderStatus(w, id) == .cancelled)
        #expect(w.orders.order(id)?.reason == "Inventory reservation failed: insufficient stock")
        #expect(Lab.status(w, "stock-non-negative") == .holds)
    }

    @Test func insufficientStockViaTheSession() {
        let (s, out) = Lab.session(["stock prod-1 1", "order alice prod-1x2", "run", "show order ord-1"])
        #expect(s.world.orders.order("ord-1")?.status == .cancelled)
        #expect(s.world.orders.order("ord-1")?.reason == "Inventory reservation failed: insufficient stock")
        #expect(out.last?.contains("Inventory reservation failed: insufficient stock") == true)
    }

    @Test func paymentFirstFlowRefundsOnInventoryFailure() {
        var w = World()
        w.setFlow(.paymentFirst)
        w.setFailure(.inventory, .next)
        let id = Lab.order(&w, "alice", [Lab.item("prod-2", 2)])
        w.run()
        #expect(Lab.orderStatus(w, id) == .cancelled)
        #expect(w.orders.order(id)?.reason?.hasPrefix("Inventory reservation failed") == true)
        #expect(w.payment.charges.count == 1)
        #expect(w.payment.charges.first?.refunded == true)
        #expect(w.payment.captured == 5_000)
        #expect(w.payment.refunded == 5_000)
        #expect(w.payment.captured - w.payment.refunded == 0)
        #expect(w.published.contains { $0.event.type == .paymentRefunded && $0.event.amount == 5_000 })
        #expect(w.inventory.available["prod-2"] == 50)
        #expect(Lab.status(w, "money-balanced") == .holds)
        #expect(Lab.status(w, "reservations-released") == .holds)
    }

    @Test func paymentFirstFlowRefundsOnInsufficientStock() throws {
        var w = World()
        w.setFlow(.paymentFirst)
        try w.setStock("prod-3", 0)
        let id = Lab.order(&w, "alice", [Lab.item("prod-3")])
        w.run()
        #expect(w.orders.order(id)?.reason == "Inventory reservation failed: insufficient stock")
        #expect(w.payment.refunded == w.payment.captured)
        #expect(w.payment.captured == 5_000)
    }

    @Test func paymentFirstHappyPathChargesBeforeReserving() {
        var w = World()
        w.setFlow(.paymentFirst)
        let id = Lab.order(&w)
        w.run()
        #expect(Lab.orderStatus(w, id) == .confirmed)
        let charged = w.trace.firstIndex { $0.kind == .commit && $0.service == .payment }
        let reserved = w.trace.firstIndex { $0.kind == .commit && $0.service == .inventory }
        #expect(charged != nil && reserved != nil)
        if let charged, let reserved { #expect(charged < reserved) }
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func inventoryFirstIsTheDefaultFlow() {
        let w = World()
        #expect(w.flow == .inventoryFirst)
        #expect(w.subscribers(of: .orderCreated).map(\.target).contains(.inventory))
        #expect(!w.subscribers(of: .orderCreated).map(\.target).contains(.payment))
    }

    // MARK: - Rewards wiring

    @Test func rewardsOnOrderCreatedKeepsPointsForACancelledOrder() {
        var w = World()
        #expect(w.subscribers(of: .orderCreated).contains { $0.target == .rewards })
        w.setFailure(.payment, .next)
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .cancelled)
        #expect(w.rewards.points(of: "alice") == 20)
        #expect(Lab.status(w, "points-confirmed-only") == .broken)
    }

    @Test func awardingOnOrderConfirmedFixesThePoints() throws {
        var w = World()
        try w.unsubscribe(.rewards, from: .orderCreated)
        try w.subscribe(.rewards, to: .orderConfirmed)
        w.setFailure(.payment, .next)
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        Lab.order(&w, "bob", [Lab.item("prod-3")])
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .cancelled)
        #expect(Lab.orderStatus(w, "ord-2") == .confirmed)
        #expect(w.rewards.points(of: "alice") == 0)
        #expect(w.rewards.points(of: "bob") == 50)
        #expect(Lab.status(w, "points-confirmed-only") == .holds)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func awardingOnConfirmViaTheSessionFixesThePoints() {
        let (s, _) = Lab.session([
            "unsubscribe rewards order.created", "subscribe rewards order.confirmed",
            "fail payment next", "order alice prod-1x2", "run",
        ])
        #expect(s.world.rewards.points(of: "alice") == 0)
        #expect(Lab.status(s.world, "points-confirmed-only") == .holds)
    }

    @Test func revokingOnCancelAlsoFixesThePoints() throws {
        var w = World()
        try w.subscribe(.rewards, to: .orderCancelled)
        w.setFailure(.payment, .next)
        Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(w.rewards.points(of: "alice") == 0)
        #expect(w.rewards.ledger.map(\.points).sorted() == [-20, 20])
        #expect(Lab.status(w, "points-confirmed-only") == .holds)
    }

    @Test func changingTheFlowKeepsTheRewardsWiring() throws {
        var w = World()
        try w.unsubscribe(.rewards, from: .orderCreated)
        try w.subscribe(.rewards, to: .orderConfirmed)
        w.setFlow(.paymentFirst)
        #expect(w.rules.filter { $0.target == .rewards }.map(\.eventType) == [.orderConfirmed])
    }

    // MARK: - Mid-compensation crashes

    @Test func midCompensationCrashOnOrdersLeavesTheSagaHalfwayUntilRestart() throws {
        var w = World()
        try w.arm(.orders, at: .midCompensation)
        w.setFailure(.payment, .next)
        let id = Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(!w.node(.orders).isUp)
        #expect(Lab.orderStatus(w, id) == .pending)
        let saga = w.orders.saga(forOrder: id)
        #expect(saga?.compensationRequired == true)
        #expect(saga?.compensationReason == "Payment failed: card declined")
        #expect(saga?.currentStep == .compensating)
        #expect(w.inventory.available["prod-1"] == 98, "nothing released while the order is not cancelled")
        #expect(w.parked.contains { $0.target == .orders && $0.event.type == .paymentFailed })

        try w.restart(.orders)
        w.run()
        #expect(Lab.orderStatus(w, id) == .cancelled)
        #expect(w.orders.order(id)?.reason == "Payment failed: card declined")
        #expect(w.orders.saga(forOrder: id)?.currentStep == .cancelled)
        #expect(w.inventory.available["prod-1"] == 100)
        #expect(w.inventory.reservations.isEmpty)
        #expect(Lab.status(w, "no-pending") == .holds)
        #expect(Lab.status(w, "reservations-released") == .holds)
    }

    @Test func midCompensationCrashOnInventoryRollsBackTheReleaseUntilRestart() throws {
        var w = World()
        try w.arm(.inventory, at: .midCompensation)
        w.setFailure(.payment, .next)
        let id = Lab.order(&w, "alice", [Lab.item("prod-1", 2)])
        w.run()
        #expect(Lab.orderStatus(w, id) == .cancelled)
        #expect(!w.node(.inventory).isUp)
        #expect(w.inventory.available["prod-1"] == 98, "the release was rolled back")
        #expect(Lab.status(w, "reservations-released") == .broken)
        try w.restart(.inventory)
        w.run()
        #expect(w.inventory.available["prod-1"] == 100)
        #expect(Lab.status(w, "reservations-released") == .holds)
        #expect(Lab.status(w, "stock-conserved") == .holds)
    }
}
