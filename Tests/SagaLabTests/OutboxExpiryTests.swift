@testable import SagaLab
import Testing

/// Published outbox rows live for outbox-ttl (the EventBridge shop: 30 days), then go.
@Suite struct OutboxExpiryTests {
    @Test func publishedRowsExpireAfterTheirTTLAndUnpublishedOnesNever() throws {
        var w = World()
        try w.set("outbox-ttl", VirtualTime.day)
        Lab.order(&w)
        w.run()
        #expect(w.node(.orders).outbox.count == 2)
        try w.partition(.orders)
        Lab.order(&w, "bob", [Lab.item("prod-2")])
        w.advance(by: 2 * VirtualTime.day)
        try w.heal()
        _ = w.poll(.orders)
        let rows = w.outboxRows(of: .orders)
        #expect(rows.map(\.event.orderId) == ["ord-2"], "the day-old published rows went; the new one was published now")
        #expect(w.node(.orders).outbox.unpublishedCount == 0)
        #expect(w.settings.outboxTTL == VirtualTime.day)
    }

    @Test func aReadHidesRowsPastTheirTTLBeforeTheyAreDeleted() {
        var w = World()
        Lab.order(&w)
        w.run()
        let outbox = w.node(.orders).outbox
        #expect(outbox.live(now: w.now, ttl: w.settings.outboxTTL) { w.event($0) }.count == outbox.count)
        #expect(outbox.live(now: w.now + 31 * VirtualTime.day, ttl: w.settings.outboxTTL) { w.event($0) }.isEmpty)
    }
}
