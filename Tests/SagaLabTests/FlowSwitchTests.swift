@testable import SagaKernel
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

    /// The bus routes by a table of the rules by event (`Routes`), made again whenever the
    /// rules change: through flows, subscriptions, unsubscriptions and the rewards design,
    /// it must name exactly the rules that match, in their order.
    @Test func theRoutesAreTheRulesThatMatchWhateverChangedThem() throws {
        var w = World()
        var r = SeededGenerator(seed: 7)
        func expectRoutesAgree(_ when: String) {
            for type in EventType.allCases {
                for orchestrated in [false, true] {
                    #expect(w.routes.rules(for: type, orchestrated: orchestrated)
                            == w.rules.filter { $0.matches(type, orchestrated: orchestrated) },
                            "\(when): \(type.rawValue), orchestrated \(orchestrated)")
                }
            }
        }
        expectRoutesAgree("a new world")
        for step in 0..<60 {
            let service = ServiceName.allCases[r.int(in: 0...(ServiceName.allCases.count - 1))]
            let type = EventType.allCases[r.int(in: 0...(EventType.allCases.count - 1))]
            switch r.int(in: 0...2) {
            case 0: w.setFlow(Flow.allCases[r.int(in: 0...(Flow.allCases.count - 1))])
            case 1: try? w.subscribe(service, to: type)
            default: try? w.unsubscribe(service, from: type)
            }
            expectRoutesAgree("after change \(step)")
        }
    }
}
