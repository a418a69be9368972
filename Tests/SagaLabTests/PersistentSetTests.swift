@testable import SagaLab
@testable import SagaKernel
import Testing

/// The explorer's persistent sets (`World.persistentSet`): once the faults are spent, a
/// state where one pending item can be taken alone is expanded by it only, and a batch of
/// deliveries to analytics by its first. The search must find every break the full search
/// finds, never with a longer schedule, and the kernel must keep the promise the reduction
/// leans on: no step arms a timer sooner than `soonestTimer`. Also here: states that
/// differ only in the order of rows nothing reads are one (`World.Digest`).
@Suite struct PersistentSetTests {
    /// `changes` (lab commands), then `orders` orders of prod-1x2, one per customer.
    static func world(_ changes: [String], orders: Int = 2) -> World {
        var session = Session()
        for line in changes + (1...orders).map({ "order user-\($0) prod-1x2" }) {
            let reply = session.execute(line)
            #expect(!reply.isError, "`\(line)` was rejected: \(reply.text)")
        }
        return session.world
    }

    /// What a search ended with, without its counts: the invariant and the schedule's length.
    static func outcome(_ report: Explorer.Report) -> String {
        switch report.ending {
        case .exhausted: return "exhausted"
        case .budgetReached: return "budget reached"
        case .stopped: return "stopped"
        case .broken(let example): return "\(example.invariantId) in \(example.schedule.count) actions"
        }
    }

    /// Two orders, or one with one or two faults, whose crashes and partitions leave
    /// batches of deliveries to analytics beside a restart or the heal, taken in order, and
    /// designs where a late `order.created` makes a batch's order matter.
    static let cases: [(changes: [String], orders: Int, faults: Int)] = [
        (["pattern idempotency off"], 2, 1),
        (["pattern outbox off"], 2, 1),
        (["mode orchestration", "pattern idempotency off"], 2, 1),
        (["pattern all on", "mode orchestration", "pattern durable-timers off"], 2, 1),
        (["pattern all on", "mode orchestration"], 2, 0),
        (["stock prod-1 3", "pattern idempotency off inventory"], 2, 0),
        (["pattern all on", "publishers own-process"], 2, 0),
        (["pattern all on", "set window-grace 5m"], 2, 0),
        (["pattern all on", "pattern idempotency off analytics"], 2, 1),
        (["pattern all on"], 1, 1),
        (["pattern all on", "pattern idempotency off analytics"], 1, 1),
        (["pattern all on", "pattern idempotency off analytics"], 1, 2),
        (["pattern all on", "pattern idempotency off rewards"], 1, 2),
        (["pattern all on", "mode orchestration"], 1, 1),
        (["pattern all on", "publishers own-process"], 1, 1),
        (["pattern all on", "set window-grace 0s"], 1, 1),
        (["pattern all on", "delay 90s next order.created"], 1, 1),
        (["pattern all on", "pattern fence off"], 1, 1),
        (["pattern all on", "set concurrency payment 2"], 1, 1),
        (["pattern all on", "pattern idempotency off analytics", "set window-grace 0s"], 2, 1),
        (["pattern all on", "mode orchestration"], 1, 2),
        (["pattern all on", "mode orchestration", "pattern idempotency off rewards"], 1, 2),
        (["pattern all on", "publishers own-process", "pattern idempotency off analytics"], 1, 2),
    ]

    @Test(arguments: 0..<cases.count)
    func theReducedSearchFindsWhatTheFullSearchFinds(_ index: Int) {
        let (changes, orders, faults) = PersistentSetTests.cases[index]
        let world = PersistentSetTests.world(changes, orders: orders)
        let budget = Explorer.Budget(depth: 60, states: 400_000, faults: faults)
        let (reduced, whole) = PersistentSetTests.compare(world, budget, changes) {
            $0.reduces = false
            $0.symmetric = false
        }
        #expect(reduced.explored <= whole.explored, "\(changes)")
    }

