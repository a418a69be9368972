@testable import SagaLab
@testable import SagaKernel
import Testing

/// Analytics' own faults tried where a batch of deliveries to it begins, while a fault is
/// left, and not again between them (`World.analyticsFaultsWaitForTheBatch`): the search
/// must find every break the search without the rule finds, never with a longer schedule,
/// in no more states; and the rule holds only where the batch ends the same in any order
/// and nothing else decides.
@Suite struct AnalyticsFaultsFirstTests {
    /// Designs where analytics' faults matter (it applies an event twice without its
    /// idempotency; an `order.created` held back falls late, or not, as the batch's order
    /// goes), with two orders and a fault or one order and two. (Where the rule does not
    /// hold, the two searches are one: `theRuleDoesNotHoldWhereTimeOrChanceDecides`.)
    static let cases: [(changes: [String], orders: Int, faults: Int)] = [
        (["pattern all on"], 2, 1),
        (["pattern all on", "pattern idempotency off analytics"], 2, 1),
        (["pattern all on", "pattern idempotency off analytics", "set window-grace 0s"], 2, 1),
        (["pattern all on", "delay 90s next order.created"], 2, 1),
        (["pattern all on"], 1, 2),
        (["pattern all on", "pattern idempotency off analytics"], 1, 2),
    ]

    @Test(arguments: 0..<cases.count)
    func theSearchFindsWhatItFindsWithAnalyticsFaultsAtEveryDelivery(_ index: Int) {
        let (changes, orders, faults) = AnalyticsFaultsFirstTests.cases[index]
        let world = PersistentSetTests.world(changes, orders: orders)
        let budget = Explorer.Budget(depth: 60, states: 1_000_000, faults: faults)
        let (search, reference) = PersistentSetTests.compare(world, budget, changes) { $0.analyticsFaultsFirst = false }
        #expect(search.explored <= reference.explored, "\(changes)")
        if index == 0 {
            // Every pattern on: the batches' inner moments were most of the states
            // analytics' faults started from.
            #expect(search.ending == .exhausted)
            #expect(search.explored * 3 < reference.explored * 2, "\(search.explored) against \(reference.explored)")
        }
    }

    /// The world at the first pause, where nothing but deliveries to sinks can be picked and
    /// some go to analytics, reached by taking the first move each time; and its pending items.
    static func firstPause(_ changes: [String], orders: Int = 2) -> (World, [Agenda.Item])? {
        var world = PersistentSetTests.world(changes, orders: orders)
        for _ in 0..<200 {
            let moves = world.moves(faults: false)
            guard let first = moves.first else { return nil }
            if moves.allSatisfy({ $0.item?.action.reachesSink ?? false }) && moves.contains(where: { $0.action.deliversToAnalytics }) {
                return (world, world.pending)
            }
            guard world.make(first) else { return nil }
        }
        return nil
    }

    @Test func theRuleHoldsInAPauseWhoseBatchEndsAlike() throws {
        let (world, pending) = try #require(AnalyticsFaultsFirstTests.firstPause(["pattern all on"]))
        #expect(world.analyticsFaultsWaitForTheBatch(pending: pending))
    }

    /// A report on a timer reads analytics as it stands, a handler error or a failure
    /// percentage decides by chance: then every moment of the batch counts.
    @Test(arguments: [["set analytics-report 10s"], ["fail analytics error 50%"], ["fail payment 50%"],
                      ["crash analytics at after-effect"]])
    func theRuleDoesNotHoldWhereTimeOrChanceDecides(_ changes: [String]) throws {
        let (world, pending) = try #require(AnalyticsFaultsFirstTests.firstPause(["pattern all on"] + changes))
        #expect(!world.analyticsFaultsWaitForTheBatch(pending: pending), "\(changes)")
    }

    @Test func analyticsOwnFaultsAreItsCrashesAndItsCut() throws {
        let (world, _) = try #require(AnalyticsFaultsFirstTests.firstPause(["pattern all on"]))
        let own = world.moves(faults: true).map(\.action).filter(\.isAnalyticsOwnFault)
        #expect(own.contains(.crash(.analytics)) && own.contains(.partition(.analytics)))
        #expect(own.contains { if case .crashDuring = $0 { return true } else { return false } })
        #expect(!own.contains(.crash(.rewards)) && !own.contains(.partition(.payment)))
        let delivers = world.moves(faults: true).contains { $0.action.deliversToAnalytics }
        #expect(delivers)
    }
}
