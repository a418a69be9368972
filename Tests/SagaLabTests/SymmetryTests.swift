@testable import SagaLab
@testable import SagaKernel
import Testing

/// The explorer's symmetry between alike orders (`OrderSymmetry`): a state and its copy
/// with alike orders swapped are one state. The search must find every break the search
/// without it finds, with a schedule no longer, in no more states; which orders are alike
/// must follow their items, totals and customers; and a world must get the fingerprint of
/// its mirror image, and not that of a world no renaming makes it.
@Suite struct SymmetryTests {
    /// `changes` (lab commands), then the orders, each `customer item`.
    static func world(_ changes: [String], orders: [String]) -> World {
        var session = Session()
        for line in changes + orders.map({ "order \($0)" }) {
            let reply = session.execute(line)
            #expect(!reply.isError, "`\(line)` was rejected: \(reply.text)")
        }
        return session.world
    }

    static func alike(_ count: Int) -> [String] { (1...count).map { "user-\($0) prod-1x2" } }

    /// Designs with two or three alike orders, broken and sound, with and without a fault.
    static let cases: [(changes: [String], orders: [String], faults: Int)] = [
        (["pattern idempotency off"], alike(2), 1),
        (["pattern outbox off"], alike(2), 1),
        (["stock prod-1 3", "pattern idempotency off inventory"], alike(2), 0),
        (["pattern all on", "pattern idempotency off analytics"], alike(2), 1),
        (["pattern all on", "pattern idempotency off rewards"], alike(2), 1),
        (["pattern all on", "pattern fence off"], alike(2), 1),
        (["pattern all on", "set concurrency payment 2"], alike(2), 0),
        (["pattern all on", "publishers own-process"], alike(3), 0),
        (["pattern all on", "stock prod-1 3"], alike(2), 0),
        (["pattern all on"], ["alice prod-1x2", "alice prod-1x2"], 0),
        (["pattern all on", "pattern idempotency off rewards"], ["alice prod-1x2", "alice prod-1x2"], 1),
        (["pattern all on", "fail payment next"], alike(2), 0),
        (["pattern all on", "stock prod-1 5"], alike(3), 0),
        (["stock prod-1 5", "pattern idempotency off inventory"], alike(3), 0),
        (["pattern idempotency off"], alike(3), 0),
        (["pattern all on"], ["alice prod-1x2", "bob prod-1x2", "alice prod-1x2"], 0),
        (["pattern all on", "pattern idempotency off analytics"], ["user-1 prod-1x2", "user-2 prod-2"], 1),
        (["pattern all on", "pattern idempotency off analytics"], alike(3), 1),
        (["pattern all on", "pattern outbox off"], alike(3), 1),
    ]

    @Test(arguments: 0..<cases.count)
    func theSymmetricSearchFindsWhatTheWholeSearchFinds(_ index: Int) {
        let (changes, orders, faults) = SymmetryTests.cases[index]
        let world = SymmetryTests.world(changes, orders: orders)
        let budget = Explorer.Budget(depth: 60, states: 600_000, faults: faults)
        let (search, reference) = PersistentSetTests.compare(world, budget, changes + orders) { $0.symmetric = false }
        #expect(search.distinct <= reference.distinct, "\(changes + orders)")
    }

