@testable import SagaLab
import Testing

/// The EventBridge shop's alarms fire past their thresholds and not before.
@Suite struct AlarmTests {
    static func declined(_ count: Int) -> World {
        var w = World()
        w.setFailure(.payment, .percent(100))
        for n in 1...count { Lab.order(&w, "cust-\(n)", [Lab.item("prod-1")]) }
        w.run()
        return w
    }

    static func firing(_ name: String, _ w: World) -> Bool? {
        Metrics(w).alarms.first { $0.name == name }?.firing
    }

    @Test func eventProcessingFailureFiresAfterMoreThanFiveFailedEvents() {
        let five = AlarmTests.declined(5)
        #expect(Metrics(five).failedEvents == 5)
        #expect(AlarmTests.firing("EventProcessingFailure", five) == false)
        let six = AlarmTests.declined(6)
        #expect(Metrics(six).failedEvents == 6)
        #expect(AlarmTests.firing("EventProcessingFailure", six) == true)
    }
}
