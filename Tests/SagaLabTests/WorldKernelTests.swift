@testable import SagaKernel
@testable import SagaLab
import Testing

/// The kernel: determinism, the agenda, snapshots, virtual time.
@Suite struct WorldKernelTests {
    static let script = [
        "order alice prod-1x2",
        "order bob prod-2 prod-3x2",
        "duplicate next order.created",
        "pattern idempotency off inventory",
        "order carol prod-1",
        "fail payment next",
        "order dave prod-2",
        "step 5",
        "crash inventory at after-effect",
        "run",
        "restart inventory",
        "run",
        "advance 5m",
        "show orders",
        "show stock",
        "show payments",
        "show points",
        "show analytics",
        "show events",
        "show metrics",
        "trace",
        "log",
        "check",
    ]

    // MARK: - Determinism

    @Test func sameSeedAndCommandsGiveEqualWorldsAndIdenticalOutput() {
        let (a, outA) = Lab.session(Self.script, seed: 42)
        let (b, outB) = Lab.session(Self.script, seed: 42)
        #expect(a.world == b.world)
        #expect(outA == outB)
        #expect(Array(outA.joined(separator: "\n").utf8) == Array(outB.joined(separator: "\n").utf8))
        // The script really did something: orders exist and time moved.
        #expect(a.world.orders.orders.count == 4)
        #expect(a.world.now > 5 * VirtualTime.minute)
    }

    @Test func sameSeedWorldsDrivenByMethodsAreEqual() throws {
        func build() throws -> World {
            var w = World(seed: 9)
            Lab.order(&w, "alice", [Lab.item("prod-1", 3)])
            try w.arm(.payment, at: .afterEffect)
            Lab.order(&w, "bob", [Lab.item("prod-3")])
            w.run()
            try w.restart(.payment)
            w.run()
            return w
        }
        let a = try build()
        let b = try build()
        #expect(a == b)
        #expect(a.trace == b.trace)
        #expect(!a.trace.isEmpty)
    }

    @Test func differentSeedChangesLatencies() {
        func deliveryTimes(seed: UInt64) -> [Millis] {
            var w = World(seed: seed)
            Lab.order(&w)
            Lab.order(&w, "bob", [Lab.item("prod-2")])
            w.run()
            #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
            return w.trace.filter { $0.kind == .deliver }.map(\.time)
        }
        let one = deliveryTimes(seed: 1)
        let oneAgain = deliveryTimes(seed: 1)
        let two = deliveryTimes(seed: 2)
        #expect(one == oneAgain)
        #expect(one.count == two.count, "the same events are delivered whatever the seed")
        #expect(one != two, "a different seed must draw different latencies")
        #expect(World(seed: 1) != World(seed: 2))
    }

    @Test func latenciesStayWithinTheConfiguredRange() {
        var w = World(seed: 5)
        for n in 0..<10 { Lab.order(&w, "c\(n)", [Lab.item("prod-1")]) }
        w.advance(by: 30 * VirtualTime.second)  // first publisher poll at 30s
        let deliveries = w.agenda.deliveries
        #expect(!deliveries.isEmpty)
        for d in deliveries {
            #expect(d.time >= w.now + w.settings.latencyMin)
            #expect(d.time <= w.now + w.settings.latencyMax)
        }
    }

    @Test func theSeededGeneratorIsReproducible() {
        var a = SeededGenerator(seed: 77)
        var b = SeededGenerator(seed: 77)
        var c = SeededGenerator(seed: 78)
        let xs = (0..<20).map { _ in a.next() }
        let ys = (0..<20).map { _ in b.next() }
        let zs = (0..<20).map { _ in c.next() }
        #expect(xs == ys)
        #expect(xs != zs)
        var r = SeededGenerator(seed: 3)
        for _ in 0..<500 {
            let v = r.int(in: 20...120)
            #expect((20...120).contains(v))
        }
        var always = SeededGenerator(seed: 3)
        let hundred = (0..<100).map { _ in always.chance(percent: 100) }
        let zero = (0..<100).map { _ in always.chance(percent: 0) }
        #expect(hundred.allSatisfy { $0 })
        #expect(zero.allSatisfy { !$0 })
    }

    // MARK: - Agenda

