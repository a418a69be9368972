@testable import SagaLab
@testable import SagaKernel
import Testing

/// `show pending`, `pick N` and `explore`: the learner as the network, and the search
/// that checks the lab's promise. Everything is judged on world state.
@Suite struct ExplorerTests {
    /// One order placed and its order.created published: three deliveries in flight.
    static func published() -> World {
        var w = World()
        Lab.order(&w)
        w.step()
        return w
    }

    /// What `explore` with one fault finds from `world`, recording an issue when it finds nothing.
    static func counterexample(from world: World, sourceLocation: SourceLocation = #_sourceLocation) -> Counterexample? {
        let report = Explorer(budget: .init(faults: 1)).explore(world)
        guard case .broken(let example) = report.ending else {
            Issue.record("no counterexample: \(report.ending)", sourceLocation: sourceLocation)
            return nil
        }
        return example
    }

    // MARK: - pending and pick

    @Test func pendingListsEveryMessageInFlightAndOnlyPollsWithWork() {
        var w = World()
        #expect(w.pending.isEmpty, "idle publisher polls are not choices")
        Lab.order(&w)
        #expect(w.pending.map(\.action) == [.poll(.orders)])
        w.step()
        let targets = w.pending.compactMap { item -> ServiceName? in
            if case .deliver(let delivery) = item.action { return delivery.target } else { return nil }
        }
        #expect(targets == [.inventory, .rewards, .analytics])
    }

    @Test func pickDeliversOutOfOrderAtOnceAndLeavesTheRestPending() {
        var w = ExplorerTests.published()
        let before = w.now
        let last = w.pending[2]
        w.pick(last)
        #expect(w.now == before, "a picked message arrives at once")
        #expect(w.analytics.orderCount == 1)
        #expect(w.inventory.reservations.isEmpty, "inventory's copy still waits")
        #expect(w.pending.count == 2)
    }

    @Test func pickingATimerOrPollMovesTimeToIt() {
        var w = World()
        Lab.order(&w)
        let poll = w.pending[0]
        w.pick(poll)
        #expect(w.now == poll.time)
    }

    @Test func aBadPickNumberChangesNothing() {
        var (session, _) = Lab.session(["order alice prod-1", "publish orders"])
        let before = session.world
        let reply = session.execute("pick 7")
        #expect(reply.isError)
        #expect(session.world == before)
        #expect(session.execute("pick 0").isError)
        #expect(session.execute("pick x").isError)
        #expect(session.world == before)
    }

    // MARK: - explore

    @Test func exploreFindsTheDoubleApplicationWithIdempotencyOffAsAMinimalSchedule() {
        var w = World()
        w.setIdempotency(.off, for: ServiceName.allCases)
        Lab.order(&w)
        guard let example = ExplorerTests.counterexample(from: w) else { return }
        #expect(example.invariantId == "once-per-event")
        let replayed = Counterexample.replay(example.schedule, on: w)
        #expect(replayed?.invariant.id == "once-per-event")
        for index in example.schedule.indices {
            var shorter = example.schedule
            shorter.remove(at: index)
            #expect(Counterexample.replay(shorter, on: w)?.invariant.id != "once-per-event", "\(example.schedule) is not minimal")
        }
    }

    @Test func exploreExhaustsOneOrderWithEveryPatternOnAndNoFaults() {
        var w = World()
        Lab.order(&w)
        let report = Explorer(budget: .init(faults: 0)).explore(w)
        #expect(report.ending == .exhausted)
        #expect(report.distinct > 20, "every order of the deliveries was tried")
    }

    @Test func exploreWithADepthBudgetSaysItDidNotExhaust() {
        var w = World()
        Lab.order(&w)
        let report = Explorer(budget: .init(depth: 3, faults: 0)).explore(w)
        #expect(report.ending == .budgetReached)
        #expect(report.depth == 3)
    }

    @Test func exploreReportsItsProgressAsItGoes() {
        var w = World()
        Lab.order(&w)
        var reports: [Explorer.Report] = []
        let final = Explorer(budget: .init(faults: 1)).explore(w, progress: { reports.append($0) })
        #expect(reports.count > 1)
        #expect(reports.map(\.explored) == reports.map(\.explored).sorted(), "counts only grow")
        #expect((reports.last?.explored ?? .max) <= final.explored)
    }

