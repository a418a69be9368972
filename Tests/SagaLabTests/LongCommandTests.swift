import Lessons
@testable import SagaLab
import Testing

/// Long commands: `run` has no step limit, a watch stops `run`, `advance` and `step N`
/// between whole steps, an interrupted command is saved as the steps it took, and
/// progress reaches the host. Everything is judged on world state, never on timing.
@Suite struct LongCommandTests {
    /// A world that takes more than 10 000 steps to settle, yet stays small: every
    /// delivery to inventory fails 41 times before it is dead-lettered.
    static let busyLines = ["retry consumers immediate=20 delayed=20 delay=1s", "fail inventory error always"]
        + (1...260).map { "order cust-\($0) prod-1" }

    /// A few orders with faults on the way: retries, a crash and a duplicate.
    static func smallWorld() -> World {
        let (session, _) = Lab.session([
            "order alice prod-1x2", "order bob prod-2 prod-3", "duplicate next order.created",
            "order carol prod-1", "fail payment next", "order dave prod-3", "fail rewards error next",
            "crash payment at after-effect",
        ])
        return session.world
    }

    /// A watch that stops the command when it is asked for the `(limit + 1)`th time.
    static func stopping(after limit: Int) -> CommandWatch {
        var asked = 0
        return CommandWatch(shouldStop: {
            asked += 1
            return asked > limit
        })
    }

    /// Runs `command` under a watch that stops at once, and holds that it says `text` and
    /// leaves the world and the script as they were.
    static func stopAtOnce(_ session: inout Session, _ command: String, says text: String) {
        let world = session.world
        let script = session.script
        let reply = session.execute(command, watch: CommandWatch(shouldStop: { true }))
        #expect(reply.isInterrupted)
        #expect(reply.text == text)
        #expect(session.world == world)
        #expect(session.script == script)
    }

    // MARK: - No step limit

    @Test func oneRunSettlesAWorldThatTakesMoreThanTenThousandSteps() {
        var (session, _) = Lab.session(Self.busyLines)
        let reply = session.execute("run quiet")
        #expect(!reply.isInterrupted)
        #expect(!session.world.hasWork)
        let steps = Int(reply.text.split(separator: "\n").last?.split(separator: " ")[1] ?? "") ?? 0
        #expect(steps > 10_000)
        #expect(session.world.deadLetters.count == 260)
    }

    // MARK: - Interrupting between whole steps

    @Test(arguments: [1, 2, 7, 23])
    func runStoppedAfterKStepsEqualsKSteps(k: Int) {
        var stopped = Self.smallWorld()
        var stepped = stopped
        var asked = 0
        let steps = stopped.run(until: {
            asked += 1
            return asked > k
        })
        for _ in 0..<k { stepped.step() }
        #expect(steps == k)
        #expect(stopped == stepped)
    }

    @Test(arguments: [1, 3, 11, 25])
    func advanceStoppedAfterKStepsEqualsKSteps(k: Int) {
        var stopped = Self.smallWorld()
        var stepped = stopped
        var asked = 0
        let steps = stopped.advance(by: 10 * VirtualTime.minute, until: {
            asked += 1
            return asked > k
        })
        for _ in 0..<k { stepped.step() }
        #expect(steps == k)
        #expect(stopped == stepped)
    }

    @Test func advanceThatIsNotStoppedIsUnchanged() {
        var watched = Self.smallWorld()
        var plain = watched
        _ = watched.advance(by: 10 * VirtualTime.minute, watch: CommandWatch())
        plain.advance(by: 10 * VirtualTime.minute)
        #expect(watched == plain)
    }

    /// Stretches of `progressInterval` steps join up: a watched run stopped past several
    /// of them is still the world after that many single steps.
    @Test func watchedRunStoppedAcrossStretchesEqualsThatManySteps() {
        var world = World()
        for n in 1...60 { Lab.order(&world, "cust-\(n)", [Lab.item("prod-1")]) }
        var stepped = world
        let k = 2 * CommandWatch.progressInterval + 17
        let watch = Self.stopping(after: k)
        let stride = world.run(watch: watch)
        for _ in 0..<k { stepped.step() }
        #expect(stride == Stride(steps: k, stopped: true))
        #expect(world == stepped)
    }

