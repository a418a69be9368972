@testable import SagaBridge
@testable import SagaKernel
@testable import SagaLab
import Testing

/// The bridge's reading of PostgreSQL rows into the simulation's values: the invariants
/// judge a world built from rows exactly as they judge a simulated one.
@Suite struct StoredRowsTests {
    static func event(_ id: Int32, _ type: EventType, order: Int32 = 1, amount: Int = 2_000) -> StoredRows.EventRow {
        .init(id: id, type: type, order: order, customer: "alice", items: [OrderItem(product: "prod-1", quantity: 2)],
              amount: amount, reason: nil, createdAt: 10)
    }

    /// One confirmed order of prod-1x2 whose order.created inventory applied twice: the
    /// rows a check-then-act race leaves behind.
    static func raced() -> StoredRows {
        var rows = StoredRows()
        rows.now = 1_000
        rows.orders = [.init(id: 1, customer: "alice", items: [OrderItem(product: "prod-1", quantity: 2)], total: 2_000,
                             status: .confirmed, reason: nil, createdAt: 10, settledAt: 90)]
        rows.reservations = [
            .init(order: 1, items: [OrderItem(product: "prod-1", quantity: 2)], event: 1, at: 20, sold: true),
            .init(order: 1, items: [OrderItem(product: "prod-1", quantity: 2)], event: 1, at: 21, sold: true),
        ]
        rows.stock = [.init(product: "prod-1", available: 96, supplied: 100)]
        rows.charges = [.init(id: 1, order: 1, customer: "alice", amount: 2_000, refunded: false, at: 30)]
        rows.ledger = [.init(order: 1, customer: "alice", points: 20, event: 1, at: 15)]
        rows.analytics.orderCount = 1
        rows.analytics.successful = 1
        rows.analytics.revenue = 2_000
        rows.outboxes = [.init(event: event(1, .orderCreated), publishedAt: 12, publishCount: 1)]
        rows.applications = [(.inventory, 1), (.inventory, 1)]
        return rows
    }

    @Test func theInvariantsJudgeTheRowsOfARace() {
        let world = World(stored: StoredRowsTests.raced())
        let results = Invariants.evaluate(world)
        let broken = results.filter { $0.status == .broken }.map(\.id)
        #expect(broken == ["once-per-event", "reservation-exact"])
        #expect(results.first { $0.id == "reservation-exact" }?.evidence == ["ord-1 is CONFIRMED and holds 2 reservations: prod-1x2 prod-1x2"])
        #expect(Invariants.evaluate(world) == Invariants.reference(world))
        #expect(world.inventory.sold("prod-1") == 4)
        #expect(world.node(.orders).outbox.unpublishedCount == 0)
    }

    @Test func aQueuedDeliveryIsInFlightUnlessItsConsumerIsDown() {
        var rows = StoredRowsTests.raced()
        rows.inFlight = [.init(target: .rewards, event: StoredRowsTests.event(4, .orderConfirmed), handler: .awardPoints,
                               attempt: 1, isCopy: false)]
        let flying = Invariants.evaluate(World(stored: rows))
        #expect(flying.contains { $0.id == "points-confirmed-only" && $0.status == .waiting })
        rows.down = [.rewards]
        let parked = World(stored: rows)
        #expect(parked.parked.count == 1)
        #expect(!Invariants.evaluate(parked).contains { $0.status == .waiting })
    }

    @Test func recordedLinesRenderAsTheirKindAndText() {
        let entry = TraceEntry(time: 1_234, service: .inventory, what: .recorded(.crash, text: "CRASHED: SIGKILL to process 7"))
        #expect(entry.kind == .crash)
        #expect(TraceLines(style: .plain).line(entry) == "[00:01.234] inventory: CRASHED: SIGKILL to process 7")
        #expect(TraceKinds.kind(TraceKinds.name(.deadLetter)) == .deadLetter)
    }

    @Test func theTraceCursorShowsALateCommittedRowOnce() {
        var cursor = TraceCursor()
        cursor.saw(1)
        cursor.saw(3)
        #expect(cursor.watermark == 1)
        #expect(cursor.isNew(2))
        #expect(!cursor.isNew(3))
        cursor.saw(2)
        #expect(cursor.watermark == 3)
        cursor.saw(5)
        cursor.settle(upTo: 4)
        #expect(cursor.watermark == 5)
        #expect(!cursor.isNew(4))
    }

    @Test func itemsTravelAsTheTextTheOrderCommandTakes() {
        let items = [OrderItem(product: "prod-1", quantity: 2), OrderItem(product: "prod-3", quantity: 1)]
        #expect(ItemsText.text(items) == "prod-1x2 prod-3")
        #expect(ItemsText.items("prod-1x2 prod-3") == items)
    }

    @Test func commandsWithoutMeaningOnRealInfrastructureSaySoInOneLine() {
        let lines = [(Command.step(1), "step"), (.pick(1), "pick"), (.undo, "undo"),
                     (.explore(.save("x")), "explore"), (.mode(nil), "mode")].map { BridgeHelp.refusal($0.0, named: $0.1) }
        #expect(lines.allSatisfy { !$0.contains("\n") && $0.hasPrefix("`") })
        #expect(lines[0].contains("cannot exist on real infrastructure"))
        #expect(lines[4].contains("is not in the bridge"))
    }
}
