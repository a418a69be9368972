@testable import SagaKernel
@testable import SagaLab
import Testing

/// The bus's message faults, partitions, crashed consumers and injected business failures.
@Suite struct WorldFaultTests {
    // MARK: - Drop

    @Test func dropNextMeansNoDeliveries() throws {
        var w = World()
        try w.messageFault(.drop, .next(nil))
        Lab.order(&w)
        w.run()
        #expect(Lab.publishCount(w, "evt-1") == 1)
        #expect(!w.trace.contains { $0.kind == .deliver })
        #expect(w.analytics.eventsSeen == 0)
        #expect(w.inventory.available["prod-1"] == 100)
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
        #expect(w.armedMessageFaults.isEmpty, "the fault fired once")
        #expect(Lab.status(w, "no-pending") == .broken)
    }

    @Test func dropNextOfATypeSparesOtherEvents() throws {
        var w = World()
        try w.messageFault(.drop, .next(.inventoryReserved))
        Lab.order(&w)
        w.run()
        #expect(w.inventory.available["prod-1"] == 98, "order.created was delivered")
        #expect(!w.trace.contains { $0.kind == .deliver && $0.eventId == "evt-2" })
        #expect(w.payment.charges.isEmpty)
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
    }

    @Test func dropAnEventInFlightRemovesItsDeliveries() throws {
        var w = World()
        Lab.order(&w)
        w.advance(by: 30 * VirtualTime.second)
        #expect(w.agenda.deliveries.contains { $0.delivery.event.id == "evt-1" })
        try w.messageFault(.drop, .event("evt-1"))
        #expect(!w.agenda.deliveries.contains { $0.delivery.event.id == "evt-1" })
        w.run()
        #expect(w.inventory.available["prod-1"] == 100)
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
    }

    @Test func faultOnAnUnpublishedEventIsArmedUntilItIsPublished() throws {
        var w = World()
        Lab.order(&w)
        try w.messageFault(.drop, .event("evt-1"))
        #expect(w.armedMessageFaults == [ArmedMessageFault(kind: .drop, selector: .event("evt-1"))])
        w.run()
        #expect(w.analytics.eventsSeen == 0)
    }

    @Test func unknownEventIdsAreRejectedWithoutChange() {
        var w = World()
        Lab.order(&w)
        w.run()
        let before = w
        for kind in [MessageFaultKind.drop, .duplicate, .delay(1_000)] {
            #expect(throws: WorldError.self) { try w.messageFault(kind, .event("evt-99")) }
        }
        #expect(throws: WorldError.self) { try w.messageFault(.drop, .event("evt-1")) }  // nothing in flight
        #expect(w == before)
    }

    // MARK: - Delay

    @Test func delayNextShiftsEveryDeliveryByTheDelay() throws {
        var control = World()
        var delayed = World()
        try delayed.messageFault(.delay(2 * VirtualTime.minute), .next(.orderCreated))
        Lab.order(&control)
        Lab.order(&delayed)
        control.advance(by: 30 * VirtualTime.second)
        delayed.advance(by: 30 * VirtualTime.second)
        let a = control.agenda.deliveries.map(\.time)
        let b = delayed.agenda.deliveries.map(\.time)
        #expect(!a.isEmpty)
        #expect(b == a.map { $0 + 2 * VirtualTime.minute })
        delayed.run()
        let first = delayed.trace.first { $0.kind == .deliver }
        #expect((first?.time ?? 0) >= 30 * VirtualTime.second + 2 * VirtualTime.minute)
        #expect(Lab.orderStatus(delayed, "ord-1") == .confirmed, "delayed, not lost")
    }

    @Test func delayAnEventInFlightPostponesIt() throws {
        var w = World()
        Lab.order(&w)
        w.advance(by: 30 * VirtualTime.second)
        let before = w.agenda.deliveries.filter { $0.delivery.event.id == "evt-1" }.map(\.time)
        try w.messageFault(.delay(VirtualTime.minute), .event("evt-1"))
        let after = w.agenda.deliveries.filter { $0.delivery.event.id == "evt-1" }.map(\.time)
        #expect(after.sorted() == before.map { $0 + VirtualTime.minute }.sorted())
    }

