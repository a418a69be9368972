@testable import SagaLab
@testable import SagaKernel
import Testing

/// The lab's promise, checked by search: with every pattern on, no schedule breaks an
/// invariant; with one switched off, `explore` finds the bug that switch exists for.
/// Budgets are stated with each test; every search here exhausts within them.
@Suite struct PromiseTests {
    /// Every pattern on, then `changes` (lab commands), then one order of prod-1x2.
    static func world(_ changes: [String] = [], orders: Int = 1) -> World {
        var session = Session()
        for line in ["pattern all on"] + changes + (1...orders).map({ "order user-\($0) prod-1x2" }) {
            let reply = session.execute(line)
            #expect(!reply.isError, "`\(line)` was rejected: \(reply.text)")
        }
        return session.world
    }

    static let oneFault = Explorer.Budget(depth: 60, states: 400_000, faults: 1)

    static func broken(_ report: Explorer.Report) -> String? {
        if case .broken(let example) = report.ending { return example.invariantId }
        return nil
    }

    // MARK: - every pattern on: exhausted

    @Test(arguments: [SagaMode.choreography, .orchestration])
    func everyPatternOnSurvivesEveryScheduleWithOneFault(_ mode: SagaMode) {
        let report = Explorer(budget: PromiseTests.oneFault).explore(PromiseTests.world(["mode \(mode.rawValue)"]))
        #expect(report.ending == .exhausted, "\(mode): \(report.ending)")
    }

    @Test func everyPatternOnSurvivesTwoFaultsInOrchestration() {
        let world = PromiseTests.world(["mode orchestration"])
        let report = Explorer(budget: .init(depth: 60, states: 1_000_000, faults: 2)).explore(world)
        #expect(report.ending == .exhausted, "\(report.ending)")
    }

    @Test(arguments: [SagaMode.choreography, .orchestration])
    func fiveHundredRandomSchedulesKeepEveryInvariant(_ mode: SagaMode) {
        let world = PromiseTests.world(["mode \(mode.rawValue)"], orders: 2)
        let report = Swarm(schedules: 500, budget: .init(depth: 400, faults: 2)).play(from: world)
        #expect(report.played == 500)
        #expect(report.ending == .held, "\(mode): \(report.ending)")
    }

    /// Consumers working on several deliveries at once, with the recipe that marks in the
    /// effect's transaction. Schedule 1090 of these once found a queue left behind by a
    /// partition: the consumer, connected again, never took from it.
    @Test func concurrentConsumersKeepEveryInvariantOverTwelveHundredRandomSchedules() {
        let world = PromiseTests.world(["set concurrency inventory 3", "set concurrency payment 2",
                                        "recipe inventory mark+effect+emit ack"], orders: 3)
        let report = Swarm(schedules: 1200, budget: .init(depth: 400, faults: 3)).play(from: world)
        #expect(report.played == 1200)
        #expect(report.ending == .held, "\(report.ending)")
    }

    // MARK: - one switch off: its bug is found; on: exhausted

    @Test func theOutboxOffLosesAnEventToACrash() {
        let off = Explorer(budget: PromiseTests.oneFault).explore(PromiseTests.world(["pattern outbox off"]))
        #expect(PromiseTests.broken(off) == "no-pending")
    }

    @Test func idempotencyOffAppliesADuplicateTwice() {
        let off = Explorer(budget: PromiseTests.oneFault).explore(PromiseTests.world(["pattern idempotency off"]))
        #expect(PromiseTests.broken(off) == "once-per-event")
        let race = Explorer(budget: PromiseTests.oneFault)
            .explore(PromiseTests.world(["pattern idempotency check-then-act inventory"]))
        #expect(PromiseTests.broken(race) == "once-per-event")
    }

    @Test func durableTimersOffStrandsAnExecutionAfterACrash() {
        let world = PromiseTests.world(["mode orchestration", "pattern durable-timers off"])
        #expect(PromiseTests.broken(Explorer(budget: PromiseTests.oneFault).explore(world)) == "no-pending")
    }

    /// A deadline shorter than the first call: the release can overtake the reserve.
    @Test func theFenceOffLetsALateReserveStandAndOnRefusesIt() {
        let setup = ["mode orchestration", "set saga-deadline 10ms"]
        let off = Explorer(budget: PromiseTests.oneFault).explore(PromiseTests.world(setup + ["pattern fence off"]))
        #expect(PromiseTests.broken(off) == "reservations-released")
        let on = Explorer(budget: PromiseTests.oneFault).explore(PromiseTests.world(setup))
        #expect(on.ending == .exhausted, "\(on.ending)")
    }

    @Test func theEventBridgeRecipeRacesWithTwoDeliveriesInProgress() {
        let racy = ["pattern outbox off inventory", "recipe inventory check effect publish mark ack",
                    "set concurrency inventory 2"]
        let found = Explorer(budget: PromiseTests.oneFault).explore(PromiseTests.world(racy))
        #expect(PromiseTests.broken(found) == "once-per-event")
        let fixed = ["recipe inventory check effect+emit+mark ack", "set concurrency inventory 2"]
        let none = Explorer(budget: PromiseTests.oneFault).explore(PromiseTests.world(fixed))
        #expect(none.ending == .exhausted, "\(none.ending)")
    }

    // MARK: - beyond the bus's promise

    @Test func aMessageLostForGoodIsFoundAndNamedAsBeyondThePromise() {
        var budget = PromiseTests.oneFault
        budget.beyondPromise = true
        let report = Explorer(budget: budget).explore(PromiseTests.world())
        guard case .broken(let example) = report.ending else {
            Issue.record("nothing found beyond the promise: \(report.ending)")
            return
        }
        #expect(!example.promisesBroken.isEmpty, "only a broken promise can break every pattern: \(example.schedule)")
    }
}
