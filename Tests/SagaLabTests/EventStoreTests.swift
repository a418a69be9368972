@testable import SagaKernel
@testable import SagaLab
import Testing

/// The Boong saga's event store: every event is stored where it goes onto the bus, with its
/// order, type, version and time, and `rebuild` replays it into analytics' or rewards'
/// projection. Every expectation reads the world's state, not its text.
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
        w.storedEvents().filter { $0.event.id == id }
    }

    // MARK: - The store

    @Test func aNormalOrderStoresEachEventOnceInPublishOrderWithItsVersion() {
        let (w, id) = EventStoreTests.ran()
        let rows = w.storedEvents()
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
            let versions = w.storedEvents(.order(id)).map { $0.version }
            #expect(versions == [1, 2, 3, 4])
        }
        let sequences = w.storedEvents().map { $0.sequence }
        #expect(sequences == Array(1...8))
    }

    @Test func aRowWaitingInTheOutboxIsStoredWhenThePublisherSendsIt() {
        var w = World()
        let id = Lab.order(&w)
        #expect(w.storedEvents().isEmpty)
        #expect(w.node(.orders).outbox.unpublishedCount == 1)
        _ = w.poll(.orders)
        let types = w.storedEvents(.order(id)).map { $0.event.type }
        #expect(types == [.orderCreated])
        #expect(w.storedEvents().first?.time == w.now)
    }

    @Test func theDualWriteLosesTheEventFromTheBusAndTheStore() throws {
        let (w, id) = try EventStoreTests.dualWrite()
        #expect(w.orders.order(id) != nil)
        #expect(w.storedEvents(.order(id)).isEmpty)
        #expect(w.published.isEmpty)
    }

    @Test func aPublisherThatSendsARowAgainStoresItTwice() throws {
        let w = try EventStoreTests.storedTwice()
        let rows = EventStoreTests.rows(w, "evt-1")
        #expect(rows.count == 2)
        let versions = Set(rows.map { $0.version })
        let repeated = w.storedEventsSummary(nil, last: 0).repeated.map { $0.id }
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
        #expect(w.storedEvents(.type(.orderConfirmed)).count == 1)
        #expect(w.analytics.successful == 0)
    }

    @Test func filtersNarrowByOrderServiceAndType() {
        var w = World()
        w.setFailure(.payment, .next)
        let first = Lab.order(&w)
        let second = Lab.order(&w, "bob")
        w.run()
        #expect(w.storedEvents(.order(first)).allSatisfy { $0.event.orderId == first })
        #expect(w.storedEvents(.order(second)).count > 0)
        #expect(w.storedEvents(.service(.payment)).allSatisfy { $0.event.source == .payment })
        #expect(w.storedEvents(.type(.paymentFailed)).count == 1)
        #expect(w.storedEvents(.service(.analytics)).isEmpty)
        #expect(w.storedEvents(nil).count == w.eventStore.count)
    }

    // MARK: - Rebuild

    @Test func aRebuildAfterANormalRunEqualsWhatEachProjectionHad() throws {
        var (w, _) = EventStoreTests.ran()
        let (analytics, points) = (w.analytics, w.rewards.pointsOfCustomer)
        for service in World.projections {
            let result = try w.rebuild(service)
            #expect(result.isEqual, "\(service.rawValue)")
            #expect(result.skipped.isEmpty && result.repeats.isEmpty)
        }
        #expect(w.analytics == analytics)
        #expect(w.rewards.pointsOfCustomer == points)
        #expect(Lab.applied(w, .analytics, "evt-1") == 1, "the replay counts once, in place of the first run")
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func aRebuildIsLoggedAsALabHappeningInItsServicesLane() throws {
        var (w, _) = EventStoreTests.ran()
        let result = try w.rebuild(.analytics)
        let entry = w.trace.last(where: { if case .lab(.rebuilt) = $0.what { return true } else { return false } })
        #expect(entry?.service == .analytics)
        #expect(entry?.what == .lab(.rebuilt(result)))
        #expect(result.rows == 4)
    }

    @Test(arguments: [ServiceName.orders, .inventory, .payment])
    func servicesWhoseStateIsTheirOwnRecordAreRefusedUnchanged(_ service: ServiceName) {
        var (w, _) = EventStoreTests.ran()
        let before = w
        #expect(throws: WorldError.self) { try w.rebuild(service) }
        #expect(w == before)
    }

    @Test func aServiceThatIsDownOrCutOffCannotReplay() throws {
        var (w, _) = EventStoreTests.ran()
        try w.crashNow(.analytics)
        var before = w
        #expect(throws: WorldError.self) { try w.rebuild(.analytics) }
        #expect(w == before)
        try w.partition(.rewards)
        before = w
        #expect(throws: WorldError.self) { try w.rebuild(.rewards) }
        #expect(w == before)
    }

    @Test func replayRestoresADeliveryTheBusDropped() throws {
        var (w, _) = try EventStoreTests.ran { w in try w.messageFault(.drop, .next(.orderConfirmed)) }
        #expect(Lab.status(w, "analytics-accurate") == .broken)
        let result = try w.rebuild(.analytics)
        #expect(result.isEqual == false)
        #expect(result.differences.contains(.figure(.successful, was: 0, now: 1)))
        #expect(w.analytics.successful == 1)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func replayCannotBringBackAnEventLostInADualWrite() throws {
        var (w, _) = try EventStoreTests.dualWrite()
        let result = try w.rebuild(.analytics)
        #expect(result.isEqual)
        #expect(w.analytics.orderCount == 0)
        #expect(Lab.status(w, "analytics-accurate") == .broken)
    }

    @Test func withProcessedMarksAStoredDuplicateIsSkipped() throws {
        var w = try EventStoreTests.storedTwice()
        let result = try w.rebuild(.analytics)
        #expect(result.isEqual)
        #expect(result.skipped == ["evt-1"])
        #expect(w.analytics.orderCount == 1)
        #expect(Lab.applied(w, .analytics, "evt-1") == 1)
        #expect(w.node(.analytics).processed.contains("evt-1", now: w.now, ttl: w.settings.processedTTL))
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func withoutProcessedMarksAStoredDuplicateCountsTwiceAndTheInvariantsSaySo() throws {
        var w = try EventStoreTests.storedTwice()
        w.setIdempotency(.off, for: [.analytics])
        let result = try w.rebuild(.analytics)
        #expect(result.isEqual == false)
        #expect(result.differences.contains(.figure(.orders, was: 1, now: 2)))
        #expect(result.repeats == [World.Rebuild.Repeat(eventId: "evt-1", type: .orderCreated, applied: 2, stored: 2)])
        #expect(w.analytics.orderCount == 2)
        #expect(Lab.applied(w, .analytics, "evt-1") == 2)
        #expect(Lab.broken(w) == ["once-per-event", "analytics-accurate"])
        #expect(w.liveProcessedRows(of: .analytics).isEmpty)

        w.setIdempotency(.on, for: [.analytics])
        try w.rebuild(.analytics)
        #expect(w.analytics.orderCount == 1)
        #expect(Lab.broken(w).isEmpty, "a rebuild with marks repairs the projection and the instrument with it")
    }

    @Test func theMaintainedInvariantsAgreeWithTheReferenceAfterARebuild() throws {
        var w = try EventStoreTests.storedTwice()
        w.setIdempotency(.off, for: [.analytics, .rewards])
        try w.rebuild(.analytics)
        try w.rebuild(.rewards)
        #expect(Invariants.evaluate(w) == Invariants.reference(w))
        w.setIdempotency(.on, for: [.analytics])
        try w.rebuild(.analytics)
        #expect(Invariants.evaluate(w) == Invariants.reference(w))
    }

    @Test func rebuiltMarksKeepADeliveryStillInFlightFromCountingAgain() throws {
        var w = World()
        Lab.order(&w)
        _ = w.poll(.orders)
        #expect(w.analytics.orderCount == 0)
        let result = try w.rebuild(.analytics)
        #expect(result.differences.contains(.figure(.orders, was: 0, now: 1)))
        w.run()
        #expect(w.analytics.orderCount == 1)
        #expect(Lab.applied(w, .analytics, "evt-1") == 1)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func withoutMarksADeliveryStillInFlightCountsOnTopOfTheReplay() throws {
        var w = World()
        w.setIdempotency(.off, for: [.analytics])
        Lab.order(&w)
        _ = w.poll(.orders)
        try w.rebuild(.analytics)
        w.run()
        #expect(w.analytics.orderCount == 2)
        #expect(Lab.applied(w, .analytics, "evt-1") == 2)
        #expect(Lab.broken(w).contains("once-per-event"))
    }

    @Test func rewardsReplaysUnderTodaysRules() throws {
        var (w, _) = EventStoreTests.ran { w in w.setFailure(.payment, .next) }
        #expect(w.rewards.points(of: "alice") == 20)
        w.setAllPatternsOn()
        let result = try w.rebuild(.rewards)
        #expect(result.differences == [.points(customer: "alice", was: 20, now: 0)])
        #expect(result.rows == 0, "rewards now hears only order.confirmed, and none was stored")
        #expect(w.rewards.points(of: "alice") == 0)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func rewardsKeepsTheNotificationsTheOrchestratorAskedFor() throws {
        let (start, id) = EventStoreTests.ran { w in w.setMode(.orchestration) }
        var w = start
        #expect(w.rewards.notifications.count == 1)
        let token = ProcessedKey.call(id, .sendNotification)
        #expect(w.node(.rewards).processed.row(token, now: w.now, ttl: w.settings.processedTTL, events: { w.event($0) }) != nil)
        let result = try w.rebuild(.rewards)
        #expect(result.isEqual)
        #expect(w.rewards.notifications.count == 1)
        #expect(w.node(.rewards).processed.row(token, now: w.now, ttl: w.settings.processedTTL, events: { w.event($0) }) != nil)
        #expect(Lab.applied(w, .rewards, token) == 1)
    }

    // MARK: - Commands

    @Test func badInputChangesNothing() {
        var (session, _) = Lab.session(["design boong", "order alice prod-1x2", "run quiet"])
        let before = session.world
        for line in ["rebuild inventory", "rebuild payment", "rebuild orders", "show event-store ord-9", "rebuild",
                     "show event-store evt-1", "rebuild analytcs"] {
            let reply = session.execute(line)
            #expect(reply.isError, "\(line)")
            #expect(reply.text.contains("\n") == false, "\(line)")
        }
        #expect(session.world == before)
    }

    @Test func theViewAndTheRebuildFitEightyColumnsInPlainText() {
        var lines = ["design boong", "crash orders at after-publish", "order alice prod-1x2", "run quiet",
                     "restart orders", "run quiet", "pattern idempotency off analytics"]
        lines += (1...12).map { "order customer-\($0) prod-1" }
        lines += ["run quiet"]
        var (session, _) = Lab.session(lines)
        for line in ["show event-store", "show event-store ord-1", "rebuild analytics", "show event-store payment"] {
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
