import Lessons
@testable import SagaKernel
@testable import SagaLab
import Testing

/// `undo`, `redo`, `goto`, `branch` and `switch`: every jump lands on exactly the world
/// the same commands would build from the start, without replaying from the start.
@Suite struct TimeTravelTests {
    static let script = [
        "order alice prod-1x2", "run", "show orders", "fail payment next", "order bob prod-2",
        "run", "crash inventory", "order carol prod-3", "advance 1m", "restart inventory", "run",
    ]

    /// The world a fresh session reaches with `lines`.
    static func world(after lines: [String]) -> World {
        Lab.session(lines).0.world
    }

    @Test func undoAndRedoLandOnTheWorldsTheCommandsBuild() {
        var (session, _) = Lab.session(Self.script)
        let end = session.world
        #expect(!session.execute("undo").isError)
        #expect(session.world == Self.world(after: Array(Self.script.dropLast())))
        #expect(!session.execute("undo").isError)
        #expect(session.world == Self.world(after: Array(Self.script.dropLast(2))))
        #expect(!session.execute("redo").isError)
        #expect(!session.execute("redo").isError)
        #expect(session.world == end)
        #expect(session.execute("redo").isError)
        #expect(session.world == end)
    }

    @Test func undoSkipsCommandsThatOnlyLook() {
        var (session, _) = Lab.session(["order alice prod-1", "run", "show orders", "check"])
        _ = session.execute("undo")
        #expect(session.world == Self.world(after: ["order alice prod-1"]))
    }

    @Test func gotoAnyEntryInEitherDirection() {
        var (session, _) = Lab.session(Self.script)
        for n in [3, 0, 11, 6, 1, 9] {
            #expect(!session.execute("goto \(n)").isError)
            #expect(session.world == Self.world(after: Array(Self.script.prefix(n))), "goto \(n)")
        }
    }

    @Test func gotoATimeInsideARunShowsTheWorldPartWayThrough() {
        var (session, _) = Lab.session(["order alice prod-1", "run"])
        #expect(!session.execute("goto 01:00").isError)
        #expect(session.world.now == VirtualTime.minute)
        #expect(session.world == Self.world(after: ["order alice prod-1", "advance 1m"]))
        #expect(session.script == ["order alice prod-1", "advance 1m"])
    }

    @Test func aCommandAwayFromTheEndStartsABranchAndTheOldOneKeepsItsFuture() {
        var (session, _) = Lab.session(Self.script)
        let end = session.world
        _ = session.execute("goto 2")
        let reply = session.execute("order dave prod-1")
        #expect(reply.text.contains("branch main keeps"))
        #expect(session.branchNames == ["main", "branch-1"])
        #expect(session.script == Array(Self.script.prefix(2)) + ["order dave prod-1"])
        #expect(!session.execute("switch main").isError)
        _ = session.execute("goto 11")
        #expect(session.world == end)
        #expect(session.script == Self.script)
    }

    @Test func lookingAwayFromTheEndDoesNotBranch() {
        var (session, _) = Lab.session(Self.script)
        _ = session.execute("goto 2")
        _ = session.execute("show orders")
        _ = session.execute("trace")
        #expect(session.branchNames == ["main"])
        #expect(session.script == Array(Self.script.prefix(2)))
    }

    /// `switch` goes back to a branch where it was left, a time part of the way through a
    /// `run` included.
    @Test func switchBackToATimeInsideARunLandsThere() {
        var (session, _) = Lab.session(["order alice prod-1x2", "order bob prod-2", "run quiet"])
        #expect(!session.execute("goto 00:45").isError)
        let there = session.world
        #expect(there == Self.world(after: ["order alice prod-1x2", "order bob prod-2", "advance 45s"]))
        #expect(!session.execute("branch what-if").isError)
        _ = session.execute("crash payment")
        _ = session.execute("run quiet")
        let reply = session.execute("switch main")
        #expect(reply.text == "on branch main; now 00:45.000, between entries 2 and 3 of 3 on branch main")
        #expect(session.world == there)
        _ = session.execute("goto 3")
        #expect(session.world == Self.world(after: ["order alice prod-1x2", "order bob prod-2", "run quiet"]))
    }

    @Test func branchNamesTheNewLineAndKeepsTheOld() {
        var (session, _) = Lab.session(Self.script)
        _ = session.execute("goto 5")
        #expect(!session.execute("branch no-bob").isError)
        #expect(session.branchNames == ["main", "no-bob"])
        #expect(session.execute("branch no-bob").isError)
        #expect(session.execute("branch 2fast").isError)
        _ = session.execute("order erin prod-1")
        #expect(session.branchNames == ["main", "no-bob"])
        #expect(session.script == Array(Self.script.prefix(5)) + ["order erin prod-1"])
    }

