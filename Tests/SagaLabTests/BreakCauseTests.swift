@testable import SagaLab
@testable import SagaKernel
import Testing

/// A processed mark that outlived its TTL, and the set-up causes `explore` names under a
/// counterexample (`BreakCause`): each read from the broken world, and absent where the
/// world did not show it.
@Suite struct BreakCauseTests {
    /// The counterexample `explore` finds in the world the lines build, with every pattern on.
    static func found(_ lines: [String], faults: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) -> Counterexample? {
        let (session, _) = Lab.session(["pattern all on"] + lines, sourceLocation: sourceLocation)
        let report = Explorer(budget: .init(faults: faults)).explore(session.world)
        guard case .broken(let example) = report.ending else { return nil }
        return example
    }

    static func expiredMarks(_ world: World) -> [(service: ServiceName?, id: ProcessedKey, markedAt: Millis)] {
        world.trace.compactMap { entry in
            if case .message(.markExpired(let id, let markedAt, _)) = entry.what { return (entry.service, id, markedAt) }
            return nil
        }
    }

    @Test func aDuplicateAfterTheTTLFindsTheMarkExpiredAndIsHandledAsNew() {
        var (session, _) = Lab.session(["set processed-ttl 1m", "order alice prod-1", "run", "advance 2m"])
        #expect(BreakCauseTests.expiredMarks(session.world).isEmpty)
        _ = session.execute("duplicate evt-1")
        _ = session.execute("run")
        let expired = BreakCauseTests.expiredMarks(session.world)
        #expect(expired.contains { $0.service == .inventory && $0.id == .event(EventId(number: 1)) })
        for mark in expired { #expect(session.world.now - mark.markedAt >= VirtualTime.minute) }
        #expect(Lab.applied(session.world, .inventory, .event(EventId(number: 1))) == 2)
    }

    @Test func aDuplicateWithinTheTTLIsSkippedAndNoMarkExpires() {
        var (session, _) = Lab.session(["order alice prod-1", "run", "advance 2m"])
        _ = session.execute("duplicate evt-1")
        _ = session.execute("run")
        #expect(BreakCauseTests.expiredMarks(session.world).isEmpty)
        #expect(Lab.applied(session.world, .inventory, .event(EventId(number: 1))) == 1)
    }

    @Test func checkThenActNamesAnExpiredMarkOncePerDelivery() {
        var (session, _) = Lab.session(["pattern idempotency check-then-act", "set processed-ttl 1m", "order alice prod-1",
                                        "run", "advance 2m"])
        _ = session.execute("duplicate evt-1")
        _ = session.execute("run")
        let inventory = BreakCauseTests.expiredMarks(session.world).filter { $0.service == .inventory }
        #expect(inventory.count == 1, "the check says it; the mark stage that reads the table again does not")
    }

    @Test func exploreNamesTheExpiredMarkWhenTheTTLIsShort() {
        guard let example = BreakCauseTests.found(["mode orchestration", "set processed-ttl 1m", "order alice prod-1x2"],
                                                  faults: 2) else {
            Issue.record("a 1-minute TTL should let a late copy through")
            return
        }
        #expect(example.causes.contains { if case .markExpired(_, _, _, _, let ttl) = $0 { ttl == VirtualTime.minute } else { false } })
        // The same schedule against the default TTL of 7 days breaks nothing.
        let (standard, _) = Lab.session(["pattern all on", "mode orchestration", "order alice prod-1x2"])
        #expect(Counterexample.replay(example.schedule, on: standard.world) == nil)
    }

    @Test func exploreNamesAParticipantSlowerThanTheStepTimeout() {
        guard let example = BreakCauseTests.found(["set step-timeout 2s", "slow rewards 2s", "mode orchestration",
                                                   "order bob prod-2"]) else {
            Issue.record("rewards slower than the step timeout should break the saga")
            return
        }
        #expect(example.causes == [.slowerThanTimeout(participant: .rewards, slowness: 2 * VirtualTime.second,
                                                      latencyMin: 20, timeout: 2 * VirtualTime.second)])
    }

    /// Calls that take longer than the step timeout on average, however fast the participant:
    /// the saga cannot settle, and the note says the network is why.
    @Test func aNetworkSlowerOnAverageThanTheStepTimeoutIsNamed() {
        let (session, _) = Lab.session(["pattern all on", "mode orchestration", "set latency-max 500s",
                                        "fail rewards error 30%", "order alice prod-1x2"])
        guard case .broken(let example, _) = Swarm(schedules: 50).play(from: session.world).ending else {
            Issue.record("calls slower than the step timeout should leave the saga unsettled")
            return
        }
        // Named once, for the network: every participant is as far away.
        let network = example.causes.filter { if case .slowerOnAverageThanTimeout = $0 { true } else { false } }
        #expect(network == [.slowerOnAverageThanTimeout(participant: nil, slowness: 0, latencyMin: 20,
                                                        latencyMax: 500 * VirtualTime.second, timeout: 5 * VirtualTime.second)])
        // The rewards handler's errors leave nothing behind here: its own queue is empty.
        #expect(!example.causes.contains { if case .handlerKeepsFailing = $0 { true } else { false } })
    }

    @Test func aHandlerFailingElsewhereIsNoCauseOfAnotherQueuesLetters() {
        var (session, _) = Lab.session(["pattern all on", "mode orchestration", "set latency-max 500s",
                                        "fail rewards error 30%", "order alice prod-1x2"])
        for line in ["run", "redrive orders", "run"] { _ = session.execute(line) }
        #expect(!session.world.node(.orders).deadLetters.isEmpty)
        #expect(session.world.node(.rewards).deadLetters.isEmpty)
        #expect(!session.world.breakCauses().contains { if case .handlerKeepsFailing = $0 { true } else { false } })
    }

    @Test func aParticipantSlowButInTimeIsNoCause() {
        #expect(BreakCauseTests.found(["set step-timeout 2s", "slow rewards 1s", "mode orchestration", "order bob prod-2"]) == nil)
    }

    @Test func exploreNamesAHandlerMadeToFailAlways() {
        guard let example = BreakCauseTests.found(["fail analytics error always", "order alice prod-1"], faults: 0) else {
            Issue.record("analytics failing every delivery should leave it behind")
            return
        }
        #expect(example.causes.contains(.handlerKeepsFailing(service: .analytics, mode: .always)))
    }

    @Test func aCounterexampleOfAMissingPatternHasNoCause() {
        var world = World()
        world.setIdempotency(.off, for: ServiceName.allCases)
        Lab.order(&world)
        guard case .broken(let example) = Explorer(budget: .init(faults: 1)).explore(world).ending else {
            Issue.record("idempotency off should break")
            return
        }
        #expect(example.causes.isEmpty)
    }
}
