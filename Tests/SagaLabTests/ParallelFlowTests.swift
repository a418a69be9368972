@testable import SagaLab
import Testing

/// `flow parallel`, the Boong saga's fan-out: inventory and payment act on order.created
/// at once, and a failure of one makes the other undo its part directly.
@Suite struct ParallelFlowTests {
    static func world(_ failing: FailingService?) -> (World, OrderId) {
        var w = World()
        w.setFlow(.parallel)
        if let failing { w.setFailure(failing, .next) }
        let id = Lab.order(&w)
        w.run()
        return (w, id)
    }

    @Test func bothStepsSucceedAndTheOrderIsConfirmed() {
        let (w, id) = ParallelFlowTests.world(nil)
        #expect(Lab.orderStatus(w, id) == .confirmed)
        #expect(w.inventory.reservations(forOrder: id).count == 1)
        #expect(w.payment.charges.count == 1)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func aDeclinedChargeMakesInventoryReleaseOnPaymentFailed() {
        let (w, id) = ParallelFlowTests.world(.payment)
        #expect(Lab.orderStatus(w, id) == .cancelled)
        #expect(w.inventory.reservations(forOrder: id).isEmpty)
        let failed = w.published.first { $0.event.type == .paymentFailed }?.event.id ?? "evt-0"
        let released = Lab.applied(w, .inventory, .event(failed))
        #expect(released == 1, "inventory released on payment.failed itself")
        #expect(Lab.broken(w).subtracting(["points-confirmed-only"]).isEmpty)
    }

    @Test func missingItemsMakePaymentRefundOnReservationFailed() {
        let (w, id) = ParallelFlowTests.world(.inventory)
        #expect(Lab.orderStatus(w, id) == .cancelled)
        #expect(w.payment.charges.allSatisfy { $0.refunded })
        let failed = w.published.first { $0.event.type == .inventoryReservationFailed }?.event.id ?? "evt-0"
        let refunded = Lab.applied(w, .payment, .event(failed))
        #expect(refunded == 1, "payment refunded on inventory.reservation.failed itself")
        #expect(Lab.broken(w).subtracting(["points-confirmed-only"]).isEmpty)
    }

    @Test func inventoryAndPaymentCanNowSubscribeToEachOthersFailures() throws {
        var w = World()
        try w.subscribe(.inventory, to: .paymentFailed)
        try w.subscribe(.payment, to: .inventoryReservationFailed)
        #expect(w.rules.contains { $0.target == .inventory && $0.eventType == .paymentFailed && $0.handler == .releaseStock })
    }
}
