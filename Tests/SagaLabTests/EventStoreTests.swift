@testable import SagaKernel
@testable import SagaLab
import Testing

/// The Boong saga's event store: every event is stored where it goes onto the bus, with its
/// order, type, version and time. Every expectation reads the world's state, not its text.
@Suite struct EventStoreTests {
    /// A world where one order ran to the end, after `prepare`.
    static func ran() -> (World, OrderId) { ran { _ in } }

    static func ran(_ prepare: (inout World) throws -> Void) rethrows -> (World, OrderId) {
        var w = World()
        w.adopt(.boong)
        try prepare(&w)
        let id = Lab.order(&w)
        w.run()
        return (w, id)
    }

    /// A world whose orders publisher crashed after sending order.created and before marking
    /// its row, so it sent the row again after the restart: the store holds evt-1 twice.
    static func storedTwice(_ prepare: (inout World) throws -> Void = { _ in }) throws -> World {
        var w = World()
        w.adopt(.boong)
        try prepare(&w)
        try w.arm(.orders, at: .afterPublish)
        Lab.order(&w)
        w.run()
        try w.restart(.orders)
        w.run()
        return w
    }

    /// A world where orders, its outbox off, crashed between committing an order and
    /// publishing its order.created, then restarted and ran to the end: the dual write.
    static func dualWrite() throws -> (World, OrderId) {
        var w = World()
        w.adopt(.boong)
        w.setOutbox(false, for: [.orders])
        try w.arm(.orders, at: .afterCommit)
        let response = w.placeOrder(customer: "alice", items: [Lab.item("prod-1", 2)])
        #expect(response == .noResponse(savedOrderId: "ord-1"))
        try w.restart(.orders)
        w.run()
        return (w, "ord-1")
    }

    static func rows(_ w: World, _ id: EventId) -> [EventStore.Row] {
        w.eventStore.rows.filter { $0.event.id == id }
    }

    // MARK: - The store

    @Test func aNormalOrderStoresEachEventOnceInPublishOrderWithItsVersion() {
        let (w, id) = EventStoreTests.ran()
        let rows = w.eventStore.rows
        let types = rows.map { $0.event.type }
        let sequences = rows.map { $0.sequence }
        let versions = rows.map { $0.version }
        let services = rows.map { $0.service }
        let ids = rows.map { $0.event.id }
        let onTheBus = w.published.map { $0.event.id }
        #expect(types == [.orderCreated, .inventoryReserved, .paymentCompleted, .orderConfirmed])
        #expect(sequences == [1, 2, 3, 4])
        #expect(versions == [1, 2, 3, 4])
        #expect(rows.allSatisfy { $0.event.orderId == id })
        #expect(services == [.orders, .inventory, .payment, .orders])
        #expect(ids == onTheBus)
        #expect(rows.allSatisfy { $0.time >= $0.event.createdAt })
    }

    @Test func versionsCountEachOrdersStreamOnItsOwn() {
        var w = World()
        let first = Lab.order(&w)
        let second = Lab.order(&w, "bob")
        w.run()
        for id in [first, second] {
            let versions = w.eventStore.rows(.order(id)).map { $0.version }
            #expect(versions == [1, 2, 3, 4])
        }
        let sequences = w.eventStore.rows.map { $0.sequence }
        #expect(sequences == Array(1...8))
    }

    @Test func aRowWaitingInTheOutboxIsStoredWhenThePublisherSendsIt() {
        var w = World()
        let id = Lab.order(&w)
        #expect(w.eventStore.rows.isEmpty)
        #expect(w.node(.orders).outbox.unpublishedCount == 1)
        _ = w.poll(.orders)
        let types = w.eventStore.rows(.order(id)).map { $0.event.type }
        #expect(types == [.orderCreated])
        #expect(w.eventStore.rows.first?.time == w.now)
    }

