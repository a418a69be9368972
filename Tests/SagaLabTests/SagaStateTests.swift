@testable import SagaKernel
import Testing

/// A saga's step records, kept inside its row: one per step name, in the order written.
@Suite struct SagaStateTests {
    @Test func everyStepNameFitsTheRecordsSlots() {
        // One record per name: the six slots hold a saga that wrote every step.
        var saga = SagaState(sagaId: SagaId(number: 1), orderId: OrderId(number: 1), at: 0)
        for (time, name) in SagaStepName.allCases.enumerated() { saga.update(name, succeeded: true, at: Millis(time)) }
        #expect(saga.steps.map(\.name) == SagaStepName.allCases)
    }

    @Test func aLaterRecordOfANameReplacesTheEarlierAndGoesLast() {
        var saga = SagaState(sagaId: SagaId(number: 1), orderId: OrderId(number: 1), at: 0)
        saga.update(.inventoryReservation, succeeded: true, at: 10)
        saga.update(.paymentProcessing, succeeded: false, at: 20, error: "card declined")
        saga.update(.inventoryReservation, succeeded: false, at: 30, error: "released")
        #expect(saga.steps.map(\.name) == [.created, .paymentProcessing, .inventoryReservation])
        #expect(saga.record(.inventoryReservation)?.at == 30)
        #expect(saga.record(.paymentProcessing)?.error == "card declined")
        #expect(saga.record(.confirmation) == nil)
    }

    @Test func equalSagasCompareAndHashAlikeWhateverTheirPast() {
        // Two sagas that end with the same records are equal, though one overwrote a record.
        var a = SagaState(sagaId: SagaId(number: 1), orderId: OrderId(number: 1), at: 0)
        var b = a
        a.update(.paymentProcessing, succeeded: false, at: 5)
        a.update(.paymentProcessing, succeeded: true, at: 7)
        b.update(.paymentProcessing, succeeded: true, at: 7)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        b.update(.confirmation, succeeded: true, at: 9)
        #expect(a != b)
        var c = b
        c.steps = b.steps
        #expect(c == b)
    }
}
