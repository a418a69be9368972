@testable import SagaLab
import Testing

/// Handler errors, consumer retries, poison messages, dead-letter queues and redrive,
/// judged on the world's state.
@Suite struct DeadLetterTests {
    static let second = VirtualTime.second

    /// Times at which `service` received `event`, in order.
    static func attempts(_ w: World, _ service: ServiceName, _ event: EventId = "evt-1") -> [Millis] {
        w.trace.filter { $0.kind == .deliver && $0.service == service && $0.eventId == event }.map(\.time)
    }

    static func letters(_ w: World, _ service: ServiceName) -> [DeadLetter] {
        w.node(service).deadLetters
    }

    /// A world where inventory's handler threw on every try of ord-1's order.created.
    static func deadLettered() -> World {
        var w = World()
        w.setHandlerError(.inventory, .always)
        Lab.order(&w)
        w.run()
        return w
    }

    // MARK: - Retries

    @Test func handlerErrorOnceSucceedsOnTheFirstImmediateRetryAndChangesStateOnce() {
        var w = World()
        w.setHandlerError(.inventory, .next)
        Lab.order(&w)
        w.run()
        let tries = Self.attempts(w, .inventory)
        #expect(tries.count == 2)
        #expect(tries.first == tries.last, "an immediate retry happens at once")
        #expect(Lab.applied(w, .inventory, "evt-1") == 1)
        #expect(w.inventory.reservations.count == 1)
        #expect(w.inventory.available["prod-1"] == 98)
        #expect(w.node(.inventory).handlerError == .off, "`next` strikes once")
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(w.deadLetters.isEmpty)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func alwaysFailingExhaustsFiveImmediateAndThreeDelayedRetriesThenDeadLetters() throws {
        let w = Self.deadLettered()
        let tries = Self.attempts(w, .inventory)
        #expect(tries.count == 9)
        let first = try #require(tries.first)
        #expect(tries.prefix(6).allSatisfy { $0 == first }, "the first try and 5 immediate retries")
        #expect(Array(tries.dropFirst(6)) == [first + 10 * Self.second, first + 30 * Self.second, first + 60 * Self.second])
        let gaps = zip(tries.dropFirst(5), tries.dropFirst(6)).map { $1 - $0 }
        #expect(gaps == [10 * Self.second, 20 * Self.second, 30 * Self.second])

        let letter = try #require(Self.letters(w, .inventory).first)
        #expect(Self.letters(w, .inventory).count == 1)
        #expect(letter.id == "dl-1")
        #expect(letter.service == .inventory)
        #expect(letter.attempts == 9)
        #expect(letter.error == "database timeout")
        #expect(letter.failedAt == first + 60 * Self.second)
        #expect(letter.eventId == "evt-1" && letter.orderId == "ord-1" && letter.typeName == "order.created")
        guard case .delivery(let delivery) = letter.message else { return }
        #expect(delivery.target == .inventory && delivery.handler == .reserveStock)

        // Nothing committed: no effect, no outbox row, no processed mark.
        #expect(w.inventory.reservations.isEmpty)
        #expect(w.inventory.available["prod-1"] == 100)
        #expect(w.node(.inventory).outbox.count == 0)
        #expect(w.processedRows(of: .inventory).isEmpty)
        #expect(Lab.applied(w, .inventory, "evt-1") == 0)
        #expect(Lab.orderStatus(w, "ord-1") == .pending)

        // A dead letter is not work: the world is quiet, and the monitoring sees it.
        #expect(!w.hasWork)
        #expect(w.agenda.deliveries.isEmpty)
        #expect(Metrics(w).deadLetters == 1)
        #expect(Metrics(w).alarms.first { $0.name == "DeadLetters" }?.firing == true)
        #expect(Lab.status(w, "no-pending") == .broken)
    }

    @Test func otherConsumersAreNotHeldUpByOneThatRetries() {
        let w = Self.deadLettered()
        #expect(w.rewards.points(of: "alice") == 20)
        #expect(w.analytics.orderCount == 1)
        #expect(Self.letters(w, .rewards).isEmpty && Self.letters(w, .analytics).isEmpty)
    }

    @Test func aCustomConsumerPolicyIsHonoured() throws {
        var w = World()
        w.changeRetries(.consumers(immediate: 1, delayed: 2, delay: 5 * Self.second))
        #expect(w.settings.consumerRetries.immediate == 1)
        #expect(w.settings.consumerRetries.delayed == 2)
        #expect(w.settings.consumerRetries.delay == 5 * Self.second)
        w.setHandlerError(.payment, .always)
        Lab.order(&w)
        w.run()
        let tries = Self.attempts(w, .payment, "evt-2")
        let first = try #require(tries.first)
        #expect(tries == [first, first, first + 5 * Self.second, first + 15 * Self.second])
        #expect(Self.letters(w, .payment).map(\.attempts) == [4])
        #expect(w.payment.charges.isEmpty)
    }

    @Test func withNoRetriesTheFirstFailureIsDeadLettered() {
        var w = World()
        w.changeRetries(.consumers(immediate: 0, delayed: 0, delay: nil))
        #expect(w.settings.consumerRetries.delay == 10 * Self.second, "an absent key keeps its value")
        w.setHandlerError(.rewards, .always)
        Lab.order(&w)
        w.run()
        #expect(Self.attempts(w, .rewards).count == 1)
        #expect(Self.letters(w, .rewards).map(\.attempts) == [1])
        #expect(w.rewards.ledger.isEmpty)
    }

    @Test func aBusinessFailureIsNotRetried() {
        var w = World()
        w.setFailure(.payment, .next)
        Lab.order(&w)
        w.run()
        #expect(Self.attempts(w, .payment, "evt-2").count == 1)
        #expect(!w.trace.contains { $0.kind == .redeliver })
        #expect(w.deadLetters.isEmpty)
        #expect(Lab.orderStatus(w, "ord-1") == .cancelled)
    }

    @Test func aSkippedDuplicateDoesNotUseUpTheNextHandlerError() throws {
        var w = World()
        Lab.order(&w)
        w.run()
        w.setHandlerError(.inventory, .next)
        try w.messageFault(.duplicate, .event("evt-1"))
        w.run()
        #expect(w.node(.inventory).handlerError == .next, "the copy was skipped before the handler ran")
        #expect(w.deadLetters.isEmpty)
    }

    @Test func aPercentageDrawsFromTheSeededGenerator() {
        var a = World(seed: 5)
        var b = World(seed: 5)
        a.setHandlerError(.analytics, .percent(50))
        b.setHandlerError(.analytics, .percent(50))
        let drawsA = (0..<40).map { _ in a.handlerFails(.analytics) }
        let drawsB = (0..<40).map { _ in b.handlerFails(.analytics) }
        #expect(drawsA == drawsB)
        #expect(drawsA.contains(true) && drawsA.contains(false))
        #expect(a == b)
        var off = World(seed: 5)
        let before = off
        let fails = off.handlerFails(.analytics)
        #expect(!fails)
        #expect(off == before, "no draw when nothing is armed")
    }

    // MARK: - Redrive

    @Test func redriveAfterTheFixAppliesTheEffectExactlyOnceAndEmptiesTheQueue() throws {
        var w = Self.deadLettered()
        w.setHandlerError(.inventory, .off)
        try w.redrive(.inventory, id: nil)
        #expect(w.deadLetters.isEmpty)
        #expect(w.agenda.deliveries.map(\.delivery.retry) == [.redrive("dl-1")])
        #expect(w.agenda.deliveries.map(\.delivery.attempt) == [1], "a fresh attempt count")
        w.run()
        #expect(Lab.applied(w, .inventory, "evt-1") == 1)
        #expect(w.inventory.reservations.count == 1)
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(w.deadLetters.isEmpty)
        #expect(Lab.broken(w).isEmpty)
    }

    @Test func redriveWithoutTheFixFailsAgainAndReturnsAfterItsRetries() throws {
        var w = Self.deadLettered()
        let redrivenAt = w.now
        try w.redrive(.inventory, id: "dl-1")
        w.run()
        let letters = Self.letters(w, .inventory)
        #expect(letters.map(\.id) == ["dl-2"])
        #expect(letters.map(\.attempts) == [9])
        #expect(Self.attempts(w, .inventory).filter { $0 > redrivenAt }.count == 9)
        #expect(w.inventory.reservations.isEmpty)
    }

    @Test func redriveOfOneIdLeavesTheOthers() throws {
        var w = World()
        w.setHandlerError(.rewards, .always)
        Lab.order(&w)
        Lab.order(&w, "bob", [Lab.item("prod-2")])
        w.run()
        #expect(Self.letters(w, .rewards).map(\.eventId) == ["evt-1", "evt-2"])
        w.setHandlerError(.rewards, .off)
        let second = Self.letters(w, .rewards)[1].id
        try w.redrive(.rewards, id: second.description)
        w.run()
        #expect(Self.letters(w, .rewards).map(\.eventId) == ["evt-1"])
        #expect(w.rewards.points(of: "bob") == 25)
        #expect(w.rewards.points(of: "alice") == 0)
    }

    @Test func redriveRefusesWithoutChangingTheWorld() throws {
        var w = World()
        #expect(throws: WorldError("the inventory dead-letter queue is empty; no service has dead letters")) {
            try w.redrive(.inventory, id: nil)
        }
        w = Self.deadLettered()
        let before = w
        #expect(throws: WorldError("dl-1 waits in the inventory dead-letter queue, not the rewards one; `redrive inventory dl-1` sends it back")) {
            try w.redrive(.rewards, id: "dl-1")
        }
        #expect(throws: WorldError("no dead letter 'dl-7' at inventory (did you mean 'dl-1'?)")) {
            try w.redrive(.inventory, id: "dl-7")
        }
        #expect(throws: WorldError("no dead letter 'dl-9999' at inventory; it holds dl-1")) {
            try w.redrive(.inventory, id: "dl-9999")
        }
        #expect(throws: WorldError("the payment dead-letter queue is empty; dead letters wait at inventory")) {
            try w.redrive(.payment, id: nil)
        }
        #expect(w == before)
    }

    // MARK: - Poison messages

    @Test func poisonGoesToEverySubscribersQueueAtOnceWithoutRetries() throws {
        var w = World()
        try w.injectPoison(.orderCreated)
        let poison = try #require(w.published.first?.event)
        #expect(poison.isMalformed && poison.orderId == Event.noOrder && poison.source == .orders)
        w.run()
        let subscribers = w.subscribers(of: .orderCreated).map(\.target)
        #expect(Set(subscribers) == [.inventory, .rewards, .analytics])
        for service in subscribers {
            #expect(Self.attempts(w, service, poison.id).count == 1, "\(service) did not retry")
            let letters = Self.letters(w, service)
            #expect(letters.count == 1)
            #expect(letters.first?.attempts == 1)
            #expect(letters.first?.error == "cannot deserialize: malformed payload")
            #expect(letters.first?.failedAt == Self.attempts(w, service, poison.id).first)
        }
        #expect(w.analytics.eventsSeen == 0 && w.rewards.ledger.isEmpty && w.inventory.reservations.isEmpty)
        #expect(w.orders.orders.isEmpty)
        #expect(Metrics(w).failedEvents == 0)
        #expect(Lab.broken(w).isEmpty, "a poison message breaks no invariant")
        #expect(!w.hasWork)

        for service in subscribers { try w.redrive(service, id: nil) }
        w.run()
        for service in subscribers {
            #expect(Self.attempts(w, service, poison.id).count == 2)
            #expect(Self.letters(w, service).map(\.attempts) == [1], "back at once")
        }
        #expect(w.deadLetters.map(\.id) == ["dl-4", "dl-5", "dl-6"])
    }

    @Test func poisonNeedsItsSourceToBeRunning() throws {
        var w = World()
        try w.crashNow(.payment)
        let before = w
        #expect(throws: WorldError("payment is down, so it cannot publish payment.failed; `restart payment` first")) {
            try w.injectPoison(.paymentFailed)
        }
        #expect(w == before)
        try w.restart(.payment)
        try w.partition(.payment)
        #expect(throws: WorldError.self) { try w.injectPoison(.paymentCompleted) }
    }

    @Test func poisonAmongRealOrdersLeavesThemAlone() throws {
        var w = World()
        Lab.order(&w)
        try w.injectPoison(.inventoryReserved)
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        #expect(Set(w.deadLetters.map(\.service)) == [.orders, .payment, .analytics])
        #expect(w.payment.charges.count == 1)
        #expect(Lab.broken(w).isEmpty)
        // Wide enough that no table wraps its cells.
        let views = Views(w, style: Style(color: false, unicode: false, width: 200))
        #expect(views.events().contains("malformed payload"))
        #expect(!(try views.order("ord-1")).contains("dlq:"))
        #expect(!TraceDiagram(w, style: .plain).render(order: nil).isEmpty)
    }

    // MARK: - Determinism and the command language

    @Test func sameSeedAndCommandsGiveEqualWorlds() {
        let script = [
            "fail inventory error 40%", "fail rewards error next", "retry consumers immediate=2 delayed=2 delay=5s",
            "order alice prod-1x2", "order bob prod-3", "inject poison order.created", "order carol prod-2",
            "run", "fail inventory error off", "redrive inventory", "redrive analytics", "run", "show dlq",
        ]
        let (a, outA) = Lab.session(script, seed: 11)
        let (b, outB) = Lab.session(script, seed: 11)
        #expect(a.world == b.world)
        #expect(outA == outB)
        #expect(!a.world.deadLetters.isEmpty)
    }

    @Test func theRetryCommandShowsAndChangesThePolicy() {
        let (session, texts) = Lab.session(["retry", "retry consumers delayed=1", "retry consumers"])
        #expect(texts[0].hasPrefix("retry consumers immediate=5 delayed=3 delay=10s\n  5 immediate retries, then 3 delayed retries after 10s, 20s and 30s, then the dead-letter queue\n"))
        #expect(session.world.settings.consumerRetries.delayed == 1)
        #expect(session.world.settings.consumerRetries.immediate == 5)
        #expect(texts[2].hasPrefix("retry consumers immediate=5 delayed=1 delay=10s\n"))
    }

    static let rejected: [(String, String)] = [
        ("fail inventory error", "usage: fail SERVICE error next|always|PERCENT|off"),
        ("fail inventory error sometimes", "usage: fail SERVICE error"),
        ("fail inventory error alwys", "did you mean 'always'?"),
        ("fail inventory error 101", "usage: fail SERVICE error"),
        ("fail inventory error next now", "unexpected 'now'"),
        ("fail shiping error next", "unknown service 'shiping'"),
        ("fail rewards next", "fail rewards error next"),
        ("inject", "usage: inject poison EVENT-TYPE"),
        ("inject poisson order.created", "did you mean 'poison'?"),
        ("inject poison", "usage: inject poison EVENT-TYPE"),
        ("inject poison order.craeted", "did you mean 'order.created'?"),
        ("inject poison order.created twice", "unexpected 'twice'"),
        ("retry consmers", "did you mean 'consumers'?"),
        ("retry consumers imediate=3", "did you mean 'immediate'?"),
        ("retry consumers immediate", "expected KEY=VALUE"),
        ("retry consumers =3", "expected KEY=VALUE"),
        ("retry consumers immediate=1 immediate=2", "immediate is given twice"),
        ("retry consumers immediate=21", "from 0 to 20"),
        ("retry consumers delayed=-1", "from 0 to 20"),
        ("retry consumers delay=0s", "usage: retry"),
        ("retry consumers delay=soon", "usage: retry"),
        ("redrive", "usage: redrive SERVICE [ID]"),
        ("redrive inventroy", "did you mean 'inventory'?"),
        ("redrive inventory dl-0", "usage: redrive"),
        ("redrive inventory evt-1", "not a dead-letter id"),
        ("redrive inventory dl-1 dl-2", "unexpected 'dl-2'"),
        ("show dlq nobody", "unknown service"),
        ("show dlq inventory now", "unexpected 'now'"),
    ]

    @Test(arguments: rejected)
    func rejectsWithOneClearLineAndChangesNothing(_ line: String, _ fragment: String) {
        var session = Lab.session(["fail inventory error always", "order alice prod-1x2", "run"]).0
        let before = session.world
        let reply = session.execute(line)
        #expect(reply.isError)
        #expect(reply.text.hasPrefix("error: "))
        #expect(reply.text.contains(fragment), "`\(line)` -> \(reply.text)")
        #expect(!reply.text.contains("\n"))
        #expect(session.world == before)
    }

    @Test func completionOffersTheNewCommandsArguments() {
        let w = Self.deadLettered()
        #expect(Completion.candidates("fail rewards ", world: w) == ["error"])
        #expect(Completion.candidates("fail payment ", world: w) == ["next", "off", "30%", "20%", "error"])
        #expect(Completion.candidates("fail payment error a", world: w) == ["always"])
        #expect(Completion.candidates("inject ", world: w) == ["poison"])
        #expect(Completion.candidates("inject poison payment.", world: w) == ["payment.completed", "payment.failed", "payment.refunded"])
        #expect(Completion.candidates("retry ", world: w) == ["consumers", "steps", "reserve-inventory", "process-payment", "send-notification"])
        #expect(Completion.candidates("retry process-payment att", world: w) == ["attempts=0", "attempts=1", "attempts=3", "attempts=5"])
        #expect(Completion.candidates("retry consumers immediate=3 delay", world: w)
            == ["delayed=0", "delayed=1", "delayed=3", "delay=1s", "delay=5s", "delay=10s", "delay=30s"])
        #expect(Completion.candidates("redrive ", world: w) == ["inventory"])
        #expect(Completion.candidates("redrive inventory ", world: w) == ["dl-1"])
        #expect(Completion.candidates("show dl", world: w) == ["dlq"])
    }
}
