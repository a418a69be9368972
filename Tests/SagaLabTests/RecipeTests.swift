@testable import SagaKernel
@testable import SagaLab
import Testing

/// Recipes and concurrent deliveries, judged on world state: what the parser accepts and
/// refuses, that the named recipes are today's modes, the race two deliveries in progress
/// run, and what a crash does to them.
@Suite struct RecipeTests {
    static func recipe(_ text: String, _ service: ServiceName = .inventory) throws -> Recipe {
        try Recipe(parsing: text.split(separator: " ").map(String.init), for: service)
    }

    // MARK: - Parsing and validation

    @Test func acceptsTheNamedRecipesAndTheEventBridgeHandler() throws {
        #expect(try Self.recipe("check effect+emit+mark ack") == Recipe.named(.on))
        #expect(try Self.recipe("effect+emit ack") == Recipe.named(.off))
        #expect(try Self.recipe("check effect+emit mark ack") == Recipe.named(.checkThenAct))
        #expect(try Self.recipe("check effect publish mark ack") == Recipe.named(.checkThenAct, outbox: false))
        #expect(try Self.recipe("mark+effect+emit ack").stages == [[.mark, .effect, .emit], [.ack]])
        #expect(try Self.recipe("mark effect+emit ack").stages.count == 3, "mark first: at most once")
        #expect(try Self.recipe("effect ack", .rewards).stages == [[.effect], [.ack]], "rewards emits nothing")
    }

    @Test(arguments: [
        "chek effect+emit ack", "check effect++emit ack", "check effect+emit+effect ack", "check emit ack",
        "check effect+emit", "check effect+emit ack mark", "check effect+emit mark+ack", "check+effect+emit ack",
        "effect+emit check ack", "check effect emit ack", "check effect+publish ack", "publish check effect ack",
        "check effect+emit publish ack", "check effect+mark ack", "+effect ack", "mark check effect+emit ack",
    ])
    func refusesRecipesThatBreakARule(_ text: String) {
        #expect(throws: WorldError.self) { try Self.recipe(text) }
    }

    @Test func refusalsAreOneLine() {
        let outcome = CommandParser.parse("recipe inventory effect+emit check ack")
        guard case .error(let message) = outcome else {
            Issue.record("accepted: \(outcome)")
            return
        }
        #expect(!message.contains("\n"))
        #expect(message.contains("check"))
    }

    @Test func everyAcceptedRecipeRuns() throws {
        let steps = ["check", "effect", "effect+emit", "effect+emit+mark", "mark+effect+emit", "publish", "mark"]
        var accepted = 0
        for a in steps {
            for b in steps {
                for c in steps {
                    guard let recipe = try? Self.recipe("\(a) \(b) \(c) ack") else { continue }
                    accepted += 1
                    for concurrency in [1, 2] {
                        var w = World()
                        try w.setRecipe(recipe, for: .inventory, type: nil)
                        try w.setConcurrency(.inventory, concurrency)
                        Lab.order(&w)
                        w.run()
                        #expect(!w.hasWork, "\(recipe) at concurrency \(concurrency)")
                        #expect(w.orders.orders.first?.status == .confirmed, "\(recipe) at concurrency \(concurrency)")
                        #expect(w.node(.inventory).handlings.isEmpty && w.node(.inventory).queue.isEmpty)
                    }
                }
            }
        }
        #expect(accepted > 5)
    }

    @Test func parserReadsNamesEventTypesAndSteps() {
        #expect(CommandParser.parse("recipe inventory check-then-act") == .command(.recipe(.inventory, nil, .named(.checkThenAct))))
        #expect(CommandParser.parse("recipe orders payment.failed off") == .command(.recipe(.orders, .paymentFailed, .named(.off))))
        #expect(CommandParser.parse("recipe inventory") == .command(.show(.recipe(.inventory))))
        #expect(CommandParser.parse("set concurrency inventory 16") == .command(.concurrency(.inventory, 16)))
        if case .command = CommandParser.parse("set concurrency inventory 17") { Issue.record("17 accepted") }
        if case .command = CommandParser.parse("recipe rewards payment.failed on") { Issue.record("no such handler") }
    }

