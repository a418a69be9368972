@testable import SagaLab
import Testing

/// `flow` rewires the saga for new orders; an order in flight finishes on the flow it
/// started with, as `mode` already promised for orchestration.
@Suite struct FlowSwitchTests {
    @Test(arguments: [Flow.inventoryFirst, .paymentFirst])
    func anOrderInFlightFinishesOnItsOwnFlow(_ first: Flow) {
        var w = World()
        w.setFlow(first)
        let id = Lab.order(&w)
        for _ in 0..<4 { w.step() }
        let other: Flow = first == .inventoryFirst ? .paymentFirst : .inventoryFirst
        w.setFlow(other)
        let late = Lab.order(&w, "bob", [Lab.item("prod-2")])
        w.run()
        #expect(w.orders.order(id)?.flow == first)
        #expect(w.orders.order(late)?.flow == other)
        #expect(Lab.orderStatus(w, id) == .confirmed, "the order in flight was not stranded")
        #expect(Lab.orderStatus(w, late) == .confirmed)
        #expect(w.payment.charges.count == 2, "each order charged once")
        #expect(w.inventory.reservations.count == 2, "each order reserved once")
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func newOrdersFollowTheNewFlow() {
        var w = World()
        w.setFlow(.paymentFirst)
        Lab.order(&w)
        w.step()
        #expect(w.pending.contains { item in
            if case .deliver(let delivery) = item.action { return delivery.target == .payment }
            return false
        }, "order.created goes to payment first")
    }
}