    @Test func agendaPopsInTimeThenSequenceOrder() {
        var agenda = Agenda()
        agenda.schedule(.poll(.orders), at: 50)     // seq 0
        agenda.schedule(.poll(.inventory), at: 10)  // seq 1
        agenda.schedule(.poll(.payment), at: 50)    // seq 2
        agenda.schedule(.poll(.orders), at: 10)     // seq 3
        agenda.schedule(.poll(.payment), at: 0)     // seq 4
        var popped: [(Millis, Int, Agenda.Action)] = []
        while let item = agenda.popFirst() { popped.append((item.time, item.sequence, item.action)) }
        #expect(popped.map(\.0) == [0, 10, 10, 50, 50])
        #expect(popped.map(\.1) == [4, 1, 3, 0, 2])
        #expect(popped.map(\.2) == [.poll(.payment), .poll(.inventory), .poll(.orders), .poll(.orders), .poll(.payment)])
        #expect(agenda.popFirst() == nil)
    }

    @Test func agendaRemoveReturnsItemsInAgendaOrder() {
        var agenda = Agenda()
        agenda.schedule(.poll(.payment), at: 30)
        agenda.schedule(.poll(.orders), at: 20)
        agenda.schedule(.poll(.inventory), at: 10)
        let removed = agenda.remove { $0.action != .poll(.orders) }
        #expect(removed.map(\.time) == [10, 30])
        #expect(agenda.items.map(\.action) == [.poll(.orders)])
    }

    @Test func aFreshWorldSchedulesOnePollPerPublisherAtTheInterval() {
        let w = World()
        #expect(w.agenda.items.map(\.action) == ServiceName.publishers.map { .poll($0) })
        #expect(w.agenda.items.allSatisfy { $0.time == 30 * VirtualTime.second })
        #expect(!w.hasWork)
        #expect(w.now == 0)
    }

    @Test func theOutboxRowIsPublishedAtTheFirstPollNotBefore() {
        var w = World()
        Lab.order(&w)
        #expect(w.hasWork)
        #expect(w.published.isEmpty)
        w.advance(by: 29_999)
        #expect(w.published.isEmpty, "nothing is published before the 30 s poll")
        w.advance(by: 1)
        #expect(Lab.publishCount(w, "evt-1") == 1)
        let publish = w.trace.first { $0.kind == .publish }
        #expect(publish?.time == 30_000)
    }

    @Test func traceTimesNeverGoBackwards() throws {
        var w = World(seed: 11)
        for n in 0..<5 { Lab.order(&w, "c\(n)", [Lab.item("prod-2")]) }
        try w.messageFault(.delay(2 * VirtualTime.minute), .next(.orderCreated))
        try w.messageFault(.duplicate, .next(.inventoryReserved))
        w.run()
        let times = w.trace.map(\.time)
        #expect(times == times.sorted())
    }

    @Test func stepWithNothingToDoLeavesTheWorldUnchanged() {
        var w = World()
        let before = w
        let stepped = w.step()
        let ran = w.run()
        #expect(stepped == false)
        #expect(ran == 0)
        #expect(w == before)
    }

    @Test func stepShowsOneVisibleThingAtATime() {
        var w = World()
        Lab.order(&w)
        let start = w.trace.count
        let stepped = w.step()
        #expect(stepped)
        #expect(w.trace.count > start, "a step that returns true logged something")
        #expect(w.now == 30_000, "idle polls are skipped silently up to the publish")
    }

    @Test func runStopsWhenItsClosureSaysSo() {
        var w = World()
        Lab.order(&w)
        var asked = 0
        let steps = w.run(until: {
            asked += 1
            return asked > 2
        })
        #expect(steps == 2)
        #expect(w.hasWork)
        #expect(Lab.orderStatus(w, "ord-1") == .pending)
    }

    // MARK: - Snapshots

    @Test func copyingAWorldIsASnapshot() throws {
        var world = World(seed: 4)
        Lab.order(&world)
        world.run()
        let before = world
        var copy = world
        Lab.order(&copy, "bob", [Lab.item("prod-3", 2)])
        try copy.crashNow(.inventory)
        try copy.partition(.payment)
        try copy.setStock("prod-1", 3)
        copy.setFailure(.payment, .percent(50))
        copy.setOutbox(false, for: [.orders])
        copy.setIdempotency(.off, for: [.inventory])
        try copy.arm(.orders, at: .afterCommit)
        try copy.messageFault(.drop, .next(nil))
        copy.run()
        copy.advance(by: VirtualTime.hour)

        #expect(world == before)
        #expect(copy != world)
        #expect(world.orders.orders.count == 1)
        #expect(world.inventory.available["prod-1"] == 98)
        #expect(world.node(.inventory).isUp)
        #expect(!world.node(.payment).isPartitioned)
        #expect(world.armedCrashes.isEmpty && world.armedMessageFaults.isEmpty)
        #expect(world.patterns == Patterns())
        #expect(world.failures.isEmpty)
        #expect(copy.orders.orders.count == 2)
    }