    // MARK: - Named recipes are today's modes

    @Test func patternOutboxSwitchesEmitAndPublish() {
        var w = World()
        w.setIdempotency(.checkThenAct, for: [.inventory])
        w.setOutbox(false, for: [.inventory])
        #expect(w.patterns.recipes.recipe(of: .inventory).description == "check effect publish mark ack")
        #expect(w.patterns.idempotency(of: .inventory) == .checkThenAct)
        w.setOutbox(true, for: [.inventory])
        #expect(w.patterns.recipes.recipe(of: .inventory) == Recipe.named(.checkThenAct))
        w.setIdempotency(.on, for: [.payment])
        #expect(w.patterns.recipes.recipe(of: .payment) == Recipe.named(.on))
    }

    @Test(arguments: IdempotencyMode.allCases)
    func namedRecipeSetByRecipeEqualsThePattern(_ mode: IdempotencyMode) throws {
        var byPattern = World()
        byPattern.setIdempotency(mode, for: [.inventory])
        try byPattern.messageFault(.duplicate, .next(.orderCreated))
        Lab.order(&byPattern)
        byPattern.run()
        var byRecipe = World()
        try byRecipe.setRecipe(Recipe.named(mode), for: .inventory, type: nil)
        try byRecipe.messageFault(.duplicate, .next(.orderCreated))
        Lab.order(&byRecipe)
        byRecipe.run()
        #expect(byPattern.inventory == byRecipe.inventory)
        #expect(byPattern.applications == byRecipe.applications)
        #expect(byPattern.node(.inventory).processed == byRecipe.node(.inventory).processed)
        #expect(Lab.applied(byRecipe, .inventory, "evt-1") == (mode == .off ? 2 : 1))
    }

    @Test func aRecipeForOneEventTypeLeavesTheOthers() throws {
        var w = World()
        try w.setRecipe(Recipe.named(.off), for: .inventory, type: .orderCancelled)
        #expect(w.patterns.recipes.recipe(.inventory, for: .orderCancelled) == Recipe.named(.off))
        #expect(w.patterns.recipes.recipe(.inventory, for: .orderCreated) == Recipe.named(.on))
        #expect(w.patterns.idempotency(of: .inventory) == nil)
        try w.messageFault(.duplicate, .next(.orderCreated))
        Lab.order(&w)
        w.run()
        #expect(Lab.applied(w, .inventory, "evt-1") == 1)
        w.setIdempotency(.on, for: [.inventory])
        #expect(w.patterns.recipes.overrides(of: .inventory).isEmpty)
    }

    // MARK: - The race

    static func race(_ recipe: String, concurrency: Int = 2) throws -> World {
        var w = World()
        try w.setRecipe(try Self.recipe(recipe), for: .inventory, type: nil)
        try w.setConcurrency(.inventory, concurrency)
        try w.messageFault(.duplicate, .next(.orderCreated))
        Lab.order(&w)
        w.run()
        return w
    }

    @Test func theEventBridgeRecipeReservesTwiceWithoutACrash() throws {
        let w = try Self.race("check effect publish mark ack")
        #expect(w.trace.allSatisfy { $0.kind != .crash })
        #expect(Lab.applied(w, .inventory, "evt-1") == 2)
        #expect(w.inventory.reservations(forOrder: OrderId(number: 1)).count == 2)
        #expect(Lab.status(w, "once-per-event") == .broken)
    }