    // MARK: - What the session keeps and saves

    @Test(arguments: ["run", "run quiet", "advance 1h", "step 500"])
    func anInterruptedCommandIsSavedAsItsStepsAndReplaysToTheSameWorld(command: String) {
        var (session, _) = Lab.session(["order alice prod-1x2", "order bob prod-3", "fail payment next", "order carol prod-2"])
        let before = session.world
        let watch = Self.stopping(after: 9)
        let reply = session.execute(command, watch: watch)
        #expect(reply.isInterrupted)
        #expect(!reply.isError)
        #expect(reply.text.contains("interrupted after 9 steps; now \(VirtualTime.stamp(session.world.now)); "))
        #expect(session.script.last == "step 9")
        var stepped = before
        for _ in 0..<9 { stepped.step() }
        #expect(session.world == stepped)

        var replay = Session()
        for line in session.scriptText.split(separator: "\n") {
            #expect(!replay.execute(String(line)).isError)
        }
        #expect(replay.world == session.world)
    }

    /// Ctrl-C after the last step, while the lines of what happened are drawn (a million
    /// orders' run draws millions): the command stays whole and the reply says where the
    /// lines are.
    @Test(arguments: ["run", "advance 1h", "step 500"])
    func ctrlCWhileTheLinesAreDrawnKeepsTheWholeCommand(command: String) throws {
        let (start, _) = Lab.session(["order alice prod-1x2", "order bob prod-3", "fail payment next", "order carol prod-2"])
        var whole = start
        let shown = whole.execute(command)
        #expect(!shown.isInterrupted)
        var stoppedWhileDrawing: [Reply] = []
        for limit in whole.lastSteps...(whole.lastSteps + 3) {
            var session = start
            let reply = session.execute(command, watch: Self.stopping(after: limit))
            guard reply.text.contains("Ctrl-C: the ") else { continue }
            stoppedWhileDrawing.append(reply)
            #expect(reply.isInterrupted)
            #expect(session.world == whole.world, "every step was taken")
            #expect(session.script == whole.script, "the command is kept as typed")
            let ending = try #require(shown.text.split(separator: "\n").last)
            #expect(reply.text.contains(ending), "the reply still says how the command ended")
            #expect(reply.text.contains("`log` shows them"))
            #expect(!reply.text.contains(": received "), "no line of what happened is shown")
        }
        #expect(stoppedWhileDrawing.count == 1, "one look at Ctrl-C falls while the lines are drawn")
    }

    /// The lines of a long run take memory as well: past the ceiling they are not drawn,
    /// and the run, which fitted, is kept whole.
    @Test func linesThatWouldOutgrowTheCeilingAreNotDrawn() {
        let (start, _) = Lab.session(["order alice prod-1x2", "order bob prod-3", "fail payment next", "order carol prod-2"])
        var whole = start
        let shown = whole.execute("run")
        var session = start
        let full = MemoryCeiling(check: { MemoryCeiling.Excess(inUse: 2 << 30, limit: 1 << 30) })
        let reply = session.execute("run", watch: CommandWatch(memory: full))
        #expect(reply.isInterrupted)
        #expect(reply.text.contains("lines of what happened are not shown: drawn, they would outgrow the 1.0 GB"))
        #expect(reply.text.contains(String(shown.text.split(separator: "\n").last ?? "")))
        #expect(session.world == whole.world)
        #expect(session.script == whole.script)
    }

