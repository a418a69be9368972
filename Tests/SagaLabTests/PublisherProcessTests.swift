@testable import SagaLab
@testable import SagaKernel
import Testing

/// `publishers in-service|own-process`: the outbox publishers inside their services, or as
/// processes of their own (the EventBridge shop's scheduled publisher). Judged on world state.
@Suite struct PublisherProcessTests {
    static func ownProcess() -> World {
        var w = World()
        try? w.setPublishers(.ownProcess)
        return w
    }

    // MARK: - in-service, the default

    @Test func aPublisherInsideItsServiceStopsAndStartsWithIt() throws {
        var w = World()
        #expect(w.publishers == .inService)
        try w.crashNow(.orders)
        #expect(!w.node(.orders).publisherUp)
        let response = w.placeOrder(customer: "alice", items: [Lab.item("prod-1")])
        #expect(response == .failed(status: 503, reason: "orders is down; nothing was saved"))
        try w.restart(.orders)
        #expect(w.node(.orders).publisherUp)
    }

    @Test func inServiceThereIsNoPublisherProcessToCrashOrRestart() {
        var w = World()
        let before = w
        #expect(throws: WorldError.self) { try w.crashPublisher(.orders) }
        #expect(throws: WorldError.self) { try w.armPublisher(.orders, at: .afterPublish) }
        #expect(throws: WorldError.self) { try w.restartPublisher(.orders) }
        #expect(w == before)
    }

    @Test func inServiceTheServicesAfterPublishPointStillStopsTheService() throws {
        var w = World()
        try w.arm(.orders, at: .afterPublish)
        let id = Lab.order(&w)
        w.step()
        #expect(!w.node(.orders).isUp && !w.node(.orders).publisherUp)
        #expect(w.node(.orders).outbox.row("evt-1") { _ in nil }?.published == false)
        #expect(Lab.publishCount(w, "evt-1") == 1)
        #expect(Lab.orderStatus(w, id) == .pending)
    }

    @Test func theSessionRefusesAPublisherProcessInServiceWithOneLineAndNoChange() {
        var session = Session()
        let before = session.world
        for line in ["crash orders-publisher", "crash orders-publisher at after-publish", "restart inventory-publisher"] {
            let reply = session.execute(line)
            #expect(reply.isError, "\(line)")
            #expect(reply.text.contains("publishers own-process") && !reply.text.contains("\n"), "\(reply.text)")
        }
        #expect(session.world == before)
    }

    // MARK: - own-process

    @Test func aCrashOfOrdersAfterSavingLeavesItsPublisherSendingTheRow() throws {
        var w = Self.ownProcess()
        try w.arm(.orders, at: .afterCommit)
        _ = w.placeOrder(customer: "customer-123", items: [Lab.item("prod-1", 2)])
        let id = OrderId(number: 1)
        #expect(!w.node(.orders).isUp && w.node(.orders).publisherUp)
        w.advance(by: 30 * VirtualTime.second)
        #expect(Lab.publishCount(w, "evt-1") == 1, "orders-publisher sent evt-1 at 00:30 with orders down")
        #expect(w.node(.orders).outbox.unpublishedCount == 0)
        w.run()
        #expect(!w.inventory.reservations(forOrder: id).isEmpty)
        #expect(!w.payment.charges(forOrder: id).isEmpty)
        #expect(Lab.orderStatus(w, id) == .pending, "orders' own handlers wait for orders")
        try w.restart(.orders)
        w.run()
        #expect(Lab.orderStatus(w, id) == .confirmed)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func inServiceTheSameCrashSendsNothingUntilOrdersRestarts() throws {
        var w = World()
        try w.arm(.orders, at: .afterCommit)
        _ = w.placeOrder(customer: "customer-123", items: [Lab.item("prod-1", 2)])
        w.advance(by: 5 * VirtualTime.minute)
        #expect(Lab.publishCount(w, "evt-1") == 0)
        #expect(w.node(.orders).outbox.unpublishedCount == 1)
    }

