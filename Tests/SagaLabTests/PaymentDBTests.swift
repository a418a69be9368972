@testable import SagaKernel
import Testing

/// The payment service's charges, found by order: an order charged more than once (a
/// duplicate handled with idempotency off) has every charge found and refunded together.
@Suite struct PaymentDBTests {
    private func charge(_ number: Int32, _ order: OrderId, _ amount: Int) -> PaymentDB.Charge {
        PaymentDB.Charge(id: ChargeId(number: number), orderId: order, customer: "alice", amount: amount, refunded: false, at: 0)
    }

    @Test func anOrdersChargesAreFoundAndRefundedTogether() {
        var db = PaymentDB()
        let order = OrderId(number: 1)
        let other = OrderId(number: 2)
        db.capture(charge(1, order, 10))
        db.capture(charge(2, other, 5))
        db.capture(charge(3, order, 7))
        db.capture(charge(4, order, 1))
        #expect(db.charges(forOrder: order).map(\.id.number) == [1, 3, 4])
        #expect(db.refundAll(forOrder: order) == 18)
        #expect(db.charges(forOrder: order).map(\.refunded) == [true, true, true])
        #expect(db.refundAll(forOrder: order) == nil, "nothing open is left")
        #expect(db.refundAll(forOrder: OrderId(number: 3)) == nil, "never charged")
        #expect(db.captured == 23 && db.refunded == 18)
        #expect(db.charges(forOrder: other).map(\.refunded) == [false])
    }

    @Test func aFreeChargeIsStillAChargeToRefund() {
        var db = PaymentDB()
        db.capture(charge(1, OrderId(number: 1), 0))
        #expect(db.refundAll(forOrder: OrderId(number: 1)) == 0)
        #expect(db.refundAll(forOrder: OrderId(number: 1)) == nil)
    }
}
