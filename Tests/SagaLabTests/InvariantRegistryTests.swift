@testable import SagaKernel
import Testing

/// A step judges the safety invariants by their types (`Invariants.firstBrokenSafety`),
/// listed beside the registry: the two lists must name the same invariants, in order.
struct InvariantRegistryTests {
    @Test func theStepJudgesExactlyTheRegistrysSafetyInvariants() {
        #expect(Invariants.judgedEveryStep.map { $0.init().id } == Invariants.safety.map(\.id))
        #expect(Invariants.judgedEveryStep.allSatisfy { !$0.init().isEventual })
    }

    @Test func aWorldThatHoldsEveryInvariantHasNoneBroken() {
        var world = World(seed: 1)
        #expect(withUnsafePointer(to: &world) { Invariants.firstBrokenSafety(at: $0) } == nil)
    }
}
