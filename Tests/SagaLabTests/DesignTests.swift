@testable import SagaLab
import Testing

/// `design`: the reference designs as presets, judged on what they set in the world.
@Suite struct DesignTests {
    @Test func theKafkaShopChargesFirstWithItsFailureRatesAndNoProtection() {
        var w = World()
        w.adopt(.kafka)
        #expect(w.flow == .paymentFirst)
        #expect(w.mode == .choreography)
        #expect(!ServiceName.publishers.contains { w.patterns.usesOutbox($0) })
        #expect(ServiceName.allCases.allSatisfy { w.patterns.idempotency(of: $0) == .off })
        #expect(w.failures[.payment] == .percent(30) && w.failures[.inventory] == .percent(20))
        #expect(w.follows(.kafka))
        #expect(!w.follows(.eventBridge))
    }

    @Test func theEventBridgeShopHandlesInventoryAsItsDocumentDoes() {
        var w = World()
        w.adopt(.eventBridge)
        #expect(w.patterns.idempotency(of: .inventory) == .checkThenAct)
        #expect(w.patterns.idempotency(of: .payment) == .on)
        #expect(w.rules.contains { $0.target == .rewards && $0.eventType == .orderCreated })
    }

    @Test func theBoongSagaRetriesAtAConstantSecond() {
        var w = World()
        w.adopt(.boong)
        #expect(w.flow == .parallel)
        #expect(SagaTask.steps.allSatisfy { w.retryPolicy($0).backoffRate == 1.0 && w.retryPolicy($0).maxAttempts == 3 })
        #expect(w.settings.stepTimeout == 5 * VirtualTime.second)
    }

    @Test func aDesignUndoesWhatAnotherSetAndKeepsOrdersInFlightOnTheirWay() {
        var w = World()
        w.adopt(.kafka)
        let id = Lab.order(&w)
        w.adopt(.stepFunctions)
        #expect(w.failures.isEmpty)
        #expect(w.flow == .inventoryFirst && w.mode == .orchestration)
        #expect(w.catalog.price(of: "laptop") == 129_999)
        #expect(w.follows(.stepFunctions))
        w.run()
        #expect(w.orders.order(id)?.mode == .choreography)
        #expect(w.orders.order(id)?.flow == .paymentFirst)
        #expect(w.orders.order(id)?.status != .pending, "the order placed under the Kafka shop settled")
    }

    @Test func aFreshWorldFollowsNoDesignAndChangingOneSettingLeavesIt() {
        var w = World()
        #expect(!Design.allCases.contains(where: w.follows))
        w.adopt(.boong)
        try? w.set("publish-interval", 5 * VirtualTime.second)
        #expect(!w.follows(.boong))
    }
}