    /// `show processed` of many orders draws a table of hundreds of thousands of rows:
    /// Ctrl-C stops it with nothing shown and nothing changed.
    @Test func ctrlCStopsALongTableWithNothingShown() {
        var (session, _) = Lab.session(["order user-1..1200 prod-1", "run quiet"])
        Self.stopAtOnce(&session, "show processed", says: "show interrupted; nothing shown")
        let shown = session.execute("show processed", watch: CommandWatch(shouldStop: { false }))
        #expect(!shown.isInterrupted)
        #expect(shown.text.split(separator: "\n").count > Table.stride, "the table is long enough to be asked")
        let small = session.execute("show stock", watch: CommandWatch(shouldStop: { true }))
        #expect(!small.isInterrupted, "a short table never asks")
    }

    /// A view turns thousands of orders into rows before its table draws any: it asks the
    /// stop flag as it goes, and stops building once told to.
    @Test func aViewStopsBuildingItsRowsWhenAsked() {
        var views = Views(World(), style: .plain)
        var asked = 0
        views.shouldStop = {
            asked += 1
            return true
        }
        let built = views.rows(of: 0..<(3 * Table.stride)) { ["\($0)"] }
        #expect(built.count == Table.stride)
        #expect(asked == 1)
        views.shouldStop = { false }
        #expect(views.rows(of: 0..<(3 * Table.stride)) { ["\($0)"] }.count == 3 * Table.stride)
    }

    @Test func aCommandInterruptedBeforeItsFirstStepChangesNothing() {
        var (session, _) = Lab.session(["order alice prod-1", "crash orders", "restart orders"])
        Self.stopAtOnce(&session, "run", says: "interrupted before the first step; nothing changed")
    }

    @Test func anInterruptedLineSaysHowFarItGot() {
        var (session, _) = Lab.session(["order alice prod-1", "order bob prod-2"])
        let watch = Self.stopping(after: 3)
        let reply = session.execute("run", watch: watch)
        #expect(reply.text == "interrupted after 3 steps; now \(VirtualTime.stamp(session.world.now)); 2 of 2 orders PENDING")
    }

