@testable import SagaLab
@testable import SagaKernel
import Testing

/// Ctrl-C during `explore` and `explore random` in a large world, where settling a
/// schedule and shrinking a counterexample take thousands of steps each: the search asks
/// between those steps too, ends at the first "stop", and what it then reports is either
/// "stopped" or a schedule that still breaks the invariant, marked as not minimal.
@Suite struct ExploreStopTests {
    /// Three hundred orders in the lab's first design, where points are awarded on
    /// order.created: running to the end breaks "points only for confirmed orders", and
    /// every settling runs all the orders through.
    static let large = Lab.session(["order user-1..300 prod-1"]).0.world

    /// A watch that says stop from its `limit + 1`th asking on, and counts the askings
    /// that said stop.
    final class Stopper {
        let limit: Int
        var asked = 0
        var saidStop = 0
        init(after limit: Int) { self.limit = limit }
        func ask() -> Bool {
            asked += 1
            if asked > limit { saidStop += 1 }
            return asked > limit
        }
    }

    @Test func theSearchAsksWhileItSettlesAndShrinksAndEndsAtTheFirstStop() {
        let world = ExploreStopTests.large
        let whole = Stopper(after: Int.max)
        guard case .broken(let minimal) = Explorer(budget: .init(faults: 1)).explore(world, until: whole.ask).ending else {
            Issue.record("the large world breaks nothing")
            return
        }
        #expect(minimal.isMinimal)
        // A few dozen states; the rest of the askings come between the steps of settling
        // the world again and again while the schedule shrinks.
        #expect(whole.asked > 5_000)
        var notMinimal = 0
        var stopped = 0
        for limit in stride(from: 7, to: whole.asked, by: whole.asked / 20) {
            let stopper = Stopper(after: limit)
            let report = Explorer(budget: .init(faults: 1)).explore(world, until: stopper.ask)
            #expect(stopper.saidStop == 1, "stopped at asking \(limit + 1), the search went on asking")
            switch report.ending {
            case .stopped:
                stopped += 1
            case .broken(let example):
                #expect(example.invariantId == minimal.invariantId)
                #expect(Counterexample.replay(example.schedule, on: world)?.invariant.id == example.invariantId,
                        "the schedule a stopped shrinking leaves still breaks the invariant")
                if !example.isMinimal { notMinimal += 1 }
            default:
                Issue.record("stopped at asking \(limit + 1): \(report.ending)")
            }
        }
        #expect(stopped > 0 && notMinimal > 0)
    }

    @Test func aCounterexampleLeftPartlyShrunkSaysSo() {
        let world = ExploreStopTests.large
        let whole = Stopper(after: Int.max)
        _ = Explorer(budget: .init(faults: 1)).explore(world, until: whole.ask)
        // The first stop, from the middle of the search on, that leaves a schedule to shrink.
        let partly = stride(from: whole.asked / 2, to: whole.asked, by: 97).lazy.map { limit in
            Explorer(budget: .init(faults: 1)).explore(world, until: Stopper(after: limit).ask)
        }.first { report in
            if case .broken(let example) = report.ending { return !example.isMinimal } else { return false }
        }
        guard let report = partly, case .broken(let example) = report.ending else {
            Issue.record("no stop left a counterexample partly shrunk")
            return
        }
        #expect(!example.schedule.isEmpty)
        let text = Views(world, style: .plain).exploration(report, Explorer.Budget(faults: 1))
        #expect(text.contains("a schedule that breaks it, Ctrl-C stopped its shrinking ("))
        #expect(!text.contains("minimal"))
        var random = Swarm.Report()
        random.played = 2
        random.ending = .broken(example, number: 2)
        let swarmText = Views(world, style: .plain).swarm(random, Swarm(schedules: 5))
        #expect(swarmText.contains("schedule 2, partly shrunk before Ctrl-C ("))
        #expect(!swarmText.contains("shrunk to what it needs"))
    }

    @Test func theSwarmStopsInsideASchedule() {
        let world = ExploreStopTests.large
        let stopper = Stopper(after: 50)
        let report = Swarm(schedules: 3).play(from: world, until: stopper.ask)
        #expect(report.ending == .stopped)
        #expect(report.played == 0)
        #expect(report.actions <= 50 && report.actions > 0)
        #expect(stopper.saidStop == 1)
    }

    /// A state with forty deliveries to inventory waiting has as many moves: the search
    /// asks between them, and stops inside the state.
    @Test func theSearchStopsBetweenTheMovesOfOneState() {
        var world = World()
        for n in 1...40 { Lab.order(&world, "cust-\(n)", [Lab.item("prod-1")]) }
        world.step()
        let moves = world.moves(faults: false).count
        #expect(moves >= 40)
        var explorer = Explorer(budget: .init(faults: 0))
        explorer.reduces = false
        let stopper = Stopper(after: 10)
        let report = explorer.explore(world, until: stopper.ask)
        #expect(report.ending == .stopped)
        #expect(report.explored == 1 + 10, "the start and the moves made before the eleventh asking")
        #expect(stopper.saidStop == 1)
    }

    /// A world with many events in flight offers one delay of each, in the order their
    /// first deliveries wait, as a look along the list would find them.
    @Test func everyEventInFlightIsOfferedOneDelay() {
        var world = World()
        for n in 1...40 { Lab.order(&world, "cust-\(n)", [Lab.item("prod-1")]) }
        world.step()
        var expected: [EventId] = []
        for item in world.pending {
            if case .deliver(let delivery) = item.action, !expected.contains(delivery.event.id) {
                expected.append(delivery.event.id)
            }
        }
        #expect(expected.count == 40)
        let delayed = world.moves(faults: true, beyondPromise: false, sinksBackLast: false).compactMap { move -> EventId? in
            if case .delay(let id, _) = move.action { return id } else { return nil }
        }
        #expect(delayed == expected)
    }
}
