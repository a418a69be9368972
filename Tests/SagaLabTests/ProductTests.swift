@testable import SagaLab
import Testing

/// `product`: the shop's catalogue is the world's, so a product can be added or repriced,
/// and an unknown one is refused before anything changes.
@Suite struct ProductTests {
    @Test func aNewProductCanBeOrderedAtItsPrice() {
        var (session, _) = Lab.session(["product laptop 1299.99", "product monitor 349.99 5",
                                        "order customer-123 laptop monitorx2", "run quiet"])
        let w = session.world
        #expect(w.catalog.price(of: "laptop") == 129_999)
        #expect(w.orders.order("ord-1")?.total == 129_999 + 2 * 34_999)
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(w.inventory.available["monitor"] == 3)
        #expect(w.inventory.supplied["laptop"] == ProductCatalog.defaultStock)
        #expect(Lab.broken(w).subtracting(["points-confirmed-only"]).isEmpty)
        #expect(!session.execute("product laptop 999").isError)
        #expect(session.world.orders.order("ord-1")?.total == 129_999 + 2 * 34_999, "a placed order keeps its total")
    }

    @Test(arguments: ["order alice prod-9", "order alice prod-1x", "stock prod-4 1", "order alice laptop"])
    func anUnknownProductIsRefusedAndChangesNothing(_ line: String) {
        var session = Session()
        let before = session.world
        let reply = session.execute(line)
        #expect(reply.isError)
        #expect(reply.text.contains("unknown product"))
        #expect(!reply.text.contains("\n"))
        #expect(session.world == before)
    }
}