    @Test func saveWritesTheBranchAndItReplaysToTheSameWorld() {
        var (session, _) = Lab.session(Self.script)
        _ = session.execute("goto 7")
        _ = session.execute("order frank prod-2")
        let saved = session.scriptText.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.hasPrefix("seed") }
        #expect(Self.world(after: saved) == session.world)
    }

    @Test func rejectedJumpsChangeNothing() {
        var (session, _) = Lab.session(Self.script)
        let before = session.world
        for line in ["goto 99", "goto 9:99", "goto 20:00", "switch nowhere", "branch !", "history everything", "undo now"] {
            #expect(session.execute(line).isError, "\(line)")
        }
        #expect(session.world == before)
        #expect(session.script == Self.script)
    }

    @Test func aLongSessionKeepsFewSnapshots() {
        var lines: [String] = []
        for i in 1...300 { lines.append("order user-\(i) prod-1") }
        lines.append("run")
        var (session, _) = Lab.session(lines)
        let kept = session.branch.entries.filter { $0.snapshot != nil }.count
        #expect(kept >= 2)
        #expect(kept <= 10)
        _ = session.execute("goto 150")
        #expect(session.world == Self.world(after: Array(lines.prefix(150))))
        // An entry without a snapshot is a few words, not a kilobyte of room for a world.
        #expect(MemoryLayout<HistoryEntry>.stride <= 64)
    }

    @Test func stampsParseAsTheyArePrinted() {
        #expect(VirtualTime.parseStamp("01:30") == 90_000)
        #expect(VirtualTime.parseStamp("00:30.042") == 30_042)
        #expect(VirtualTime.parseStamp("1:05:00.079") == 3_900_079)
        #expect(VirtualTime.parseStamp("00:30.5") == 30_500)
        for bad in ["", "1", "00:60", "1:60:00", "a:b", "00:30.", "00:30.1234", "-1:00", "8d 24:00:00", "8d 1d", "d"] {
            #expect(VirtualTime.parseStamp(bad) == nil, "\(bad)")
        }
        // Past the first day, as the lab prints it; every stamp reads back as the time it shows.
        #expect(VirtualTime.parseStamp("8d 0:00:00.000") == 8 * VirtualTime.day)
        #expect(VirtualTime.parseStamp("8d") == 8 * VirtualTime.day)
        for t in [0, 59_999, 3_600_000, VirtualTime.day, 8 * VirtualTime.day + 3_723_042, 20_000 * VirtualTime.day + 1,
                  VirtualTime.latest] {
            #expect(VirtualTime.parseStamp(VirtualTime.stamp(t)) == t, "\(VirtualTime.stamp(t))")
        }
        #expect(VirtualTime.parseStamp(VirtualTime.stamp(VirtualTime.latest + 1)) == nil, "past the last moment")
    }

    /// Virtual time ends at `VirtualTime.latest`, which every stamp the lab reads reaches and
    /// every event's time holds: `advance` goes up to it and no further, and a refused
    /// `advance` leaves the world as it was.
    @Test func advanceStopsAtTheLastMomentOfVirtualTime() {
        var session = Session()
        for _ in 0..<9 { #expect(!session.execute("advance 10000d").isError) }
        #expect(!session.execute("order alice prod-1").isError)
        let before = session.world
        let refused = session.execute("advance 10000d")
        #expect(refused.isError && refused.text.contains("virtual time ends at 99999d 23:59:59.999"))
        #expect(session.world == before)
        #expect(!session.execute("advance 9999d").isError && !session.execute("advance 23h59m59s999ms").isError)
        #expect(session.world.now == VirtualTime.latest)
        #expect(session.execute("advance 1ms").isError && session.world.now == VirtualTime.latest)
        #expect(VirtualTime.latest < Event.timeRange.upperBound, "an event made at the last moment keeps its time")
        #expect(!session.execute("goto 95000d 0:00:00.000").isError, "a time past 10 000 days is typed as printed")
        #expect(session.world.now == 95_000 * VirtualTime.day)
    }

    @Test func aTimePastTheFirstDayIsTypedAsTheLabPrintsIt() {
        var session = Session()
        for line in ["order alice prod-1", "advance 8d", "order bob prod-2", "run quiet"] {
            #expect(!session.execute(line).isError, "\(line)")
        }
        #expect(!session.execute("log from 8d 0:00:00.000").isError)
        #expect(!session.execute("trace from 8d to 8d 0:01:00").isError)
        let reply = session.execute("goto 8d 0:00:00.000")
        #expect(!reply.isError, "\(reply.text)")
        #expect(session.world.now == 8 * VirtualTime.day)
    }
}

/// TAB after the time-travel commands offers what they take.
@Suite struct TimeTravelCompletionTests {
    @Test func switchCompletesBranchNamesAndHistoryAll() {
        var bench = Workbench()
        _ = bench.execute("order alice prod-1")
        _ = bench.execute("undo")
        _ = bench.execute("order bob prod-2")
        #expect(bench.completions("switch ") == ["main", "branch-1"])
        #expect(bench.completions("history a") == ["all"])
        #expect(bench.completions("goto ").first == "1")
        #expect(bench.completions("bra") == ["branch", "branches"])
    }
}