    @Test func equalityNoticesEveryKindOfChange() throws {
        let base = World()
        var a = base
        a.setFailure(.payment, .next)
        #expect(a != base)
        var b = base
        try b.arm(.orders, at: .afterCommit)
        #expect(b != base)
        var c = base
        c.advance(by: 1)
        #expect(c != base)
        var d = base
        try d.setStock("prod-2", 50)  // same quantity, but it is logged
        #expect(d != base)
        var e = base
        _ = e.rng.next()
        #expect(e != base, "the generator's state is part of the world")
    }

    // MARK: - Virtual time

    @Test(arguments: [
        (0, "00:00.000"),
        (42, "00:00.042"),
        (30_042, "00:30.042"),
        (59 * 60_000 + 59_999, "59:59.999"),
        (3_600_000, "1:00:00.000"),
        (3_630_042, "1:00:30.042"),
        (23 * 3_600_000 + 5 * 60_000, "23:05:00.000"),
        (86_400_000, "1d 0:00:00.000"),
        (8 * 86_400_000, "8d 0:00:00.000"),
        (8 * 86_400_000 + 3_723_004, "8d 1:02:03.004"),
    ])
    func stamp(_ t: Millis, _ expected: String) {
        #expect(VirtualTime.stamp(t) == expected)
    }

    @Test(arguments: [
        (0, "0s"),
        (1, "1ms"),
        (250, "250ms"),
        (1_000, "1s"),
        (30_000, "30s"),
        (90_000, "1m30s"),
        (999, "999ms"),
        (1_500, "1.500s"),
        (90_063, "1m30.063s"),
        (3_600_000, "1h"),
        (3_600_001, "1h0.001s"),
        (7 * 86_400_000, "7d"),
        (8 * 86_400_000 + 90_500, "8d1m30.500s"),
    ])
    func duration(_ t: Millis, _ expected: String) {
        #expect(VirtualTime.duration(t) == expected)
        if !expected.contains(".") {
            #expect(VirtualTime.parseDuration(expected) == t, "a whole duration reads back as typed")
        }
    }

    @Test(arguments: [
        ("500ms", 500),
        ("30s", 30_000),
        ("30", 30_000),
        ("0", 0),
        ("5m", 300_000),
        ("2h", 7_200_000),
        ("7d", 604_800_000),
        ("8d", 691_200_000),
        ("1m30s", 90_000),
        ("1h1m1s1ms", 3_661_001),
        ("30S", 30_000),
        ("2H", 7_200_000),
        ("1s1s", 2_000),
        ("10000d", 864_000_000_000),
        ("864000000", 864_000_000_000),
    ])
    func parseValid(_ text: String, _ expected: Millis) {
        #expect(VirtualTime.parseDuration(text) == expected)
    }

    @Test(arguments: [
        "", "abc", "s", "ms", "5x", "5 s", "-5s", "-5", "+5s", "1.5s", "1m30", "30s5", "5min", "5sec",
        "１２s", "5ſ", "10001d", "864000001", "99999999999999999999", "9999999999999s",
        String(repeating: "1", count: 41), String(repeating: "1s", count: 25),
    ])
    func parseInvalid(_ text: String) {
        #expect(VirtualTime.parseDuration(text) == nil)
    }

    /// Twelve digits pass the digit-count guard, and 999 999 999 999 days does not fit in
    /// an Int64 of milliseconds: `n * size` traps before the 10 000-day guard runs.
    @Test
    func parseOverflowingDurationIsRejected() {
        #expect(VirtualTime.parseDuration("999999999999d") == nil)
        var session = Session()
        let before = session.world
        let reply = session.execute("advance 999999999999d")
        #expect(reply.isError)
        #expect(session.world == before)
    }

    @Test func largeButSafeDurationsAreRejectedWithoutTrapping() {
        // Up to 11 digits times a day fits in Int64, and is past the 10 000-day limit.
        #expect(VirtualTime.parseDuration("99999999999d") == nil)
        #expect(VirtualTime.parseDuration("999999999999h") == nil)
        #expect(VirtualTime.parseDuration("999999999999m") == nil)
        #expect(VirtualTime.parseDuration("9999d9999d") == nil)
    }
}
