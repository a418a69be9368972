@testable import SagaLab
import Testing

/// The session: rejected commands change nothing, `save` replays to the same world,
/// completion comes from the live world.
@Suite struct CommandSessionTests {
    // MARK: - Rejection changes nothing

    @Test(arguments: [
        "ordr alice prod-1", "order alice prod-9", "show order ord-99", "restart orders",
        "drop evt-99", "heal", "unsubscribe payment order.confirmed", "subscribe rewards order.created",
        "crash orders at after-effect extra", "crash analytics at mid-compensation", "set latency-min 1h",
        "set publish-interval 10ms", "trace ord-42", "log ord-42", "show saga saga-9", "stock prod-7 5",
        "lesson 1", "chapter", "hint",
        "mode orchestrated", "mode choreography extra", "slow orders 5s", "slow payment soon", "compare 0", "compare 201",
        "show execution ord-42", "show execution ord-1 extra", "show saga-definition now", "retry steps attempts=-1",
        "retry send-notification jitter=half", "retry refund-payment attempts=1", "pattern durable-timers maybe",
        "set step-timeout 0s", "redrive orders dl-7", "redrive payment",
    ])
    func aRejectedCommandLeavesWorldAndScriptAlone(_ line: String) {
        var (session, _) = Lab.session(["order alice prod-1x2", "step 3"])
        let world = session.world
        let script = session.script
        let reply = session.execute(line)
        #expect(reply.isError, "`\(line)` -> \(reply.text)")
        #expect(reply.text.hasPrefix("error: "))
        #expect(!reply.text.contains("\n"))
        #expect(reply.effect == nil)
        #expect(session.world == world)
        #expect(session.script == script)
    }

    @Test func acceptedCommandsAreScriptedButHelpSaveAndQuitAreNot() {
        var session = Session()
        for line in ["help", "order alice prod-1", "  run  ", "help order", "show orders", "save x.lab", "quit"] {
            let reply = session.execute(line)
            #expect(!reply.isError, "`\(line)` -> \(reply.text)")
        }
        #expect(session.script == ["order alice prod-1", "run", "show orders"])
    }

    @Test func quitAndExitAskTheHostToLeave() {
        var session = Session()
        for line in ["quit", "exit", "EXIT", "  quit  "] {
            let reply = session.execute(line)
            #expect(reply.effect == .quit, "`\(line)`")
        }
    }

    @Test func blankLinesAndCommentsAnswerNothing() {
        var session = Session()
        let world = session.world
        for line in ["", "   ", "# a note", "\t"] {
            let reply = session.execute(line)
            #expect(reply == Reply(""))
        }
        #expect(session.world == world)
        #expect(session.script.isEmpty)
    }

    // MARK: - save and replay