    @Test func theSameRecipeOneDeliveryAtATimeReservesOnce() throws {
        let w = try Self.race("check effect publish mark ack", concurrency: 1)
        #expect(Lab.applied(w, .inventory, "evt-1") == 1)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test(arguments: ["check effect+emit+mark ack", "mark+effect+emit ack", "effect+emit+mark ack"])
    func theMarkInTheEffectsTransactionPreventsTheRace(_ recipe: String) throws {
        let w = try Self.race(recipe)
        #expect(Lab.applied(w, .inventory, "evt-1") == 1)
        #expect(w.inventory.reservations(forOrder: OrderId(number: 1)).count == 1)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func theRaceIsDeterministic() throws {
        let a = try Self.race("check effect publish mark ack")
        let b = try Self.race("check effect publish mark ack")
        #expect(a == b)
        #expect(a.trace == b.trace)
    }

    // MARK: - Slots, queue and crashes

    @Test func theQueueHoldsDeliveriesBeyondTheConcurrency() throws {
        var w = World()
        try w.setConcurrency(.inventory, 2)
        try w.set("round-trip", 100)
        for customer in ["a", "b", "c", "d"] { Lab.order(&w, customer, [Lab.item("prod-1")]) }
        var most = 0
        var queued = 0
        while w.step() {
            most = max(most, w.node(.inventory).handlings.count)
            queued = max(queued, w.node(.inventory).queue.count)
        }
        #expect(most == 2)
        #expect(queued >= 1)
        #expect(w.orders.orders.allSatisfy { $0.status == .confirmed })
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func aCrashLosesDeliveriesInProgressAndQueuedAndTheBrokerRedeliversThem() throws {
        var w = World()
        try w.setConcurrency(.inventory, 1)
        try w.setConcurrency(.inventory, 2)
        try w.set("round-trip", 100)
        for customer in ["a", "b", "c"] { Lab.order(&w, customer, [Lab.item("prod-1")]) }
        while !(w.node(.inventory).handlings.count == 2 && !w.node(.inventory).queue.isEmpty), w.step() {}
        let lost = w.node(.inventory).handlings.map(\.delivery.event.id) + w.node(.inventory).queue.waiting.map(\.event.id)
        #expect(lost.count == 3)
        try w.crashNow(.inventory)
        #expect(w.node(.inventory).handlings.isEmpty && w.node(.inventory).queue.isEmpty)
        #expect(!w.agenda.contains { if case .stage = $0.action { return true } else { return false } })
        let redelivered = w.agenda.deliveries.filter { $0.delivery.target == .inventory && $0.delivery.attempt == 2 }
        #expect(Set(redelivered.map(\.delivery.event.id)) == Set(lost))
        #expect(redelivered.allSatisfy { $0.time == w.now + w.settings.redeliveryDelay })
        try w.restart(.inventory)
        w.run()
        for id in lost { #expect(Lab.applied(w, .inventory, .event(id)) == 1) }
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func aConsumerCutOffKeepsItsQueueAndTakesFromItWhenHealed() throws {
        var w = World()
        try w.setConcurrency(.inventory, 2)
        try w.set("round-trip", 100)
        for customer in ["a", "b", "c"] { Lab.order(&w, customer, [Lab.item("prod-1")]) }
        while !(w.node(.inventory).handlings.count == 2 && !w.node(.inventory).queue.isEmpty), w.step() {}
        try w.partition(.inventory)
        while !w.node(.inventory).handlings.isEmpty, w.step() {}
        #expect(w.node(.inventory).queue.count == 1, "cut off, inventory takes nothing from its queue")
        let lost = w.trace.filter { if case .message(.ackLost) = $0.what { return true } else { return false } }
        #expect(lost.count == 2, "the acknowledgements of both deliveries in progress are lost")
        #expect(w.agenda.deliveries.filter { $0.delivery.target == .inventory && $0.delivery.attempt == 2 }.count == 2,
                "the broker sends both again")
        try w.heal()
        #expect(w.node(.inventory).queue.isEmpty)
        #expect(w.node(.inventory).handlings.count == 1, "connected again, it takes the one waiting")
        w.run()
        #expect(w.orders.orders.allSatisfy { $0.status == .confirmed })
        for n in 1...3 { #expect(Lab.applied(w, .inventory, .event(EventId(number: Int32(n)))) == 1) }
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func aPartitionBeforeAPublishStageLosesTheEventWithoutACrash() throws {
        var w = World()
        w.setOutbox(false, for: [.inventory])
        try w.setConcurrency(.inventory, 2)
        try w.set("round-trip", 100)
        Lab.order(&w)
        func nextStageIsPublish(_ w: World) -> Bool {
            w.node(.inventory).handlings.contains { $0.currentSteps == .publish }
        }
        while !nextStageIsPublish(w), w.step() {}
        #expect(nextStageIsPublish(w))
        try w.partition(.inventory)
        while w.node(.inventory).handlings.count > 0, w.step() {}
        #expect(w.trace.contains { if case .message(.publishFailed) = $0.what { return true } else { return false } })
        try w.heal()
        w.run()
        #expect(w.trace.allSatisfy { $0.kind != .crash })
        #expect(Lab.applied(w, .inventory, "evt-1") == 1, "the retry found the mark the effect committed")
        #expect(w.orders.orders.first?.status == .pending, "inventory.reserved was lost: nothing moves the order on")
        #expect(Lab.status(w, "no-pending") == .broken)
    }

    @Test func aCrashBetweenPublishAndMarkAppliesTheRedeliveryAgain() throws {
        var w = World()
        try w.setRecipe(try Self.recipe("check effect publish mark ack"), for: .inventory, type: nil)
        try w.arm(.inventory, at: .afterPublish)
        Lab.order(&w)
        w.run()
        #expect(!w.node(.inventory).isUp)
        try w.restart(.inventory)
        w.run()
        #expect(Lab.applied(w, .inventory, "evt-1") == 2)
    }

    @Test func handlingsAreWorldState() throws {
        var a = World()
        try a.setConcurrency(.inventory, 2)
        Lab.order(&a)
        while a.node(.inventory).handlings.isEmpty, a.step() {}
        var b = a
        #expect(a == b)
        b.updateNode(.inventory) { $0.handlings[0].stage += 1 }
        #expect(a != b)
    }

    // MARK: - A delivery run at once, listed or not

    /// With no crash armed, a delivery a consumer runs at once never waits in its list
    /// (`World.start`); with one armed, it waits there so that the crash can lose it. A
    /// crash armed where no delivery passes (analytics' recipe has no mark) must change
    /// nothing else: the same trace and the same databases, for every named recipe, with
    /// failures, handler errors, duplicates and a partition on the way.
    @Test(arguments: ["on", "off", "check-then-act"])
    func aDeliveryRunsTheSameWhetherOrNotItWaitsInTheConsumersList(_ mode: String) {
        let setUp = ["flow payment-first", "pattern idempotency \(mode)", "recipe analytics effect ack"]
        let lines = ["fail payment 30%", "fail inventory 20%", "fail rewards error 25%", "stock prod-1 200",
                     "order user-1..60 prod-1", "duplicate next", "step 40", "partition inventory", "step 30", "heal",
                     "pattern outbox off payment", "run"]
        let (armed, _) = Lab.session(setUp + ["crash analytics at after-mark"] + lines)
        let (unarmed, _) = Lab.session(setUp + lines)
        var world = armed.world
        #expect(world.armedCrashes.count == 1, "the crash was never reached")
        #expect(world.nodes.allSatisfy { $0.handlings.isEmpty })
        // The armed world logged one line more, the arming itself.
        let entries = Array(world.trace)
        let unarmedEntries = Array(unarmed.world.trace)
        #expect(entries.count == unarmedEntries.count + 1)
        let arming = setUp.count
        #expect(Array(entries[..<arming]) == Array(unarmedEntries[..<arming]))
        #expect(Array(entries[(arming + 1)...]) == Array(unarmedEntries[arming...]))
        world.armedCrashes = []
        world.trace = unarmed.world.trace
        #expect(world == unarmed.world)
        #expect(world.orders.orders.count == 60 && world.trace.count > 1_000)
        #expect(world.trace.contains { if case .message(.immediateRetry) = $0.what { true } else { false } }, "a handler error on the way")
    }
}