    /// An interrupted command names the invariants its own steps broke, and only those:
    /// one broken by an earlier command was announced then.
    @Test func anInterruptedLineFollowsTheInvariantsItsStepsBroke() {
        var (session, _) = Lab.session(["design kafka", "duplicate next", "order alice prod-1"])
        let reply = session.execute("run quiet", watch: Self.stopping(after: 10))
        let lines = reply.text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.contains("invariant broken: no consumer applied one event twice") }.count == 1)
        #expect(lines.last?.hasPrefix("interrupted after 10 steps; ") == true)

        let again = session.execute("run quiet", watch: Self.stopping(after: 2))
        #expect(again.text == "interrupted after 2 steps; now \(VirtualTime.stamp(session.world.now)); 0 of 1 order PENDING")
    }

    /// `show pending` of a world with thousands of deliveries waiting stops on Ctrl-C.
    @Test func showPendingOfThousandsOfDeliveriesStops() {
        var (session, _) = Lab.session(["order user-1..2000 prod-1", "step"])
        #expect(session.world.pending.count > Table.stride)
        let reply = session.execute("show pending", watch: Self.stopping(after: 0))
        #expect(reply.isInterrupted)
        #expect(reply.text == "show interrupted; nothing shown")
        let whole = session.execute("show pending")
        #expect(whole.text.split(separator: "\n").count == session.world.pending.count + 1)
    }

    /// `check` of a million orders judges for seconds: Ctrl-C stops it with nothing shown
    /// and nothing changed.
    @Test func ctrlCStopsACheckWithNothingShown() {
        var (session, _) = Lab.session(["design kafka", "order user-1..40 prod-1", "run quiet"])
        Self.stopAtOnce(&session, "check", says: "check interrupted; nothing shown")
        let late = session.execute("check", watch: Self.stopping(after: 4))
        #expect(late.isInterrupted, "asked before every invariant, not only the first")
        #expect(!session.execute("check", watch: CommandWatch(shouldStop: { false })).isInterrupted)
    }

    /// An invariant broken for many customers shows its first lines of evidence, in the
    /// reference's order, and counts the rest.
    @Test func checkShowsTheFirstLinesOfLongEvidenceAndCountsTheRest() throws {
        let (session, _) = Lab.session(["design kafka", "stock prod-1 200", "order user-1..200 prod-1", "run quiet"])
        let reference = try #require(Invariants.reference(session.world).first { $0.id == "points-confirmed-only" })
        #expect(reference.evidence.count > Views.evidenceShown, "enough customers to be cut")
        let text = Views(session.world, style: .plain).check()
        let lines = text.split(separator: "\n").map(String.init)
        let heading = try #require(lines.firstIndex(of: "FAIL points only for confirmed orders"))
        let shown = Array(lines[(heading + 1)...(heading + Views.evidenceShown)])
        #expect(shown == reference.evidence.prefix(Views.evidenceShown).map { "    \($0)" })
        #expect(lines[heading + Views.evidenceShown + 1]
                == "    ... and \(reference.evidence.count - Views.evidenceShown) more")
        #expect(lines[heading + Views.evidenceShown + 2].hasPrefix("ok "))
    }

    /// `rebuild` of a million orders replays five million stored events: Ctrl-C stops it
    /// with the projection, the world and the script as they were.
    @Test func anInterruptedRebuildLeavesTheProjectionAsItWas() {
        var (session, _) = Lab.session(["design kafka", "stock prod-1 1100", "order user-1..1100 prod-1", "run quiet"])
        #expect((World.rebuildStride + 1)...(2 * World.rebuildStride) ~= session.world.eventStore.count,
                "long enough to be asked once, not twice")
        for service in ["analytics", "rewards"] {
            let world = session.world
            let script = session.script
            let reply = session.execute("rebuild \(service)", watch: Self.stopping(after: 0))
            #expect(reply.isInterrupted)
            #expect(reply.text == "rebuild interrupted; \(service) is as it was")
            #expect(session.world == world)
            #expect(session.script == script)
            let whole = session.execute("rebuild \(service)", watch: Self.stopping(after: 1))
            #expect(!whole.isInterrupted, "asked once")
            #expect(session.script.count == script.count + 1)
        }
    }

    @Test func anInterruptedCompareLeavesTheWorldAndScriptAlone() {
        var (session, _) = Lab.session(["order alice prod-1"])
        let world = session.world
        let script = session.script
        let watch = Self.stopping(after: 5)
        let reply = session.execute("compare 3", watch: watch)
        #expect(reply.isInterrupted)
        #expect(reply.text == "compare interrupted; this world is unchanged")
        #expect(session.world == world)
        #expect(session.script == script)
    }

    @Test func aLessonStepInterruptedIsNotTakenAsDone() {
        // The workbench hands the watch through and keeps the interruption visible.
        var bench = Workbench()
        _ = bench.execute("order alice prod-1")
        let watch = Self.stopping(after: 2)
        let reply = bench.execute("run", watch: watch)
        #expect(reply.isInterrupted)
        #expect(bench.session.script.last == "step 2")
    }

    // MARK: - Progress

    @Test func progressArrivesEveryIntervalWithTheWorldSoFar() {
        var world = World()
        for n in 1...60 { Lab.order(&world, "cust-\(n)", [Lab.item("prod-1")]) }
        var plain = world
        var reports: [(steps: Int, now: Millis, busy: String?, line: String)] = []
        let watch = CommandWatch(progress: { progress in
            reports.append((progress.steps, progress.world.now, progress.world.busiestWork, progress.line(width: 79)))
        })
        let stride = world.run(watch: watch)
        plain.run()
        #expect(world == plain, "watching changes nothing")
        #expect(stride.steps > 2 * CommandWatch.progressInterval)
        #expect(reports.map(\.steps) == (1...(stride.steps / CommandWatch.progressInterval)).map { $0 * CommandWatch.progressInterval })
        #expect(reports.map(\.now) == reports.map(\.now).sorted())
        #expect(reports.allSatisfy { $0.busy != nil && $0.line.count <= 79 && $0.line.contains("/60 settled") })
    }

    @Test func progressOfStepAndAdvanceNamesWhereTheyStop() {
        var world = World()
        for n in 1...40 { Lab.order(&world, "cust-\(n)", [Lab.item("prod-1")]) }
        var advanced = world
        var lines: [String] = []
        _ = world.step(300, watch: CommandWatch(progress: { lines.append($0.line(width: 200)) }))
        #expect(lines.count == 1)
        #expect(lines.first?.contains("] 256 of 300 steps; ") == true)
        lines = []
        _ = advanced.advance(by: VirtualTime.hour, watch: CommandWatch(progress: { lines.append($0.line(width: 200)) }))
        #expect(lines.first?.contains(" of 1:00:00.000] 256 steps; ") == true)
    }

    @Test func theProgressLineDropsWhatDoesNotFit() {
        var world = World()
        for n in 1...3 { Lab.order(&world, "cust-\(n)", [Lab.item("prod-1")]) }
        let progress = CommandProgress(steps: 12, world: world)
        #expect(progress.line(width: 200) == "[00:00.000] 12 steps; 0/3 settled; busy: 3 outbox rows at orders; Ctrl-C stops")
        #expect(progress.line(width: 77) == "[00:00.000] 12 steps; 0/3 settled; busy: 3 outbox rows at orders")
        #expect(progress.line(width: 63) == "[00:00.000] 12 steps; 0/3 settled; busy: 3 outbox rows")
        #expect(progress.line(width: 50) == "[00:00.000] 12 steps; busy: 3 outbox rows")
        #expect(progress.line(width: 40) == "[00:00.000] 12 steps; 0/3 settled")
        #expect(progress.line(width: 10) == "[00:00.000")
    }

    @Test func busiestWorkNamesTheLargestGroupOfWaitingWork() {
        var world = World()
        #expect(world.busiestWork == nil)
        for n in 1...3 { Lab.order(&world, "cust-\(n)", [Lab.item("prod-1")]) }
        #expect(world.busiestWork == "3 outbox rows at orders")
        world.step()
        #expect(world.busiestWork?.hasPrefix("3 order.created for ") == true, "each subscriber has three on the way")
    }

    // MARK: - the memory ceiling

    /// A ceiling already passed: the first look finds the process past it.
    static var passed: MemoryCeiling { MemoryCeiling { .init(inUse: 3 << 30, limit: 2 << 30) } }

    @Test func aRunPastTheMemoryCeilingStopsBetweenStepsAndSaysWhy() {
        var (session, _) = Lab.session(["order user-1..2000 prod-1"])
        var stepped = session.world
        let reply = session.execute("run", watch: CommandWatch(memory: LongCommandTests.passed))
        let steps = CommandWatch.progressInterval * CommandWatch.stretchesBetweenMemoryChecks
        #expect(reply.isInterrupted)
        #expect(reply.text.contains("stopped after \(steps) steps: the lab grew to 3.0 GB, past the 2.0 GB"))
        for _ in 0..<steps { stepped.step() }
        #expect(session.world == stepped)
        var empty = Session()
        #expect(!empty.execute("run", watch: CommandWatch(memory: LongCommandTests.passed)).isInterrupted)
    }

    @Test func anOrderRangePastTheMemoryCeilingStopsAndRecordsWhatItSent() {
        var session = Session()
        let reply = session.execute("order user-1..10000 prod-1", watch: CommandWatch(memory: LongCommandTests.passed))
        #expect(reply.isInterrupted)
        #expect(reply.text.contains("stopped after \(Session.ordersBetweenChecks) of 10000 requests: the lab grew to 3.0 GB"))
        #expect(session.world.orders.orders.count == Session.ordersBetweenChecks)
        #expect(session.script.last == "order user-1..\(Session.ordersBetweenChecks) prod-1")
    }
}

