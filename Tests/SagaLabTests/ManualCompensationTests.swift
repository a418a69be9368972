@testable import SagaLab
import Testing

/// `show sagas` and `compensate`: finding a stuck saga and cancelling it by hand, as the
/// EventBridge shop's troubleshooting says, and refusing when that would race the saga.
@Suite struct ManualCompensationTests {
    /// An order whose order.created was lost to a crash between commit and publish.
    static func stuck() -> (World, OrderId) {
        var w = World()
        w.setOutbox(false, for: ServiceName.publishers)
        try? w.arm(.orders, at: .afterCommit)
        _ = w.placeOrder(customer: "alice", items: [Lab.item("prod-1", 2)])
        try? w.restart(.orders)
        w.run()
        return (w, "ord-1")
    }

    @Test func aLostOrderCreatedLeavesAStuckSaga() {
        let (w, id) = ManualCompensationTests.stuck()
        #expect(w.condition(of: w.orders.order(id)!) == .stuck)
        #expect(!w.canMove(id))
    }

    @Test func compensatingAStuckSagaCancelsItAndEveryServiceUndoesItsPart() throws {
        var (w, id) = ManualCompensationTests.stuck()
        try w.compensate("ord-1")
        w.run()
        #expect(Lab.orderStatus(w, id) == .cancelled)
        #expect(w.orders.saga(forOrder: id)?.compensationRequired == true)
        #expect(w.orders.saga(forOrder: id)?.currentStep == .cancelled)
        #expect(w.published.contains { $0.event.type == .orderCancelled && $0.event.orderId == id })
        #expect(w.condition(of: w.orders.order(id)!) == .settled)
        #expect(!Lab.broken(w).contains("no-pending"))
    }

    @Test func aMovingOrderIsNotCompensated() {
        var w = World()
        let id = Lab.order(&w)
        #expect(w.condition(of: w.orders.order(id)!) == .moving)
        let before = w
        #expect(throws: WorldError.self) { try w.compensate("ord-1") }
        #expect(w == before)
    }

    @Test func settledOrchestratedOrUnknownOrdersAreRefusedWithoutChange() {
        var (w, _) = ManualCompensationTests.stuck()
        var settled = World()
        Lab.order(&settled)
        settled.run()
        let before = settled
        #expect(throws: WorldError.self) { try settled.compensate("ord-1") }
        #expect(settled == before)
        var orchestrated = World()
        orchestrated.setMode(.orchestration)
        Lab.order(&orchestrated)
        #expect(throws: WorldError.self) { try orchestrated.compensate("ord-1") }
        #expect(throws: WorldError.self) { try w.compensate("ord-9") }
    }

    @Test func aDeadLetterAboutTheOrderCountsAsAWayForward() {
        var w = World()
        w.setHandlerError(.inventory, .always)
        let id = Lab.order(&w)
        w.run()
        #expect(w.node(.inventory).deadLetters.isEmpty == false)
        #expect(w.condition(of: w.orders.order(id)!) == .moving, "a redrive can still carry it on")
    }
}