    @Test func alikeOrdersHoldTheSameItemsAndCustomersWithNoOtherOrder() {
        let three = OrderSymmetry(of: SymmetryTests.world([], orders: SymmetryTests.alike(3)))
        #expect(three?.alike == [["ord-1", "ord-2", "ord-3"]])
        let shared = OrderSymmetry(of: SymmetryTests.world([], orders: ["alice prod-1x2", "bob prod-1x2", "alice prod-1x2"]))
        #expect(shared?.alike == [["ord-1", "ord-3"]], "bob has one order, alice two: only alice's are alike")
        #expect(OrderSymmetry(of: SymmetryTests.world([], orders: ["user-1 prod-1x2", "user-2 prod-2"])) == nil)
        #expect(OrderSymmetry(of: SymmetryTests.world([], orders: ["user-1 prod-1x2", "user-2 prod-1x3"])) == nil)
        #expect(OrderSymmetry(of: SymmetryTests.world([], orders: ["alice prod-1x2", "bob prod-1x2", "bob prod-1x2"]))?.alike
            == [["ord-2", "ord-3"]])
        #expect(OrderSymmetry(of: SymmetryTests.world([], orders: SymmetryTests.alike(OrderSymmetry.mostOrders)))?.alike.first?.count
            == OrderSymmetry.mostOrders)
        #expect(OrderSymmetry(of: SymmetryTests.world([], orders: SymmetryTests.alike(OrderSymmetry.mostOrders + 1))) == nil,
                "a world of many orders is fingerprinted as it is")
        let orchestrated = SymmetryTests.world(["mode orchestration"], orders: SymmetryTests.alike(2))
        #expect(OrderSymmetry(of: orchestrated) == nil, "the orchestrator's executions are not renamed")
        #expect(Explorer(budget: .init(faults: 0)).explore(orchestrated).alike.isEmpty)
    }

    /// `orders` placed with every pattern on and their order.created published, then in
    /// turn the delivery to each service of an event of each order (by its number).
    static func delivered(_ steps: [(order: Int32, to: ServiceName)], orders: [String] = alike(2)) -> World {
        var world = SymmetryTests.world(["pattern all on"], orders: orders)
        world.perform(.pick(.poll(.orders)))
        for (order, service) in steps {
            let item = world.pending.first { item in
                guard case .deliver(let delivery) = item.action else { return false }
                return delivery.event.orderId.number == order && delivery.target == service
            }
            guard let item else {
                Issue.record("no delivery of ord-\(order)'s event to \(service)")
                return world
            }
            world.perform(.pick(item.action))
        }
        return world
    }

    static func symmetricFingerprint(_ world: World) -> Int? {
        guard let symmetry = OrderSymmetry(of: world) else { return nil }
        return world.symmetricFingerprint(SymmetricNaming(symmetry))
    }

    @Test func aWorldAndItsMirrorImageAreOneState() {
        let first = SymmetryTests.delivered([(1, .inventory), (1, .analytics), (2, .inventory)])
        let mirror = SymmetryTests.delivered([(2, .inventory), (2, .analytics), (1, .inventory)])
        let other = SymmetryTests.delivered([(1, .inventory), (1, .analytics), (2, .analytics)])
        #expect(first.fingerprint != mirror.fingerprint, "told apart without the symmetry")
        let print = SymmetryTests.symmetricFingerprint(first)
        #expect(print != nil)
        #expect(print == SymmetryTests.symmetricFingerprint(mirror))
        #expect(print != SymmetryTests.symmetricFingerprint(other), "one order further on is another state")
        let both = SymmetryTests.delivered([(1, .inventory), (2, .inventory)])
        let bothTheOtherWay = SymmetryTests.delivered([(2, .inventory), (1, .inventory)])
        #expect(SymmetryTests.symmetricFingerprint(both) == SymmetryTests.symmetricFingerprint(bothTheOtherWay))
    }

    @Test func ordersOfOtherItemsAreNeverSwapped() {
        let orders = ["alice prod-1x2", "bob prod-1x2", "carol prod-2"]
        let first = SymmetryTests.delivered([(1, .inventory), (3, .inventory)], orders: orders)
        let mirror = SymmetryTests.delivered([(2, .inventory), (3, .inventory)], orders: orders)
        let third = SymmetryTests.delivered([(1, .inventory), (2, .inventory)], orders: orders)
        let print = SymmetryTests.symmetricFingerprint(first)
        #expect(print == SymmetryTests.symmetricFingerprint(mirror), "ord-1 and ord-2 are alike")
        #expect(print != SymmetryTests.symmetricFingerprint(third), "ord-3 holds prod-2: not alike")
    }

    /// A world the symmetry cannot name is fingerprinted as it is, and the actions asleep
    /// there are named exactly.
    @Test func aWorldWithDeadLettersFallsBack() {
        var session = Session()
        for line in ["pattern all on"] + SymmetryTests.alike(2).map({ "order \($0)" }) { _ = session.execute(line) }
        let naming = SymmetricNaming(OrderSymmetry(of: session.world)!)
        #expect(session.world.symmetricFingerprint(naming) != nil)
        #expect(!naming.fellBack)
        #expect(!session.execute("inject poison order.created").isError)
        var world = session.world
        world.run()
        #expect(world.nodes.contains { !$0.deadLetters.isEmpty }, "the poison message is dead-lettered")
        #expect(world.symmetricFingerprint(naming) == nil)
        #expect(naming.fellBack)
        #expect(naming.key(of: .heal) == SymmetricNaming.exactKey(of: .heal))
    }

    /// A successor fingerprinted with its parent's kept terms (the parts that still hold
    /// the parent's rows add the parent's terms) gets the fingerprint made from scratch,
    /// after every move, fault or not, along walks through two and three alike orders.
    @Test func keptTermsGiveTheFingerprintMadeFromScratch() {
        for (orders, changes) in [(SymmetryTests.alike(2), ["pattern all on"]), (SymmetryTests.alike(3), ["pattern all on"]),
                                  (["alice prod-1x2", "alice prod-1x2"], ["pattern all on", "stock prod-1 3"])] {
            var world = SymmetryTests.world(changes, orders: orders)
            let naming = SymmetricNaming(OrderSymmetry(of: world)!)
            #expect(world.symmetricFingerprint(naming) != nil)
            var terms = naming.kept
            var choice = 7
            var checked = 0
            for _ in 0..<40 {
                let moves = world.moves(faults: true)
                guard !moves.isEmpty else { break }
                var successors: [(World, SymmetricNodeTerms)] = []
                for move in moves {
                    var next = world
                    guard next.make(move) else { continue }
                    naming.setParent(terms)
                    let kept = next.symmetricFingerprint(naming, parent: world, taken: move.item)
                    let keptTerms = naming.kept
                    #expect(kept == next.symmetricFingerprint(naming), "\(orders), \(move.action)")
                    checked += 1
                    successors.append((next, keptTerms))
                }
                guard !successors.isEmpty else { break }
                choice = (choice &* 1_103_515_245 &+ 12_345) & 0x7FFF_FFFF
                (world, terms) = successors[choice % successors.count]
            }
            #expect(checked > 100, "\(orders): \(checked) successors checked")
        }
    }
}
