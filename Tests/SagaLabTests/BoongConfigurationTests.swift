@testable import SagaKernel
@testable import SagaLab
import Testing

/// The Boong saga's configuration: three retries one second apart (constant backoff) and
/// a compensation timeout of five seconds, for choreographed handlers and orchestrated
/// compensation calls alike.
@Suite struct BoongConfigurationTests {
    static let second = VirtualTime.second

    static func letters(_ w: World, _ service: ServiceName) -> [DeadLetter] { w.node(service).deadLetters }

    @Test func thePresetSetsTheDocumentsRetriesAndTimeout() {
        var w = World()
        w.adopt(.boong)
        let policy = w.settings.consumerRetries
        #expect(policy.immediate == 0 && policy.delayed == 3)
        #expect(policy.delay == Self.second && policy.backoff == .constant)
        #expect(w.settings.compensationTimeout == 5 * Self.second)
        #expect((1...3).map { policy.wait(beforeDelayed: $0) } == [Self.second, Self.second, Self.second])
    }

    @Test func constantBackoffWaitsTheSameEachTime() {
        var w = World()
        w.changeRetries(.consumers(immediate: 0, delayed: 3, delay: 2 * Self.second, backoff: .constant))
        w.setHandlerError(.rewards, .always)
        Lab.order(&w)
        w.run()
        let letter = Self.letters(w, .rewards).first
        #expect(letter?.attempts == 4)
        let tries = w.trace.filter { $0.kind == .deliver && $0.service == .rewards && $0.eventId == "evt-1" }.map(\.time)
        #expect(tries.count == 4)
        #expect(zip(tries.dropFirst(), tries).allSatisfy { $0 - $1 == 2 * Self.second })
    }

    @Test func aCompensationIsNotRetriedPastTheTimeout() {
        var w = World()
        w.adopt(.boong)
        w.changeRetries(.consumers(immediate: nil, delayed: 10, delay: nil))
        w.setHandlerError(.payment, .always)
        w.setFailure(.inventory, .next)
        Lab.order(&w)
        w.run()
        let letters = Self.letters(w, .payment)
        // order.created (a forward step) uses all ten retries; the refund and the cancel
        // compensations stop once another retry would end past 5 s.
        #expect(letters.map(\.attempts) == [11, 6, 6])
    }

    @Test func withoutTheTimeoutACompensationRetriesAsLongAsItsPolicySays() {
        var w = World()
        w.adopt(.boong)
        _ = try? w.set("compensation-timeout", 0)
        w.changeRetries(.consumers(immediate: nil, delayed: 10, delay: nil))
        w.setHandlerError(.payment, .always)
        w.setFailure(.inventory, .next)
        Lab.order(&w)
        w.run()
        #expect(Self.letters(w, .payment).map(\.attempts) == [11, 11, 11])
    }

    @Test func anOrchestratedCompensationCallUsesTheCompensationTimeout() throws {
        var w = World()
        w.setMode(.orchestration)
        try w.set("compensation-timeout", 2 * Self.second)
        #expect(w.timeout(of: .releaseInventory) == 2 * Self.second)
        #expect(w.timeout(of: .reserveInventory) == w.settings.stepTimeout)
        try w.set("compensation-timeout", 0)
        #expect(w.timeout(of: .releaseInventory) == w.settings.stepTimeout)
    }
}
