@testable import SagaLab
import Testing

/// `rollback`: after the pivot the saga goes forward (the default), or any failing step
/// compensates it, as the Step Functions shop's README has it.
@Suite struct RollbackTests {
    static func notificationFailsForGood(_ rollback: Rollback) -> (World, OrderId) {
        var w = World()
        w.setMode(.orchestration)
        w.setRollback(rollback)
        try? w.crashNow(.rewards)
        let id = Lab.order(&w)
        w.run()
        return (w, id)
    }

    @Test func byDefaultAFailedNotificationWaitsForAnOperatorWithTheCustomerCharged() {
        let (w, id) = RollbackTests.notificationFailsForGood(.pivot)
        #expect(Lab.orderStatus(w, id) == .pending)
        #expect(w.payment.charges.first?.refunded == false)
        #expect(w.node(.orders).deadLetters.count == 1)
    }

    @Test func anyStepCompensatesEverythingWhenTheNotificationFails() {
        let (w, id) = RollbackTests.notificationFailsForGood(.anyStep)
        #expect(Lab.orderStatus(w, id) == .failed)
        #expect(w.payment.charges.first?.refunded == true)
        #expect(w.inventory.reservations(forOrder: id).isEmpty)
        #expect(w.node(.orders).deadLetters.isEmpty)
        #expect(!Lab.broken(w).contains("money-balanced"))
    }

    @Test func anExecutionKeepsTheChoiceItStartedWith() {
        var w = World()
        w.setMode(.orchestration)
        w.setRollback(.anyStep)
        let id = Lab.order(&w)
        for _ in 0..<20 where w.orders.execution(forOrder: id) == nil { w.step() }
        w.setRollback(.pivot)
        #expect(w.orders.execution(forOrder: id)?.rollsBackAnyStep == true)
        #expect(w.sagaDefinition.steps.map(\.kind) == [.compensatable, .pivot, .retriable])
        w.setRollback(.anyStep)
        #expect(w.sagaDefinition.steps.allSatisfy { $0.kind == .compensatable })
    }
}
