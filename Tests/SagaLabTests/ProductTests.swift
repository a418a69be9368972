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

    @Test func aCountWrittenBeforeItsProductIsExplained() {
        var session = Session()
        let before = session.world
        let reply = session.execute("order alice 2 prod-1")
        #expect(reply.isError)
        #expect(reply.text.contains("unknown product '2'"))
        #expect(reply.text.hasSuffix("; a quantity follows its product, like prod-1x2"))
        #expect(session.world == before)
        #expect(!session.execute("order alice prod-9").text.contains("quantity"), "a product's name is not a count")
    }

    /// Sums over every order stay inside a 64-bit count of cents: one order's total is at
    /// most $1,000,000,000.00, and a larger one is refused before anything changes.
    @Test(arguments: ["order alice bigx10000", "order user-1..3 bigx10000 bigx10000",
                      "order alice " + Array(repeating: "bigx10000", count: 2_000).joined(separator: " ")])
    func anOrderTooLargeIsRefusedAndChangesNothing(_ line: String) {
        var (session, _) = Lab.session(["product big 1000000"])
        let before = session.world
        let reply = session.execute(line)
        #expect(reply.isError)
        #expect(reply.text.contains("an order's total must be at most $1000000000.00"), "\(reply.text)")
        #expect(!reply.text.contains("\n"))
        #expect(session.world == before)
        #expect(!session.execute("order alice bigx1000").isError, "a total of exactly the most is fine")
    }
}
