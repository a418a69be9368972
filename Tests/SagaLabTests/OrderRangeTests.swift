import Testing
@testable import SagaLab
@testable import SagaKernel

/// `order user-1..N ITEM...`: one order per customer, each placed as `order` places it.
@Suite struct OrderRangeTests {
    @Test func aRangePlacesOneOrderPerCustomerInOrder() {
        var session = Session(seed: 1)
        let reply = session.execute("order user-3..7 prod-1x2")
        #expect(reply.text == "201 Created: 5 orders (ord-1 to ord-5), each PENDING ($20.00)")
        let orders = session.world.orders.orders
        #expect(orders.map(\.customer) == ["user-3", "user-4", "user-5", "user-6", "user-7"])
        #expect(orders.allSatisfy { $0.total == 2_000 && $0.status == .pending })
        #expect(session.world.node(.orders).outbox.unpublishedCount == 5)
    }

    @Test func aRangeIsTheSameWorldAsItsOrdersOneByOne() {
        var ranged = Session(seed: 4)
        var single = Session(seed: 4)
        _ = ranged.execute("fail orders 40%")
        _ = single.execute("fail orders 40%")
        _ = ranged.execute("order u-1..30 prod-3")
        for n in 1...30 { _ = single.execute("order u-\(n) prod-3") }
        _ = ranged.execute("run")
        _ = single.execute("run")
        #expect(ranged.world == single.world)
    }

    @Test func aRangeMakesRoomAheadForTheRowsItsOrdersWillWrite() {
        var session = Session(seed: 1)
        _ = session.execute("order user-1..1000 prod-1")
        let world = session.world
        // Room for the orders, and for the rows their sagas will write, is made before the
        // first order: the tables fill it instead of doubling their storage as they grow.
        #expect(world.orders.orders.capacity >= 1000 && world.orders.orders.count == 1000)
        #expect(world.node(.orders).outbox.capacity >= 1000 * World.outboxRowsPerOrder)
        #expect(world.node(.payment).outbox.capacity >= 1000 * World.outboxRowsPerOrder)
        #expect(world.eventStore.capacity >= 1000 * World.eventsPerOrder)
        #expect(world.published.capacity >= 1000 * World.eventsPerOrder)
        // Room is not rows: the world is the one its orders make one by one.
        var single = Session(seed: 1)
        for n in 1...1000 { _ = single.execute("order user-\(n) prod-1") }
        #expect(single.world == world && single.world.orders.orders.capacity < 1000 * 2)
        // A few orders' tables stay tight: the explorer copies a table's room with it.
        var few = Session(seed: 1)
        _ = few.execute("order user-1..3 prod-1")
        #expect(few.world.eventStore.capacity < World.eventsPerOrder * 3)
    }

    @Test func noRoomIsMadeWhereTheAddressSpaceCannotHoldIt() {
        // Under `ulimit -v`, room taken ahead could abort the lab before the range's own
        // checks stop it; the ceiling is asked first.
        var bytesAsked: [Int] = []
        let tight = MemoryCeiling(check: { nil }, allowsReserving: { bytesAsked.append($0); return false })
        var session = Session(seed: 1)
        _ = session.execute("order user-1..1000 prod-1", watch: CommandWatch(memory: tight))
        #expect(bytesAsked == [World.roomBytes(forOrders: 1000)] && bytesAsked[0] > 1000 * 1000)
        #expect(session.world.eventStore.capacity < 1000 * World.eventsPerOrder)
        #expect(session.world.orders.orders.count == 1000)
    }

    @Test func failuresAreCountedByAnswer() {
        var session = Session(seed: 1)
        _ = session.execute("crash orders at after-commit")
        let reply = session.execute("order u-1..4 prod-2")
        #expect(reply.text == "no response to 1 request: the connection dropped (yet ord-1 was saved)\n"
            + "503: orders is down; nothing was saved (3 requests)")
        #expect(session.world.orders.orders.count == 1)
    }

    @Test func aRejectedRangeChangesNothing() {
        var session = Session(seed: 1)
        let before = session.world
        for line in ["order user-1..3 prod-9", "order user-3..1 prod-1", "order user-1..3 prod-1 key=k"] {
            #expect(session.execute(line).isError)
            #expect(session.world == before)
        }
    }

    @Test func anInterruptedRangeIsSavedAsTheRequestsItSent() {
        var session = Session(seed: 1)
        var asked = 0
        let watch = CommandWatch(shouldStop: { asked += 1; return asked > 1 })
        let reply = session.execute("order user-1..10000 prod-1", watch: watch)
        #expect(reply.isInterrupted)
        let sent = 2 * Session.ordersBetweenChecks
        #expect(session.world.orders.orders.count == sent)
        #expect(session.scriptText.contains("order user-1..\(sent) prod-1\n"))
    }
}