    @Test func delayLetsALaterOrderOvertake() throws {
        var w = World()
        try w.messageFault(.delay(5 * VirtualTime.minute), .next(.orderCreated))
        Lab.order(&w, "alice", [Lab.item("prod-1")])
        Lab.order(&w, "bob", [Lab.item("prod-2")])
        w.run()
        let settled = w.orders.orders.sorted { ($0.settledAt ?? 0) < ($1.settledAt ?? 0) }.map(\.id)
        #expect(settled == ["ord-2", "ord-1"])
    }

    // MARK: - Duplicate

    @Test func duplicateAPublishedEventDeliversItAgain() throws {
        var w = World()
        Lab.order(&w)
        w.run()
        let deliveries = w.trace.filter { $0.kind == .deliver && $0.eventId == "evt-1" }.count
        try w.messageFault(.duplicate, .event("evt-1"))
        w.run()
        let after = w.trace.filter { $0.kind == .deliver && $0.eventId == "evt-1" }.count
        #expect(after == 2 * deliveries)
        #expect(Lab.applied(w, .inventory, "evt-1") == 1)
        #expect(Lab.broken(w).isEmpty)
    }

    // MARK: - Partition

    @Test func partitionParksDeliveriesAndHealReleasesThem() throws {
        var w = World()
        try w.partition(.inventory)
        Lab.order(&w)
        w.run()
        #expect(w.parked.contains { $0.target == .inventory && $0.event.id == "evt-1" })
        #expect(w.inventory.available["prod-1"] == 100)
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
        #expect(w.idleReason.contains("inventory is partitioned"))
        #expect(w.node(.inventory).isUp)
        try w.heal()
        #expect(!w.parked.contains { $0.target == .inventory })
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(w.parked.isEmpty)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func aPartitionedPublisherDoesNotPublish() throws {
        var w = World()
        Lab.order(&w)
        w.advance(by: 30 * VirtualTime.second + 200)  // order.created delivered, inventory reserved
        #expect(w.node(.inventory).outbox.unpublished.count == 1)
        try w.partition(.inventory)
        let polled = w.poll(.inventory)
        #expect(polled == .notRunning("inventory cannot reach the bus (partitioned)"))
        w.run()
        #expect(w.node(.inventory).outbox.unpublished.count == 1)
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
        try w.heal()
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
    }

    @Test func partitionedOrdersStillTakesOrdersButPublishesNothingUntilHeal() throws {
        var w = World()
        try w.partition(.orders)
        let response = w.placeOrder(customer: "alice", items: [Lab.item("prod-1")])
        #expect(response == .created(orderId: "ord-1", total: 1_000), "a partition cuts off the bus, not the clients")
        w.run()
        #expect(w.published.isEmpty)
        #expect(w.node(.orders).outbox.unpublished.count == 1)
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
        try w.heal()
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
    }

    @Test func partitionedOrdersWithTheOutboxOffLosesTheEvent() throws {
        var w = World()
        w.setOutbox(false, for: [.orders])
        try w.partition(.orders)
        let response = w.placeOrder(customer: "alice", items: [Lab.item("prod-1")])
        guard case .failed(500, _) = response else {
            Issue.record("expected 500, got \(response)")
            return
        }
        #expect(w.orders.order("ord-1")?.status == .pending, "the order was saved before the publish failed")
        try w.heal()
        w.run()
        #expect(w.published.isEmpty)
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
        #expect(Lab.status(w, "no-pending") == .broken)
    }

    @Test func healWithoutAPartitionAndDoublePartitionAreRejected() throws {
        var w = World()
        #expect(throws: WorldError.self) { try w.heal() }
        try w.partition(.payment)
        #expect(throws: WorldError.self) { try w.partition(.payment) }
    }

    // MARK: - Crashed consumers

    @Test func aCrashedConsumerParksDeliveriesUntilRestart() throws {
        var w = World()
        try w.crashNow(.payment)
        Lab.order(&w)
        w.run()
        #expect(w.parked.contains { $0.target == .payment && $0.event.type == .inventoryReserved })
        #expect(w.payment.charges.isEmpty)
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
        #expect(w.idleReason.contains("payment is down"))
        try w.restart(.payment)
        w.run()
        #expect(w.parked.isEmpty)
        #expect(w.payment.charges.count == 1)
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
    }

    @Test func crashAndRestartAreRejectedWhenPointless() throws {
        var w = World()
        #expect(throws: WorldError.self) { try w.restart(.orders) }
        try w.crashNow(.orders)
        #expect(throws: WorldError.self) { try w.crashNow(.orders) }
        #expect(throws: WorldError.self) { try w.arm(.analytics, at: .midCompensation) }
        #expect(throws: WorldError.self) { try w.arm(.inventory, at: .afterCommit) }
        try w.arm(.orders, at: .afterCommit)
        #expect(throws: WorldError.self) { try w.arm(.orders, at: .afterCommit) }
    }

    @Test func aDownOrdersServiceRefusesOrders() throws {
        var w = World()
        try w.crashNow(.orders)
        let response = w.placeOrder(customer: "alice", items: [Lab.item("prod-1")])
        guard case .failed(503, _) = response else {
            Issue.record("expected 503, got \(response)")
            return
        }
        #expect(w.orders.orders.isEmpty)
    }

    // MARK: - Injected failures at a percentage

    func paymentFailures(seed: UInt64) -> (World, Int) {
        var w = World(seed: seed)
        w.setFailure(.payment, .percent(30))
        for n in 1...20 { Lab.order(&w, "c\(n)", [Lab.item("prod-1")]) }
        w.run()
        return (w, w.published.filter { $0.event.type == .paymentFailed }.count)
    }

    @Test func thirtyPercentPaymentFailuresAreDeterministicAndPlausible() {
        let (a, failures) = paymentFailures(seed: 1)
        let (b, again) = paymentFailures(seed: 1)
        #expect(failures == again)
        #expect(a == b)
        #expect((2...12).contains(failures), "30% of 20 should be near 6, got \(failures)")
        let cancelled = a.orders.orders.filter { $0.status == .cancelled }
        #expect(cancelled.count == failures)
        #expect(cancelled.allSatisfy { $0.reason == "Payment failed: card declined" })
        #expect(a.orders.orders.filter { $0.status == .confirmed }.count == 20 - failures)
        #expect(a.payment.charges.count == 20 - failures)
    }

    @Test func zeroAndHundredPercentAreExact() {
        var w = World()
        w.setFailure(.payment, .percent(100))
        for n in 1...5 { Lab.order(&w, "c\(n)", [Lab.item("prod-1")]) }
        w.run()
        #expect(w.orders.orders.allSatisfy { $0.status == .cancelled })
        let (s, _) = Lab.session(["fail payment 0%", "order a prod-1", "run"])
        #expect(s.world.failures[.payment] == .never)
        #expect(s.world.orders.orders.first?.status == .confirmed)
    }

    @Test func seed003ScenarioSettlesEveryOrderAndAnalyticsMatchTheTruth() {
        var lines = ["flow payment-first", "fail payment 30%", "fail inventory 20%"]
        let products = ["prod-1", "prod-2x2", "prod-3", "prod-1x3 prod-2"]
        for n in 1...20 { lines.append("order customer-\(n) \(products[n % products.count])") }
        lines.append("run")
        let (s, _) = Lab.session(lines, seed: 3)
        let (again, _) = Lab.session(lines, seed: 3)
        #expect(s.world == again.world)
        let w = s.world
        #expect(w.orders.orders.count == 20)
        #expect(w.orders.orders.allSatisfy { $0.status == .confirmed || $0.status == .cancelled })
        let confirmed = w.orders.orders.filter { $0.status == .confirmed }
        let cancelled = w.orders.orders.filter { $0.status == .cancelled }
        #expect(!confirmed.isEmpty && !cancelled.isEmpty, "30%/20% over 20 orders should give both outcomes")
        #expect(w.analytics.orderCount == 20)
        #expect(w.analytics.successful == confirmed.count)
        #expect(w.analytics.failed == cancelled.count)
        #expect(w.analytics.revenue == confirmed.reduce(0) { $0 + $1.total })
        #expect(w.payment.captured - w.payment.refunded == confirmed.reduce(0) { $0 + $1.total })
        for id in ["analytics-accurate", "money-balanced", "stock-conserved", "stock-non-negative",
                   "reservations-released", "reservation-exact", "no-pending", "outbox-drained", "once-per-event"] {
            #expect(Lab.status(w, id) == .holds, "\(id)")
        }
        // Refunds happened: payment came first, so inventory failures must have refunded.
        let inventoryFailures = cancelled.filter { $0.reason?.hasPrefix("Inventory reservation failed") == true }
        #expect(w.payment.charges.filter(\.refunded).count == inventoryFailures.count)
    }
}