    @Test func aCrashedPublisherLeavesOrdersTakingOrdersWhileItsLagGrows() throws {
        var w = Self.ownProcess()
        try w.crashPublisher(.orders)
        #expect(w.node(.orders).isUp && !w.node(.orders).publisherUp)
        var ids: [OrderId] = []
        for customer in ["alice", "bob", "carol"] {
            ids.append(Lab.order(&w, customer))
            w.advance(by: 2 * VirtualTime.minute)
        }
        #expect(ids.allSatisfy { $0 != .none }, "the orders API answered every order")
        #expect(w.node(.orders).outbox.unpublishedCount == 3)
        #expect(w.node(.orders).outbox.lag(now: w.now) == 6 * VirtualTime.minute)
        #expect(w.published.isEmpty)
        #expect(!w.hasWork, "nothing can happen while the publisher is down")
        #expect(Metrics(w).alarms.first { $0.name == "OutboxLag" }?.firing == true)
        try w.restartPublisher(.orders)
        w.run()
        #expect(w.node(.orders).outbox.unpublishedCount == 0)
        #expect(ids.allSatisfy { Lab.orderStatus(w, $0) == .confirmed })
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func afterPublishBelongsToThePublisherProcess() throws {
        var w = Self.ownProcess()
        #expect(throws: WorldError.self) { try w.arm(.orders, at: .afterPublish) }
        #expect(throws: WorldError.self) { try w.armPublisher(.orders, at: .afterCommit) }
        try w.armPublisher(.orders, at: .afterPublish)
        #expect(w.armedCrashes == [ArmedCrash(service: .orders, point: .afterPublish, inPublisher: true)])
        Lab.order(&w)
        w.step()
        #expect(w.node(.orders).isUp, "only the publisher went down")
        #expect(!w.node(.orders).publisherUp)
        #expect(w.node(.orders).outbox.row("evt-1") { _ in nil }?.publishCount == 1)
        #expect(w.node(.orders).outbox.unpublishedCount == 1)
        try w.restartPublisher(.orders)
        w.run()
        #expect(Lab.publishCount(w, "evt-1") == 2, "sent again after the restart: at least once")
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func aHandlerThatPublishesStraightToTheBusKeepsItsOwnAfterPublish() throws {
        var w = Self.ownProcess()
        w.setOutbox(false, for: [.inventory])
        try w.arm(.inventory, at: .afterPublish)
        #expect(w.armedCrashes == [ArmedCrash(service: .inventory, point: .afterPublish)])
    }

    @Test func aPartitionCutsOffTheServiceAndItsPublisher() throws {
        var w = Self.ownProcess()
        Lab.order(&w)
        try w.partition(.orders)
        w.advance(by: 5 * VirtualTime.minute)
        #expect(w.published.isEmpty)
        #expect(w.node(.orders).publisherUp && !w.node(.orders).publisherReachable)
        try w.heal()
        w.run()
        #expect(Lab.publishCount(w, "evt-1") == 1)
    }

    @Test func publishedLinesNameThePublisherProcess() {
        var own = Self.ownProcess()
        Lab.order(&own)
        own.step()
        var inside = World()
        Lab.order(&inside)
        inside.step()
        #expect(own.trace.last?.lane == "orders-publisher")
        #expect(inside.trace.last?.lane == "orders")
    }

    // MARK: - switching

    @Test func movingBackInServiceIsRefusedWhileAPublisherIsDownAlone() throws {
        var w = Self.ownProcess()
        try w.crashPublisher(.payment)
        let before = w
        #expect(throws: WorldError.self) { try w.setPublishers(.inService) }
        #expect(w == before)
        var session = Session()
        _ = session.execute("publishers own-process")
        _ = session.execute("crash payment-publisher")
        let held = session.world
        #expect(session.execute("design kafka").isError)
        #expect(session.world == held)
        try w.restartPublisher(.payment)
        try w.setPublishers(.inService)
        #expect(w.publishers == .inService)
    }

    @Test func anArmedAfterPublishCrashMovesWithThePublisher() throws {
        var w = World()
        try w.arm(.inventory, at: .afterPublish)
        try w.setPublishers(.ownProcess)
        #expect(w.armedCrashes == [ArmedCrash(service: .inventory, point: .afterPublish, inPublisher: true)])
        try w.setPublishers(.inService)
        #expect(w.armedCrashes == [ArmedCrash(service: .inventory, point: .afterPublish)])
    }

    @Test func theEventBridgeShopRunsItsPublishersAsProcessesOfTheirOwn() throws {
        var w = World()
        w.adopt(.eventBridge)
        #expect(w.publishers == .ownProcess)
        #expect(w.follows(.eventBridge))
        try w.setPublishers(.inService)
        #expect(!w.follows(.eventBridge))
        w.adopt(.kafka)
        #expect(w.publishers == .inService)
    }

    // MARK: - exploring

    @Test func theExplorerCrashesAndRestartsPublisherProcesses() {
        var w = Self.ownProcess()
        Lab.order(&w)
        let actions = w.moves(faults: true).map(\.action)
        #expect(actions.contains(.crashPublisher(.orders)))
        #expect(actions.contains(.crashPublisherDuring(.poll(.orders), .orders)))
        #expect(!actions.contains(.crashDuring(.poll(.orders), .orders, .afterPublish)))
        var inside = World()
        Lab.order(&inside)
        #expect(!inside.moves(faults: true).map(\.action).contains(.crashPublisher(.orders)))
        let crashed = w.perform(.crashPublisher(.orders))
        #expect(crashed)
        #expect(w.moves(faults: false).map(\.action).contains(.restartPublisher(.orders)))
        let settling = w.settle()
        #expect(settling.contains(.restartPublisher(.orders)))
        #expect(w.node(.orders).publisherUp && Lab.broken(w).isEmpty)
    }

    @Test func aScheduleNamesThePublisherProcessItCrashes() {
        #expect(ScheduleAction.crashPublisher(.inventory).command(pick: nil) == "crash inventory-publisher")
        #expect(ScheduleAction.crashPublisherDuring(.poll(.orders), .orders).command(pick: 1)
            == "crash orders-publisher at after-publish\npick 1")
        #expect(ScheduleAction.restartPublisher(.payment).command(pick: nil) == "restart payment-publisher")
        var w = Self.ownProcess()
        Lab.order(&w)
        #expect(w.pickNumber(.crashPublisherDuring(.poll(.orders), .orders)) == 1)
        let crashed = w.perform(.crashPublisherDuring(.poll(.orders), .orders))
        #expect(crashed)
        #expect(!w.node(.orders).publisherUp && w.node(.orders).isUp)
        #expect(Lab.publishCount(w, "evt-1") == 1)
    }

    @Test func everyPatternOnHoldsWithPublisherProcessesUnderOneFault() {
        var w = Self.ownProcess()
        w.setAllPatternsOn()
        Lab.order(&w)
        let report = Explorer(budget: .init(faults: 1)).explore(w)
        guard case .exhausted = report.ending else {
            Issue.record("expected the search to exhaust with every invariant held: \(report.ending)")
            return
        }
    }
}

/// `show outbox`: how many rows wait, the outbox lag, and what they wait for.
@Suite struct OutboxLagViewTests {
    @Test func theOutboxSaysHowLongItsRowsWaitAndForWhat() {
        let (running, _) = Lab.session(["order alice prod-1", "advance 20s"])
        #expect(Views(running.world, style: .plain).outboxLag(.orders) == "orders outbox lag 20s: 1 row waits for the poll at 00:30.000")
        let (stopped, _) = Lab.session(["publishers own-process", "crash orders-publisher", "order alice prod-1", "advance 2m",
                                        "order bob prod-2"])
        #expect(Views(stopped.world, style: .plain).outboxLag(.orders) == "orders outbox lag 2m: 2 rows wait; orders-publisher is down")
        #expect(Views(stopped.world, style: .plain).outboxLag(.inventory) == nil)
    }
}
