@testable import SagaKernel
@testable import SagaLab
import Testing

/// Stock for a confirmed order moves from reserved to sold when inventory hears of the
/// confirmation; a cancelled order's stock goes back on the shelf; nothing is lost.
@Suite struct StockSoldTests {
    @Test func aConfirmedOrdersUnitsAreSoldNotReserved() {
        var world = World()
        let id = Lab.order(&world, "alice", [Lab.item("prod-1", 2)])
        _ = world.run()
        #expect(Lab.orderStatus(world, id) == .confirmed)
        #expect(world.inventory.sold("prod-1") == 2)
        #expect(world.inventory.reserved("prod-1") == 0)
        #expect(world.inventory.available["prod-1"] == 98)
        let allSold = world.inventory.reservations(forOrder: id).allSatisfy { $0.isSold }
        #expect(allSold)
        #expect(Lab.broken(world).isEmpty)
    }

    @Test func anOrderReservedTwiceSellsBothReservations() {
        // A duplicate reserved twice (idempotency off): the confirmation sells all of it.
        var db = InventoryDB()
        let order = OrderId(number: 1)
        db.reserve([Lab.item("prod-1", 2)], for: order, event: EventId(number: 1), at: 0)
        db.reserve([Lab.item("prod-1", 2), Lab.item("prod-2", 1)], for: order, event: EventId(number: 1), at: 5)
        #expect(db.markSold(order) == [Lab.item("prod-1", 2), Lab.item("prod-1", 2), Lab.item("prod-2", 1)])
        #expect(db.sold("prod-1") == 4 && db.reserved("prod-1") == 0 && db.sold("prod-2") == 1)
        #expect(db.markSold(order).isEmpty, "nothing is left to sell")
        #expect(db.reservations(forOrder: order).map(\.items.count) == [1, 2], "each reservation keeps its own items")
    }

    @Test func untilTheConfirmationArrivesTheUnitsStayReserved() {
        var world = World()
        let id = Lab.order(&world, "alice", [Lab.item("prod-1", 2)])
        while world.orders.order(id)?.status != .confirmed, world.step() {}
        #expect(world.inventory.reserved("prod-1") == 2)
        #expect(world.inventory.sold("prod-1") == 0)
    }

    @Test func aCancelledOrderSellsNothingAndConservesStock() {
        let (session, _) = Lab.session(["fail payment next", "order alice prod-1x3", "run"])
        let world = session.world
        #expect(world.orders.orders.first?.status == .cancelled)
        #expect(world.inventory.sold("prod-1") == 0)
        #expect(world.inventory.reserved("prod-1") == 0)
        #expect(world.inventory.available["prod-1"] == 100)
        #expect(world.inventory.isConserved)
    }

    @Test func anOrchestratedConfirmationAlsoSells() {
        let (session, _) = Lab.session(["mode orchestration", "order alice prod-2", "run"])
        #expect(session.world.orders.orders.first?.status == .confirmed)
        #expect(session.world.inventory.sold("prod-2") == 1)
    }

    @Test func releasingASoldReservationPutsItBackAndKeepsTheBooksBalanced() {
        var inventory = InventoryDB()
        inventory.reserve([Lab.item("prod-3", 2)], for: OrderId(number: 1), event: EventId(number: 1), at: 0)
        #expect(inventory.markSold(OrderId(number: 1)).count == 1)
        #expect(inventory.markSold(OrderId(number: 1)).isEmpty)
        #expect(inventory.sold("prod-3") == 2)
        #expect(inventory.release(OrderId(number: 1)).count == 1)
        #expect(inventory.sold("prod-3") == 0)
        #expect(inventory.available["prod-3"] == 25)
        #expect(inventory.isConserved)
    }
}