    @Test func theDualWriteLosesTheEventFromTheBusAndTheStore() throws {
        let (w, id) = try EventStoreTests.dualWrite()
        #expect(w.orders.order(id) != nil)
        #expect(w.eventStore.rows(.order(id)).isEmpty)
        #expect(w.published.isEmpty)
    }

    @Test func aPublisherThatSendsARowAgainStoresItTwice() throws {
        let w = try EventStoreTests.storedTwice()
        let rows = EventStoreTests.rows(w, "evt-1")
        #expect(rows.count == 2)
        let versions = Set(rows.map { $0.version })
        let repeated = EventStore.repeated(in: w.eventStore.rows).map { $0.id }
        #expect(versions.count == 2, "each row has its own place in the stream")
        #expect(Lab.publishCount(w, "evt-1") == 2)
        #expect(repeated == ["evt-1"])
    }

    @Test func theBusDuplicateCopiesDeliveriesNotRows() throws {
        let (w, _) = try EventStoreTests.ran { w in try w.messageFault(.duplicate, .next(.orderCreated)) }
        #expect(EventStoreTests.rows(w, "evt-1").count == 1)
        #expect(w.node(.analytics).processed.contains("evt-1", now: w.now, ttl: w.settings.processedTTL))
        #expect(w.analytics.orderCount == 1)
    }

    @Test func aDeliveryDroppedOnTheBusIsStillInTheStore() throws {
        let (w, _) = try EventStoreTests.ran { w in try w.messageFault(.drop, .next(.orderConfirmed)) }
        #expect(w.eventStore.rows(.type(.orderConfirmed)).count == 1)
        #expect(w.analytics.successful == 0)
    }

    @Test func filtersNarrowByOrderServiceAndType() {
        var w = World()
        w.setFailure(.payment, .next)
        let first = Lab.order(&w)
        let second = Lab.order(&w, "bob")
        w.run()
        #expect(w.eventStore.rows(.order(first)).allSatisfy { $0.event.orderId == first })
        #expect(w.eventStore.rows(.order(second)).count > 0)
        #expect(w.eventStore.rows(.service(.payment)).allSatisfy { $0.event.source == .payment })
        #expect(w.eventStore.rows(.type(.paymentFailed)).count == 1)
        #expect(w.eventStore.rows(.service(.analytics)).isEmpty)
        #expect(w.eventStore.rows(nil).count == w.eventStore.rows.count)
    }

    // MARK: - Commands

    @Test func badInputChangesNothing() {
        var (session, _) = Lab.session(["design boong", "order alice prod-1x2", "run quiet"])
        let before = session.world
        for line in ["show event-store ord-9", "show event-store evt-1", "show event-store paymnt"] {
            let reply = session.execute(line)
            #expect(reply.isError, "\(line)")
            #expect(reply.text.contains("\n") == false, "\(line)")
        }
        #expect(session.world == before)
    }

    @Test func theViewFitsEightyColumnsInPlainText() {
        var lines = ["design boong", "crash orders at after-publish", "order alice prod-1x2", "run quiet",
                     "restart orders", "run quiet", "pattern idempotency off analytics"]
        lines += (1...12).map { "order customer-\($0) prod-1" }
        lines += ["run quiet"]
        var (session, _) = Lab.session(lines)
        for line in ["show event-store", "show event-store ord-1", "show event-store payment"] {
            let reply = session.execute(line)
            #expect(reply.isError == false, "\(line)")
            let wide = reply.text.split(separator: "\n").filter { $0.count > 80 && !$0.hasPrefix("[") }
            #expect(wide.isEmpty, "\(line): \(wide)")
            let ascii = reply.text.allSatisfy { $0.isASCII }
            #expect(ascii, "\(line)")
        }
        let all = session.execute("show event-store").text
        #expect(all.hasPrefix("... "), "more rows than the view shows start with a count of the earlier ones")
        #expect(all.split(separator: "\n").count == Views.eventStoreRows + 4)
    }
}