    @Test func exploreStopsWhenAsked() {
        var w = World()
        Lab.order(&w)
        let report = Explorer(budget: .init(faults: 1)).explore(w, until: { true })
        #expect(report.ending == .stopped)
    }

    @Test func theCrashInsideADeliveryFindsTheCheckThenActGap() {
        var w = World()
        w.setIdempotency(.checkThenAct, for: [.inventory])
        Lab.order(&w)
        guard let example = ExplorerTests.counterexample(from: w) else { return }
        #expect(example.invariantId == "once-per-event")
        #expect(example.schedule.contains { if case .crashDuring(_, .inventory, .afterEffect) = $0 { return true } else { return false } })
        #expect(example.settling.contains(.restart(.inventory)), "the liveness phase restarts what crashed")
    }

    @Test func aShrunkScheduleNeedsEveryAction() {
        var w = World()
        w.setIdempotency(.off, for: ServiceName.allCases)
        Lab.order(&w)
        let report = Swarm(schedules: 50, budget: .init(depth: 400, faults: 3)).play(from: w)
        guard case .broken(let example, _) = report.ending else {
            Issue.record("the swarm found nothing with idempotency off: \(report.ending)")
            return
        }
        for index in example.schedule.indices {
            var shorter = example.schedule
            shorter.remove(at: index)
            #expect(Counterexample.replay(shorter, on: w)?.invariant.id != example.invariantId,
                    "action \(index) of \(example.schedule) could go")
        }
    }

    @Test func aSavedCounterexampleReplaysToTheSameBrokenWorld() {
        var (session, _) = Lab.session(["pattern idempotency off", "order alice prod-1x2"])
        _ = session.execute("explore")
        let reply = session.execute("explore save found.lab")
        guard case .save(let path, let contents) = reply.effect else {
            Issue.record("explore save wrote nothing: \(reply.text)")
            return
        }
        #expect(path == "found.lab")
        let lines = contents.split(separator: "\n").map(String.init)
        let seed = lines.first { $0.hasPrefix("seed ") }.flatMap { UInt64($0.dropFirst(5)) } ?? 1
        var replay = Session(seed: seed)
        for line in lines where !line.hasPrefix("seed ") {
            #expect(!replay.execute(line).isError, "`\(line)` was rejected")
        }
        #expect(Lab.broken(replay.world).contains("once-per-event"))
    }

    @Test func exploreSaveBeforeAnythingWasFoundIsRefused() {
        var session = Session()
        let reply = session.execute("explore save x.lab")
        #expect(reply.isError)
        #expect(reply.effect == nil)
    }

    @Test func exploreLeavesTheWorldAsItWas() {
        var (session, _) = Lab.session(["order alice prod-1"])
        let before = session.world
        _ = session.execute("explore faults=0")
        #expect(session.world == before)
        #expect(!session.script.contains { $0.hasPrefix("explore") })
    }

    @Test func aSearchPastTheMemoryCeilingStopsAndSaysWhy() {
        var (session, _) = Lab.session(["pattern all on", "order alice prod-1"])
        let before = session.world
        var checks = 0
        let ceiling = MemoryCeiling {
            checks += 1
            return checks > 2 ? .init(inUse: 3 << 30, limit: 2 << 30) : nil
        }
        let reply = session.execute("explore faults=1", watch: CommandWatch(memory: ceiling))
        #expect(checks == 3)
        #expect(reply.text.contains("stopped before exhausting: the search grew to 3.0 GB, past the 2.0 GB"))
        #expect(reply.text.contains("lower states= or depth="))
        #expect(!reply.isError)
        #expect(session.world == before)
        let unwatched = session.execute("explore faults=1")
        #expect(unwatched.text.contains("(exhausted)"))
    }

    @Test func aWorldAlreadyBrokenIsSaidToBeSoWithNoSchedule() {
        var (session, _) = Lab.session(["pattern idempotency off", "duplicate next order.created",
                                        "order alice prod-1", "run quiet"])
        let reply = session.execute("explore faults=0")
        #expect(reply.text.contains("broken already in this world"))
        guard case .broken(let example) = Explorer(budget: .init(faults: 0)).explore(session.world).ending else {
            Issue.record("a broken world explored as unbroken")
            return
        }
        #expect(example.schedule.isEmpty)
    }

    // MARK: - the swarm

    @Test func theSwarmIsDeterministic() {
        var w = World()
        Lab.order(&w)
        let swarm = Swarm(schedules: 20)
        #expect(swarm.play(from: w) == swarm.play(from: w))
    }

    @Test func theSwarmFindsTheDualWriteWithTheOutboxOff() {
        var w = World()
        w.setOutbox(false, for: ServiceName.publishers)
        Lab.order(&w)
        let report = Swarm(schedules: 200).play(from: w)
        guard case .broken(let example, _) = report.ending else {
            Issue.record("the swarm found nothing with the outbox off")
            return
        }
        #expect(Counterexample.replay(example.schedule, on: w)?.invariant.id == example.invariantId)
    }

    // MARK: - fingerprints

    /// The names of a value's stored properties, looking through `Shared`: a part kept
    /// behind one reference is named without its wrapper's underscore, and a group of
    /// them (`groups`) by the properties inside it.
    private func storedNames(_ value: Any, groups: Set<String> = []) -> Set<String> {
        var names: Set<String> = []
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            if groups.contains(label) {
                names.formUnion(Mirror(reflecting: child.value).children.compactMap(\.label))
            } else {
                names.insert(label.hasPrefix("_") ? String(label.dropFirst()) : label)
            }
        }
        return names
    }

    @Test func theFingerprintCoversEveryStoredPropertyOfTheWorld() {
        let names = storedNames(World(), groups: ["_setup"])
        let covered = World.fingerprinted.union(World.fixedDuringExploration).union(World.notState)
        #expect(names == covered, "a new World property must be fingerprinted or listed as fixed or history")
    }

    @Test func theDigestHashesEveryStoredPropertyOfANodeAndOfItsTables() {
        // The digest hashes these part by part, by name: a new property must join it.
        func names(_ value: Any) -> Set<String> { Set(Mirror(reflecting: value).children.compactMap(\.label)) }
        // (`waitingRows` is the outbox's count of rows waiting, which its rows give.)
        #expect(storedNames(World.Node(), groups: ["_tables"]) == ["waitingRows", "isUp", "isPartitioned", "publisherUp", "outbox", "processed", "deadLetters",
                                        "handlerError", "handlings", "queue"])
        // The first unpublished row follows from the rows; the slots are derived from the marks.
        #expect(names(Outbox()) == ["whole", "firstUnpublished", "sentEvents", "sentTimes", "sentPublishes", "compact"])
        // A compact table's event times (its bases and far times too) reach the digest
        // through `storedMarks`; its flag and count follow from the marks.
        #expect(names(ProcessedEvents()) == ["marks", "outcomes", "compact", "eventTimes", "bases", "farTimes", "compactCount",
                                             "eventSlot", "tokenSlot"])
        #expect(names(DeliveryQueue()) == ["items", "head"])
        #expect(names(Applications()) == ["perEvent", "perToken", "countedMoreThanOnce"])
        // The orders, sagas and executions row by row; the rest together (`hashBesidesTables`).
        #expect(names(OrdersDB()) == ["orders", "sagas", "executions", "idempotency", "pendingCount", "confirmedCount",
                                      "unsuccessfulCount", "confirmedTotal", "earnedPoints", "executionOfOrder",
                                      "flowsUsed"])
        // The reservations order by order; the rest together (`hashBesidesHeld`).
        #expect(names(InventoryDB()) == ["figures", "held", "fence", "nextSequence", "negativeProducts", "unbalancedProducts"])
        #expect(names(InventoryDB.Figures()) == ["available", "reserved", "sold", "supplied"])
    }

    @Test func aPackedRowsDigestFeedsEveryFieldItHas() {
        // These rows feed the search's fingerprint through a packing of their own
        // (`DigestRow`): a new field must join the packing, or two states that differ in it
        // become one. (An event's reason goes with its other fields; an order's customer and
        // items are fixed when it is placed.)
        func names(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
        let event = Event(id: EventId(number: 1), type: .orderCreated, orderId: OrderId(number: 1), amount: 1, reason: nil,
                          createdAt: 0)
        // (An event's amount, time, reason, type and flags share two words, read and
        // written through accessors: `digest` reads each of them.)
        #expect(names(event) == ["id", "orderId", "timeBits", "amountBits"])
        let delivery = Delivery(event: event, target: .inventory, handler: .reserveStock, attempt: 1, isCopy: false)
        #expect(names(delivery) == ["event", "attempts", "immediate", "delayed", "retry", "target", "handler", "isCopy"])
        #expect(names(Outbox.Row(event: event)) == ["event", "publishedTime", "publishes", "published"])
        let mark = ProcessedEvents.Mark(processedAt: 5, orderId: OrderId(number: 1), key: .event(EventId(number: 1)),
                                        eventType: .orderCreated)
        #expect(names(mark) == ["processedAt", "orderId", "key", "eventType"])
        #expect(names(World.Publication(event: event, count: 1)) == ["event", "count"])
        let saga = SagaState(sagaId: SagaId(number: 1), orderId: OrderId(number: 1), at: 0)
        #expect(names(saga) == ["recordTimes", "recordMarks", "sagaId", "orderId", "compensationWhy", "currentStep",
                                "recordCount", "compensationRequired"])
        #expect(names(SagaState.StepRecord(name: .created, succeeded: true, at: 0)) == ["at", "why", "name", "succeeded"])

        #expect(names(IdCounters()) == ["orders", "events", "sagas", "executions", "charges", "deadLetters", "handlings"])

        // And each field it feeds tells two rows apart.
        func term<Row: DigestRow>(_ row: Row) -> Int { World.rowTerm(0, 0, row) }
        for field in [\IdCounters.orders, \.events, \.sagas, \.executions, \.charges, \.deadLetters] {
            var ids = IdCounters()
            ids[keyPath: field] = 1
            #expect(term(ids) != term(IdCounters()), "\(ids) digests as no ids handed out")
        }
        var other = mark
        for change in [{ (m: inout ProcessedEvents.Mark) in m.processedAt = 6 },
                       { $0.orderId = OrderId(number: 2) },
                       { $0.key = .event(EventId(number: 2)) },
                       { $0.key = .call(OrderId(number: 1), .reserveInventory) },
                       { $0.key = .callAgain(OrderId(number: 1), .reserveInventory, run: 2) },
                       { $0.eventType = nil }] {
            other = mark
            change(&other)
            #expect(term(other) != term(mark), "\(other) digests as \(mark)")
        }
        #expect(term(ProcessedEvents.Mark(processedAt: 5, orderId: OrderId(number: 1), key: .callAgain(OrderId(number: 1), .reserveInventory, run: 2),
                                          eventType: nil))
            != term(ProcessedEvents.Mark(processedAt: 5, orderId: OrderId(number: 1), key: .callAgain(OrderId(number: 1), .reserveInventory, run: 3),
                                         eventType: nil)))
        var published = Outbox()
        published.append(event)
        let waiting = published.rows { _ in nil }[0]
        published.markPublished(event.id, at: 7)
        #expect(term(published.rows { _ in nil }[0]) != term(waiting))
        var copy = delivery
        copy.isCopy = true
        #expect(term(copy) != term(delivery))
        #expect(World.rowTerm(0, 1, delivery) != World.rowTerm(0, 0, delivery), "a row's position counts")
        #expect(World.rowTerm(1, 0, delivery) != World.rowTerm(0, 0, delivery), "so does its table")
    }

    @Test func aDatabasesDigestFeedsEveryFieldItHas() {
        // Payment, analytics and the reservations feed the fingerprint through packings of
        // their own (`DatabaseDigests.swift`): a new field must join the packing.
        func names(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
        func term<Row: DigestRow>(_ row: Row) -> Int { World.rowTerm(0, 0, row) }
        // Where each order's charges sit follows from the charges.
        #expect(names(PaymentDB()) == ["charges", "captured", "refunded", "fence", "chargesOfOrder"])
        #expect(names(FenceLog()) == ["marks", "count"])
        #expect(names(FenceLog.Mark(orderId: OrderId(number: 1), kind: .rolledBack, at: 0))
            == ["orderId", "kind", "at", "refused"])
        #expect(names(AnalyticsDB()) == ["revenue", "orderCount", "successful", "failed", "eventsSeen", "windows",
                                         "streamTime", "lateDropped", "paymentsPassed", "paymentsFailed",
                                         "paymentRevenue", "reportDue"])

        let charge = PaymentDB.Charge(id: ChargeId(number: 1), orderId: OrderId(number: 1), customer: "alice",
                                      amount: 10, refunded: false, at: 3)
        #expect(names(charge) == ["id", "orderId", "customer", "amount", "refunded", "at"])
        for change in [{ (c: inout PaymentDB.Charge) in c.id = ChargeId(number: 2) }, { $0.orderId = OrderId(number: 2) },
                       { $0.customer = "bob" }, { $0.amount = 11 }, { $0.refunded = true }, { $0.at = 4 }] {
            var other = charge
            change(&other)
            #expect(term(other) != term(charge), "\(other) digests as \(charge)")
        }

        let reservation = InventoryDB.Reservation(orderId: OrderId(number: 1), items: [OrderItem(product: "prod-1", quantity: 2)],
                                                  eventId: EventId(number: 1), at: 3, sequence: 0)
        #expect(names(reservation) == ["items", "at", "orderId", "eventId", "sequence", "isSold"])
        for change in [{ (r: inout InventoryDB.Reservation) in r.orderId = OrderId(number: 2) },
                       { $0.items = [OrderItem(product: "prod-2", quantity: 2)] },
                       { $0.items = [OrderItem(product: "prod-1", quantity: 3)] },
                       { $0.items.append(OrderItem(product: "prod-2", quantity: 1)) },
                       { $0.eventId = EventId(number: 2) }, { $0.at = 4 }, { $0.isSold = true }, { $0.sequence = 1 }] {
            var other = reservation
            change(&other)
            #expect(term(other) != term(reservation), "\(other) digests as \(reservation)")
        }

        var fenced = PaymentDB()
        _ = fenced.fence.record(.rolledBack, order: OrderId(number: 1), at: 0)
        #expect(term(fenced) != term(PaymentDB()))
        var refused = fenced
        refused.fence.refuse(OrderId(number: 1))
        var emptied = PaymentDB()
        _ = emptied.fence.record(.emptyRollback, order: OrderId(number: 1), at: 0)
        var later = PaymentDB()
        _ = later.fence.record(.rolledBack, order: OrderId(number: 1), at: 1)
        #expect(Set([term(fenced), term(refused), term(emptied), term(later)]).count == 4, "every field of a fence mark counts")

        var analytics = AnalyticsDB()
        for change in [{ (a: inout AnalyticsDB) in a.revenue = 1 }, { $0.orderCount = 1 }, { $0.successful = 1 },
                       { $0.failed = 1 }, { $0.eventsSeen = 1 }, { $0.windows[0] = 1 }, { $0.windows[60_000] = 1 },
                       { $0.streamTime = 1 }, { $0.lateDropped = 1 }, { $0.paymentsPassed = 1 },
                       { $0.paymentsFailed = 1 }, { $0.paymentRevenue = 1 }, { $0.reportDue = 0 }] {
            var other = analytics
            change(&other)
            #expect(term(other) != term(analytics), "\(other) digests as \(analytics)")
        }
        analytics.windows = [0: 1, 60_000: 2]
        var reordered = AnalyticsDB()
        reordered.windows[60_000] = 2
        reordered.windows[0] = 1
        #expect(term(reordered) == term(analytics), "the windows' order plays no part")
    }

    @Test func theCountsKeptForTheLearnerAreNotState() {
        // Worlds that differ only in what the lab counts for the learner to read behave
        // alike from here on: the search takes them for one state.
        var placed = World()
        Lab.order(&placed)
        let event = placed.outboxRows(of: .orders)[0].event.id
        var sent = placed
        sent.updateNode(.orders) { $0.outbox.recordSend(event) }
        #expect(sent.outboxRows(of: .orders)[0].publishCount == 1)
        #expect(sent.fingerprint == placed.fingerprint, "how often a row was sent")

        let published = ExplorerTests.published()
        var counted = published
        counted.messagesSent += 5
        counted.ids.handlings += 3
        _ = counted.published.publishAgain(at: 0)
        #expect(counted != published)
        #expect(counted.fingerprint == published.fingerprint, "messages sent, deliveries handled, publications")

        var moved = published
        moved.ids.events += 1
        #expect(moved.fingerprint != published.fingerprint, "an event id handed out is state")
    }

    @Test func enumsNamedByStringsHashByTheirCase() {
        // `HashedByCase` hashes the one-byte tag of a case: every case must fit one byte.
        let sizes = [MemoryLayout<ServiceName>.size, MemoryLayout<EventType>.size, MemoryLayout<Handler>.size,
                     MemoryLayout<SagaTask>.size, MemoryLayout<CrashPoint>.size, MemoryLayout<Order.Status>.size,
                     MemoryLayout<SagaStepName>.size, MemoryLayout<SagaStep>.size, MemoryLayout<Flow>.size,
                     MemoryLayout<SagaMode>.size, MemoryLayout<Execution.Status>.size, MemoryLayout<TaskError>.size,
                     MemoryLayout<SagaDefinition.Kind>.size, MemoryLayout<IdempotencyRecord.Status>.size,
                     MemoryLayout<FenceLog.Mark.Kind>.size, MemoryLayout<FencedStep>.size, MemoryLayout<Recipe.Step>.size]
        #expect(sizes.allSatisfy { $0 == 1 })
        #expect(Set(SagaStepName.allCases.map(\.hashValue)).count == SagaStepName.allCases.count, "two cases hash alike")
        let types = EventType.allCases
        let hashes = Set(types.map { $0.hashValue })
        #expect(hashes.count == types.count, "two cases hash alike")
        #expect(Set(types + types).count == types.count)
    }

    @Test(arguments: [
        ["pattern all on"], ["mode orchestration", "pattern idempotency off"], ["publishers own-process"],
        ["design eventbridge", "set concurrency inventory 2"], ["design kafka"], ["pattern all on", "mode orchestration"],
    ])
    func aFingerprintKeptStepByStepIsTheOneFromScratch(_ changes: [String]) {
        let (session, _) = Lab.session(changes + ["order alice prod-1x2", "order bob prod-2"])
        for seed in 1...12 {
            var rng = SeededGenerator(seed: UInt64(seed))
            var world = session.world
            var digest = World.Digest(of: world)
            for _ in 0..<60 {
                let moves = world.moves(faults: rng.chance(percent: 30), beyondPromise: rng.chance(percent: 10))
                guard !moves.isEmpty else { break }
                var next = world
                let move = moves[rng.int(in: 0...moves.count - 1)]
                guard next.make(move) else { continue }
                next.trace.removeAll()
                #expect(digest.successor(next, of: world).fingerprint == next.fingerprint)
                digest = digest.successor(next, of: world, taken: move.item)
                #expect(digest.fingerprint == next.fingerprint)
                world = next
            }
        }
    }

    @Test func aMessageHeldBackPastEveryLatencyIsAStateOfItsOwn() {
        let w = ExplorerTests.published()
        guard let delay = w.moves(faults: true).first(where: { if case .delay = $0.action { return true } else { return false } })
        else {
            Issue.record("no delay among the faults")
            return
        }
        var held = w
        let made = held.make(delay)
        #expect(made)
        #expect(held.fingerprint != w.fingerprint, "a timer may overtake the held message now: it is not the world before")
    }

    @Test func worldsReachedInDifferentOrdersShareAFingerprint() {
        let w = ExplorerTests.published()
        var a = w
        var b = w
        let items = w.pending
        a.pick(items[1]); a.pick(a.pending.first { $0.action == items[2].action }!)
        b.pick(items[2]); b.pick(b.pending.first { $0.action == items[1].action }!)
        #expect(a != b, "their traces differ")
        #expect(a.fingerprint == b.fingerprint)
    }
}
