@testable import SagaLab
import Testing

/// The Kafka shop's analytics as its document defines them, kept beside the lab's
/// stricter truth, and its windows kept for the last 60 minutes of stream time.
@Suite struct KafkaAnalyticsTests {
    @Test func paymentsTakenCountAsSuccessEvenWhenInventoryLaterFails() {
        var w = World()
        w.adopt(.kafka)
        w.setFailure(.payment, .never)
        w.setFailure(.inventory, .percent(100))
        Lab.order(&w, "alice", [Lab.item("prod-2")])
        w.run()
        #expect(w.analytics.paymentsPassed == 1 && w.analytics.paymentRevenue == 2_500)
        #expect(w.analytics.successful == 0 && w.analytics.revenue == 0, "the lab's truth: nothing confirmed")
        #expect(w.analytics.paymentSuccessRate == 100)
    }

    @Test func windowsOlderThanAnHourOfStreamTimeAreRetired() {
        var w = World()
        Lab.order(&w)
        w.run()
        w.advance(by: 2 * VirtualTime.hour)
        Lab.order(&w, "bob", [Lab.item("prod-2")])
        w.run()
        let starts = w.analytics.windows.keys.sorted()
        #expect(starts.count == 1, "the first order's window ended two hours of stream time ago")
        #expect(starts.first.map { $0 >= 2 * VirtualTime.hour } == true)
        #expect(w.analytics.orderCount == 2, "retiring a window forgets no order")
    }
}