    /// A state waits in the queue unmade, as its parent's world and its move, when the
    /// budget will likely end the search before it is taken out; one taken out all the
    /// same is made then. Made at once, made when taken out or made as the search guesses,
    /// every state is the same: the same counts, the same ending, the same counterexample.
    /// The budgets cut some searches short, where the guess has states to make unmade.
    @Test(arguments: [0, 1, 2, 3, 8, 12, 16, 19])
    func aStateMadeWhenTakenOutIsTheStateItWas(_ index: Int) {
        let (changes, orders, faults) = PersistentSetTests.cases[index]
        let world = PersistentSetTests.world(changes, orders: orders)
        for states in [2_000, 20_000] {
            var reports: [Explorer.Report] = []
            for unmade in [Explorer.Unmade.none, .every, .likelyBeyondBudget] {
                var explorer = Explorer(budget: Explorer.Budget(depth: 60, states: states, faults: faults))
                explorer.unmade = unmade
                reports.append(explorer.explore(world))
            }
            #expect(reports[1] == reports[0] && reports[2] == reports[0], "\(changes), \(states) states")
        }
    }

    /// `world` searched by the explorer as it is and as `setUp` leaves it (a reduction
    /// turned off), the reference: the first must find what the second finds, never with a
    /// longer schedule (`expectTheSameVerdict`). Both reports, the search's first.
    static func compare(_ world: World, _ budget: Explorer.Budget, _ what: [String],
                        reference setUp: (inout Explorer) -> Void,
                        sourceLocation: SourceLocation = #_sourceLocation) -> (Explorer.Report, Explorer.Report) {
        var plain = Explorer(budget: budget)
        setUp(&plain)
        let reference = plain.explore(world)
        let search = Explorer(budget: budget).explore(world)
        expectTheSameVerdict(search, as: reference, what, noLongerSchedule: true, sourceLocation: sourceLocation)
        return (search, reference)
    }