    func replay(_ contents: String) -> Session {
        var replayed = Session()
        for line in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            let reply = replayed.execute(String(line))
            #expect(!reply.isError, "replaying `\(line)`: \(reply.text)")
        }
        return replayed
    }

    @Test func saveReplaysToAnEqualWorld() throws {
        var (session, _) = Lab.session([
            "pattern idempotency check-then-act inventory",
            "crash inventory at after-effect",
            "order alice prod-1x2",
            "order bob prod-2 prod-3",
            "fail payment next",
            "run",
            "restart inventory",
            "duplicate next payment.completed",
            "order carol prod-3x2",
            "step 4",
            "advance 2m",
            "run",
            "show orders",
            "check",
        ], seed: 5)
        _ = session.execute("ordr broken")  // rejected, not saved
        let reply = session.execute("save session.lab")
        guard case .save(let path, let contents) = reply.effect else {
            Issue.record("save gave no save effect: \(reply)")
            return
        }
        #expect(path == "session.lab")
        #expect(contents.hasSuffix("\n"))
        #expect(contents.contains("seed 5"))
        #expect(!contents.contains("ordr"))
        #expect(!contents.contains("save"))
        let replayed = replay(contents)
        #expect(replayed.world == session.world)
        #expect(replayed.world.seed == 5)
        #expect(replayed.world.orders.orders.count == 3)
    }

    @Test func saveAcrossASeedChangeAndResetReplays() {
        var (session, _) = Lab.session([
            "order alice prod-1", "run", "seed 7", "order bob prod-2x2", "reset", "order carol prod-3", "step 2",
        ], seed: 2)
        guard case .save(_, let contents) = session.execute("save s.lab").effect else {
            Issue.record("no save effect")
            return
        }
        let replayed = replay(contents)
        #expect(replayed.world == session.world)
        #expect(replayed.world.seed == 7)
        #expect(replayed.world.orders.orders.map(\.customer) == ["carol"])
    }

    @Test func replayingTheSavedScriptGivesTheSameOutput() {
        let lines = ["order alice prod-1x2", "duplicate next", "run", "show events", "trace ord-1", "check"]
        var (session, outputs) = Lab.session(lines)
        guard case .save(_, let contents) = session.execute("save s.lab").effect else {
            Issue.record("no save effect")
            return
        }
        var replayed = Session()
        var replayedOutputs: [String] = []
        for line in contents.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("seed") {
            replayedOutputs.append(replayed.execute(String(line)).text)
        }
        #expect(replayedOutputs == outputs)
    }

    // MARK: - Replies

    @Test func orderAnswersAtOnceWith201AndPending() {
        var session = Session()
        let reply = session.execute("order alice prod-1x2")
        #expect(reply.text.split(separator: "\n").last == "201 Created: ord-1 PENDING ($20.00)")
        #expect(session.world.orders.order("ord-1")?.status == .pending)
    }

    @Test func stepWithNothingToDoSaysSo() {
        var session = Session()
        let reply = session.execute("step")
        #expect(!reply.isError)
        #expect(reply.text.hasPrefix("nothing to do"))
    }

    @Test func stepAndRunAnnounceABrokenInvariant() {
        var (session, outputs) = Lab.session(["pattern idempotency off inventory", "duplicate next order.created",
                                              "order alice prod-1", "run"])
        #expect(outputs.last?.contains("invariant broken: no consumer applied one event twice") == true)
        let check = session.execute("check")
        #expect(check.text.contains("inventory applied order.created evt-1 twice"))
    }

    /// `show order ORD-1` lowercases the id and finds the order; `trace` and `log` do not.
    @Test
    func orderIdsAreCaseInsensitiveEverywhere() {
        var (session, _) = Lab.session(["order alice prod-1", "run"])
        for line in ["show order ORD-1", "show saga ORD-1", "trace ORD-1", "log ORD-1"] {
            let reply = session.execute(line)
            #expect(!reply.isError, "`\(line)` -> \(reply.text)")
        }
    }

    @Test func teachingCommandsAreRefusedWithoutALessonHost() {
        var session = Session()
        for line in ["chapter", "lessons", "lesson 1", "next", "back", "hint"] {
            let reply = session.execute(line)
            #expect(reply.isError)
            #expect(!reply.text.contains("\n"))
        }
        #expect(session.script.isEmpty)
    }

    // MARK: - Completion

    @Test func completionOffersOrderForOr() {
        let world = World()
        #expect(Completion.candidates("or", world: world) == ["order"])
        #expect(Completion.candidates("OR", world: world) == ["order"])
        #expect(Completion.candidates("", world: world) == CommandCatalog.names)
        #expect(Completion.candidates("zz", world: world).isEmpty)
    }

    @Test func completionOffersServicesAfterCrash() {
        let world = World()
        #expect(Completion.candidates("crash ", world: world) == ServiceName.allCases.map(\.rawValue))
        #expect(Completion.candidates("crash in", world: world) == ["inventory"])
        #expect(Completion.candidates("crash orders ", world: world) == ["at"])
    }

    @Test func completionOffersTheServicesCrashPoints() {
        let world = World()
        #expect(Completion.candidates("crash orders at ", world: world) == CrashPoint.allCases.map(\.rawValue))
        #expect(Completion.candidates("crash analytics at ", world: world) == ["after-check", "after-effect", "after-mark"])
        #expect(Completion.candidates("crash orders at after-", world: world)
            == ["after-commit", "after-publish", "after-check", "after-effect", "after-mark"])
        #expect(Completion.candidates("recipe inventory order.c", world: world) == ["order.created", "order.confirmed", "order.cancelled"])
        #expect(Completion.candidates("set concurrency ", world: world) == ServiceName.allCases.map(\.rawValue))
        #expect(Completion.candidates("crash payment at ", world: world).contains("after-publish"))
        #expect(!Completion.candidates("crash payment at ", world: world).contains("after-commit"))
    }

    @Test func completionOffersLiveOrderIds() {
        var world = World()
        #expect(Completion.candidates("show order ", world: world).isEmpty)
        Lab.order(&world)
        Lab.order(&world, "bob", [Lab.item("prod-2")])
        #expect(Completion.candidates("show order ", world: world) == ["ord-1", "ord-2"])
        let trace = Completion.candidates("trace ", world: world)
        #expect(Array(trace.prefix(2)) == ["ord-1", "ord-2"])
        #expect(trace.contains("quiet") && trace.contains("-analytics") && trace.contains("inventory"))
        #expect(Completion.candidates("log from ", world: world).isEmpty)
        #expect(Completion.candidates("show saga ", world: world) == ["saga-1", "saga-2", "ord-1", "ord-2"])
    }

    @Test func completionOffersOnlyDownServicesToRestartAndKnownEventIds() throws {
        var world = World()
        #expect(Completion.candidates("restart ", world: world).isEmpty)
        try world.crashNow(.payment)
        #expect(Completion.candidates("restart ", world: world) == ["payment"])
        Lab.order(&world)
        #expect(Completion.candidates("drop ", world: world) == ["next", "evt-1"])
        #expect(Completion.candidates("delay 30s ", world: world) == ["next", "evt-1"])
        #expect(Completion.candidates("duplicate next order.c", world: world) == ["order.created", "order.confirmed", "order.cancelled"])
    }

    @Test func everyCompletedCommandNameParses() {
        for name in Completion.candidates("", world: World()) {
            #expect(CommandCatalog.info(name) != nil)
        }
    }
}