    /// That `search` ended as `reference`, which must have finished: the same invariant
    /// broken, or none. Shrinking starts from the first schedule each search found, so the
    /// smaller search may end with a shorter one; with `noLongerSchedule`, never a longer.
    static func expectTheSameVerdict(_ search: Explorer.Report, as reference: Explorer.Report, _ changes: [String],
                                     noLongerSchedule: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reference.ending != .budgetReached, "\(changes): the reference search must finish to compare",
                sourceLocation: sourceLocation)
        switch (search.ending, reference.ending) {
        case (.broken(let found), .broken(let expected)):
            #expect(found.invariantId == expected.invariantId, "\(changes)", sourceLocation: sourceLocation)
            if noLongerSchedule {
                #expect(found.schedule.count <= expected.schedule.count, "\(changes)", sourceLocation: sourceLocation)
            }
        default:
            #expect(outcome(search) == outcome(reference), "\(changes)", sourceLocation: sourceLocation)
        }
    }

    /// Worlds that differ only in the order of processed marks, dead letters, published
    /// events or parked deliveries are one state: the search that keeps them apart must
    /// find the same invariant broken, or none, in more states.
    static let rowOrderCases: [(changes: [String], orders: Int, faults: Int)] = [
        (["pattern all on"], 2, 0),
        (["pattern all on"], 1, 1),
        (["pattern all on", "pattern idempotency off rewards"], 1, 1),
        (["pattern all on", "pattern idempotency off payment"], 2, 1),
        (["pattern all on", "pattern idempotency off analytics"], 2, 1),
        (["pattern all on", "pattern outbox off"], 2, 1),
        (["pattern all on", "mode orchestration"], 1, 1),
        (["pattern all on", "publishers own-process"], 1, 1),
        (["pattern all on", "set concurrency inventory 2"], 2, 0),
        (["pattern idempotency off"], 2, 1),
        (["mode orchestration", "pattern idempotency off"], 1, 1),
        (["stock prod-1 3", "pattern idempotency off inventory"], 2, 0),
    ]

    @Test(arguments: 0..<rowOrderCases.count)
    func statesThatDifferOnlyInTheOrderOfUnreadRowsAreOne(_ index: Int) {
        let (changes, orders, faults) = PersistentSetTests.rowOrderCases[index]
        let world = PersistentSetTests.world(changes, orders: orders)
        let budget = Explorer.Budget(depth: 60, states: 400_000, faults: faults)
        var apart = Explorer(budget: budget)
        apart.everyRowInOrder = true
        let reference = apart.explore(world)
        let merged = Explorer(budget: budget).explore(world)
        PersistentSetTests.expectTheSameVerdict(merged, as: reference, changes, noLongerSchedule: false)
        #expect(merged.distinct <= reference.distinct, "\(changes)")
    }

    @Test func twoOrdersWithoutAFaultTakeFewerStatesWhenRowOrderIsLeftOut() {
        let world = PersistentSetTests.world(["pattern all on"])
        var apart = Explorer(budget: .init(faults: 0))
        apart.everyRowInOrder = true
        let reference = apart.explore(world)
        let merged = Explorer(budget: .init(faults: 0)).explore(world)
        #expect(reference.ending == .exhausted)
        #expect(merged.ending == .exhausted)
        #expect(merged.distinct * 3 < reference.distinct * 2, "\(merged.distinct) of \(reference.distinct)")
    }

    /// Whether every move is a delivery to analytics, a restart or the heal, with two
    /// deliveries at least.
    static func batchBesideRestarts(_ moves: [World.Move]) -> Bool {
        var deliveries = 0
        for move in moves {
            switch move.action {
            case .pick(.deliver(let delivery)) where delivery.target == .analytics: deliveries += 1
            case .restart, .restartPublisher, .heal: continue
            default: return false
            }
        }
        return deliveries > 1
    }

    /// After a crash, the deliveries to analytics wait beside the restart: the first of
    /// them and the restart stand for every order of the batch, whether analytics itself
    /// is down (the deliveries are held for it) or runs. Analytics down comes back only
    /// once nothing but deliveries to sinks is left, so its restart may not be among them.
    @Test(arguments: [ServiceName.payment, .analytics])
    func aBatchBesideARestartIsTakenInOrderWithTheRestart(_ crashed: ServiceName) {
        var taken = 0
        for world in PersistentSetTests.walk() {
            var down = world
            guard down.perform(.crash(crashed)) else { continue }
            let moves = down.moves(faults: false)
            guard PersistentSetTests.batchBesideRestarts(moves), let chosen = down.persistentSet(among: moves) else { continue }
            taken += 1
            let first = moves.first { if case .pick = $0.action { return true } else { return false } }
            #expect(chosen.first?.action == first?.action, "the batch's first delivery")
            if moves.contains(where: { $0.action == .restart(crashed) }) {
                #expect(chosen.contains { $0.action == .restart(crashed) }, "the restart stays a choice")
            }
            #expect(chosen.count < moves.count)
        }
        #expect(taken > 0, "no batch beside a restart of \(crashed)")
    }

    @Test func twoOrdersInFlightAreSearchedInAThirdOfTheStates() {
        let world = PersistentSetTests.world(["pattern all on"])
        var full = Explorer(budget: .init(faults: 0))
        full.reduces = false
        let whole = full.explore(world)
        let reduced = Explorer(budget: .init(faults: 0)).explore(world)
        #expect(whole.ending == .exhausted)
        #expect(reduced.ending == .exhausted)
        #expect(reduced.explored * 3 < whole.explored, "\(reduced.explored) of \(whole.explored)")
    }

    /// The worlds along one schedule of two orders (always the first move), to the end.
    static func walk(_ changes: [String] = [], orders: Int = 2) -> [World] {
        var world = PersistentSetTests.world(["pattern all on"] + changes, orders: orders)
        var worlds = [world]
        while let first = world.moves(faults: false).first, worlds.count < 80 {
            _ = world.make(first)
            worlds.append(world)
        }
        return worlds
    }

    /// A sink crashed or cut off before two orders run comes back at once, or, once a
    /// delivery is held for it, only when nothing but deliveries to sinks is left to pick.
    /// Payment, which publishes, may come back at any moment, and the full search offers
    /// every restart everywhere.
    @Test(arguments: [(ServiceName.analytics, true), (.rewards, true), (.analytics, false), (.payment, true)])
    func aSinkDownComesBackAtOnceOrLast(_ service: ServiceName, crashed: Bool) {
        var world = PersistentSetTests.world(["pattern all on"])
        #expect(crashed ? world.perform(.crash(service)) : world.perform(.partition(service)))
        let back = crashed ? ScheduleAction.restart(service) : .heal
        var waited = 0
        var cameBack = 0
        for _ in 0..<80 {
            let onlySinksLeft = world.pending.allSatisfy { $0.action.reachesSink }
            let held = world.parked.contains { $0.target == service }
            let moves = world.moves(faults: false)
            let offered = moves.contains { $0.action == back }
            #expect(world.moves(faults: false, sinksBackLast: false).contains { $0.action == back })
            if service == .payment {
                #expect(offered, "payment publishes: it may come back at any moment")
            } else {
                #expect(offered == (onlySinksLeft || !held), "\(service) comes back at once or last")
            }
            if offered { cameBack += 1 } else { waited += 1 }
            guard let next = moves.first(where: { $0.action != back }) else { break }
            _ = world.make(next)
        }
        #expect(cameBack > 0)
        #expect(service == .payment || waited > 0, "\(service) never had to wait")
    }

    @Test func anItemIsTakenAloneOnlyOnceNoFaultIsLeftAndNeverAReservation() {
        var takenAmongOrders = 0
        for world in PersistentSetTests.walk() {
            let moves = world.moves(faults: false)
            #expect(world.persistentPick(among: world.moves(faults: true)) == nil, "a fault could still strike")
            guard let alone = world.persistentPick(among: moves), case .pick(let action) = alone.action else { continue }
            #expect(moves.contains { $0.action == alone.action })
            if case .deliver(let delivery) = action { #expect(delivery.handler != .reserveStock) }
            if Set(moves.compactMap { $0.item?.action.orderId }).count > 1 { takenAmongOrders += 1 }
        }
        #expect(takenAmongOrders > 0, "two orders in flight and nothing taken alone")
    }

    /// Whether every move is a delivery to analytics (and there are several).
    static func analyticsOnly(_ moves: [World.Move]) -> Bool {
        moves.count > 1 && moves.allSatisfy { move in
            if case .pick(.deliver(let delivery)) = move.action { return delivery.target == .analytics }
            return false
        }
    }

    /// The analytics database after each order of `moves` from `world`.
    static func endings(of moves: [World.Move], from world: World) -> [AnalyticsDB] {
        guard !moves.isEmpty else { return [world.analytics] }
        var endings: [AnalyticsDB] = []
        for index in moves.indices {
            var next = world
            guard next.make(moves[index]) else { continue }
            var rest = moves
            rest.remove(at: index)
            endings += PersistentSetTests.endings(of: rest, from: next)
        }
        return endings
    }

    /// Soundness of the analytics batch: whenever a batch is taken in agenda order alone,
    /// every order of it (of its first five) leaves analytics the same. The walks include
    /// one where an order's `order.created` reaches analytics a minute and a half late,
    /// after events of the next minute.
    @Test(arguments: [
        ([], true), (["set window-grace 5m"], true), (["pattern idempotency off analytics"], true),
        (["delay 90s next order.created"], false), (["delay 2m next order.created"], false),
        (["delay 2m next order.created", "set window-grace 30s"], false),
    ])
    func anAnalyticsBatchIsTakenInOrderOnlyWhenEveryOrderEndsAlike(_ changes: [String], mustTakeOne: Bool) {
        var taken = 0
        for world in PersistentSetTests.walk(changes) {
            let moves = world.moves(faults: false)
            guard PersistentSetTests.analyticsOnly(moves) else { continue }
            let endings = Set(PersistentSetTests.endings(of: Array(moves.prefix(5)), from: world))
            guard let alone = world.analyticsBatch(among: moves, pending: world.pending, alone: false)?.first else { continue }
            taken += 1
            #expect(alone.action == moves[0].action, "the batch is taken in agenda order")
            #expect(endings.count == 1, "\(moves.count) deliveries to analytics end in \(endings.count) ways")
        }
        if mustTakeOne { #expect(taken > 0, "\(changes): no batch taken in order") }
    }

    /// Soundness of one delivery taken alone from a batch to analytics whose order matters
    /// (an `order.created` may fall late, or not): the batch, walked in every order with that
    /// delivery first, ends in every way it ends walked in every order.
    @Test(arguments: [["delay 90s next order.created"], ["delay 90s next order.created", "pattern idempotency off analytics"],
                      ["delay 70s next order.created"]])
    func aDeliveryWhosePlaceChangesNothingStandsForItsBatch(_ changes: [String]) {
        var alone = 0
        var mattered = 0
        for orders in 2...3 {
            for world in PersistentSetTests.walk(changes, orders: orders) {
                let moves = world.moves(faults: false)
                guard PersistentSetTests.analyticsOnly(moves), moves.count <= 6,
                      world.analyticsBatch(among: moves, pending: world.pending, alone: false) == nil,
                      let chosen = world.persistentSet(among: moves) else { continue }
                #expect(chosen.count == 1)
                let every = Set(PersistentSetTests.endings(of: moves, from: world))
                alone += 1
                if every.count > 1 { mattered += 1 }
                var next = world
                let made = next.make(chosen[0])
                #expect(made)
                let rest = moves.filter { $0.item?.sequence != chosen[0].item?.sequence }
                #expect(Set(PersistentSetTests.endings(of: rest, from: next)) == every,
                        "\(changes): \(moves.count) deliveries end in \(every.count) ways")
            }
        }
        #expect(alone > 0, "\(changes): no delivery taken alone from a batch whose order matters")
        #expect(mattered > 0, "\(changes): every batch taken alone ended one way")
    }

    /// An `order.created` whose window had closed before the batch began is late in every
    /// order, so it does not hold the batch back.
    @Test func aBatchWithAnEventLateAlreadyIsTakenInOrder() {
        var taken = 0
        for world in PersistentSetTests.walk(["delay 2m next order.created"]) {
            let moves = world.moves(faults: false)
            guard PersistentSetTests.analyticsOnly(moves), moves.contains(where: { move in
                if case .pick(.deliver(let delivery)) = move.action { return world.isLate(delivery.event) }
                return false
            }) else { continue }
            let endings = Set(PersistentSetTests.endings(of: Array(moves.prefix(5)), from: world))
            #expect(endings.count == 1, "\(moves.count) deliveries to analytics end in \(endings.count) ways")
            if world.persistentSet(among: moves)?.count == 1 { taken += 1 }
        }
        #expect(taken > 0, "no batch with a late event taken in order")
    }

    @Test(arguments: [["fail payment next"], ["crash payment at after-effect"], ["fail payment 50%"]])
    func nothingIsTakenAloneWhileChanceOrAnArmedFaultDecides(_ changes: [String]) {
        let deciding = PersistentSetTests.walk(changes).filter { $0.leavesToChance || !$0.armedCrashes.isEmpty }
        #expect(deciding.count > 3)
        for world in deciding { #expect(world.persistentPick(among: world.moves(faults: false)) == nil) }
    }

    /// Plays `steps` random moves without faults from `world`, checking after each one
    /// that every timer or poll it put on the agenda is due no sooner than `soonestTimer`.
    static func checkTimers(from world: World, seed: UInt64, steps: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        var world = world
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<steps {
            let picks = world.moves(faults: false).filter { if case .pick = $0.action { return true } else { return false } }
            guard !picks.isEmpty else { return }
            let before = timed(world)
            let soonest = world.soonestTimer
            _ = world.make(picks[rng.int(in: 0...picks.count - 1)])
            for item in timed(world) where !before.contains(item) {
                #expect(item.time >= world.now + soonest, "\(item.action) due \(item.time), now \(world.now)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    static func timed(_ world: World) -> [Agenda.Item] {
        world.agenda.items.filter { !$0.action.isUntimed }
    }

    @Test(arguments: [
        ["pattern all on"],
        ["mode orchestration", "fail payment 100%", "retry process-payment interval=200ms"],
        ["mode orchestration", "set compensation-timeout 300ms", "fail payment 100%"],
        ["mode orchestration", "set step-timeout 400ms", "slow payment 1s"],
    ])
    func noStepArmsATimerSoonerThanTheReductionAssumes(_ changes: [String]) {
        let world = PersistentSetTests.world(changes)
        for seed in 1...20 { PersistentSetTests.checkTimers(from: world, seed: UInt64(seed), steps: 60) }
    }
}

/// The reduction while one fault is left (`World.persistentSetWithAFaultLeft`), and the
/// crash inside a timed item, offered only when the item could come next.
@Suite struct PersistentSetWithAFaultTests {
    /// Along a schedule of two orders, some state is expanded by the work of one service
    /// and the faults that touch it; every move left out is work at another service whose
    /// handler only writes its outbox, or a fault that leaves that service and its events alone.
    @Test(arguments: [[], ["publishers own-process"], ["pattern idempotency off"]])
    func aServiceWithTheOnlyWorkThatCanReachItIsTakenWithTheFaultsThatTouchIt(_ changes: [String]) {
        var taken = 0
        for world in PersistentSetTests.walk(changes) {
            let moves = world.moves(faults: true)
            guard let set = world.persistentSetWithAFaultLeft(among: moves, pending: world.pending) else { continue }
            taken += 1
            let services = Set(set.compactMap { $0.item.flatMap { $0.action.isUntimed ? $0.action.actor : nil } })
            #expect(services.count == 1, "the work of one service")
            guard let service = services.first else { continue }
            #expect(set.contains { $0.action == .crash(service) }, "its crash")
            #expect(set.contains { $0.action == .partition(service) }, "its partition")
            for move in moves where !set.contains(where: { $0.action == move.action }) {
                switch move.action {
                case .pick(let action):
                    #expect(action.actor != service && world.staysAtItsService(action), "\(action)")
                case .crash(let other), .partition(let other), .crashDuring(_, let other, _):
                    #expect(other != service)
                case .delay(let id, _), .drop(let id):
                    #expect(!set.contains { if case .pick(.deliver(let delivery)) = $0.action { delivery.event.id == id } else { false } })
                default:
                    Issue.record("\(move.action) left out")
                }
            }
        }
        #expect(taken > 0, "\(changes): no state expanded by one service's work")
    }

    /// A crash falls inside a publisher's poll only when the poll could come next: while
    /// a message due before it waits, firing it would be that message's delay.
    @Test func aCrashFallsInsideAPollOnlyWhenThePollCouldComeNext() {
        var inside = 0
        for world in PersistentSetTests.walk() {
            let pending = world.pending
            let firstMessage = pending.filter(\.action.isUntimed).map(\.time).min() ?? .max
            for move in world.moves(faults: true) {
                guard case .crashDuring(let action, _, _) = move.action, !action.isUntimed, let item = move.item else { continue }
                inside += 1
                #expect(item.time <= firstMessage, "\(action) due \(item.time), a message due \(firstMessage)")
            }
        }
        #expect(inside > 0, "no crash inside a poll")
    }
}
