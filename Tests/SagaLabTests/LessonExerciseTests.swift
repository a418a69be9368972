import Lessons
import SagaLab
import Testing

/// Exercises judged by their named checks: each accepts its solution and other honest
/// ones, and refuses plausible wrong attempts (lessons 1, 4, 11 and 12 here; the suite
/// plays every lesson file's solutions and wrong answers in `TranscriptTests`).
@Suite struct LessonExerciseTests {
    static func world(_ lines: [String]) -> World {
        var session = Session(seed: 1)
        for line in lines {
            let reply = session.execute(line)
            #expect(!reply.isError, "`\(line)` was rejected: \(reply.text)")
        }
        return session.world
    }

    static func solved(_ number: Int, _ lines: [String]) throws -> Bool {
        let lesson = try #require(LessonCatalog.lesson(number))
        return lesson.exercise.isSolved(world(lines))
    }

    // MARK: - Lesson 1: the dual write needs a crash

    @Test func lesson1RefusesADroppedEventWithoutACrash() throws {
        #expect(try !Self.solved(1, ["drop next order.created", "order carol prod-2", "run"]),
                "the bus lost that event, no crash did")
        #expect(try !Self.solved(1, ["crash orders at after-commit", "order carol prod-2", "restart orders", "run"]),
                "with the outbox on, the crash only delayed the event")
        #expect(try Self.solved(1, ["pattern outbox off", "crash orders at after-commit", "order carol prod-2", "restart orders"]))
    }

    @Test func lesson1SaysWhatIsMissingInTheLearnersWords() throws {
        let lesson = try #require(LessonCatalog.lesson(1))
        let dropped = Self.world(["drop next order.created", "order carol prod-2", "run"])
        #expect(lesson.exercise.missing(in: dropped) == [
            "a crash lost an event after its service had committed (a dropped message is not a crash)",
        ])
    }

    // MARK: - Lesson 4: either fix of chapter 4 counts

    static let cancelAndConfirm = ["fail payment next", "order alice prod-1x2", "run", "order bob prod-3", "run"]

    @Test func lesson4AcceptsRevokingPointsOnOrderCancelled() throws {
        #expect(try Self.solved(4, ["subscribe rewards order.cancelled"] + Self.cancelAndConfirm))
        #expect(try Self.solved(4, ["unsubscribe rewards order.created", "subscribe rewards order.confirmed"] + Self.cancelAndConfirm))
    }

    @Test func lesson4RefusesNoPointsAtAllAndPointsTwice() throws {
        #expect(try !Self.solved(4, ["unsubscribe rewards order.created"] + Self.cancelAndConfirm))
        #expect(try !Self.solved(4, ["subscribe rewards order.confirmed"] + Self.cancelAndConfirm))
        #expect(try !Self.solved(4, Self.cancelAndConfirm), "nothing fixed: alice keeps points for a cancelled order")
    }

    // MARK: - Lesson 11: write the handler, then race it

    static let race = ["set concurrency inventory 2", "duplicate next order.created", "order bob prod-3", "run"]

    @Test func lesson11AcceptsItsSolutionAndTheFixFromTheSteps() throws {
        let lesson = try #require(LessonCatalog.lesson(11))
        #expect(lesson.exercise.isSolved(Self.world(lesson.exercise.solution)))
        #expect(try Self.solved(11, ["recipe inventory check effect+emit+mark ack"] + Self.race))
        #expect(try Self.solved(11, ["recipe inventory order.created mark+effect+emit ack"] + Self.race))
    }

    @Test func lesson11RefusesTheEventBridgeRecipeAndCheckThenAct() throws {
        #expect(try !Self.solved(11, ["recipe inventory check effect publish mark ack"] + Self.race))
        #expect(try !Self.solved(11, ["recipe inventory check effect+emit mark ack"] + Self.race))
    }

    @Test func lesson11RefusesARaceThatNeverHappened() throws {
        let recipe = "recipe inventory mark+effect+emit ack"
        #expect(try !Self.solved(11, [recipe, "duplicate next order.created", "order bob prod-3", "run"]),
                "concurrency 1: no two deliveries in progress at once")
        #expect(try !Self.solved(11, [recipe, "set concurrency inventory 2", "order bob prod-3", "run"]),
                "no copy reached inventory")
        #expect(try !Self.solved(11, [recipe, "set concurrency inventory 2", "duplicate next order.created", "order bob prod-3"]),
                "nothing ran: the order is still PENDING")
        #expect(try !Self.solved(11, []), "a fresh lab is not a solution")
    }

    // MARK: - Lesson 12: when the undo arrives first

    static let overtake = ["pattern all on", "mode orchestration", "set saga-deadline 10ms", "order bob prod-3", "step 3"]

    @Test func lesson12AcceptsItsSolutionAndOvertakingWithoutTheCrash() throws {
        let lesson = try #require(LessonCatalog.lesson(12))
        let solved = Self.world(lesson.exercise.solution)
        #expect(lesson.exercise.isSolved(solved))
        #expect(solved.inventory.fence.mark("ord-1")?.kind == .emptyRollback)
        #expect(try Self.solved(12, Self.overtake + ["pick 3", "run"]))
    }

    @Test func lesson12RefusesTheFenceOffAndAnUndoThatCameSecond() throws {
        let fenceOff = ["pattern all on", "pattern fence off", "mode orchestration", "set saga-deadline 10ms",
                        "order bob prod-3", "step 3", "pick 3", "crash orders", "run", "restart orders", "run"]
        #expect(try !Self.solved(12, fenceOff), "the late reserve stands")
        #expect(try !Self.solved(12, Self.overtake + ["run"]),
                "nothing overtook: the release came after the reserve and refused nothing")
        #expect(try !Self.solved(12, Self.overtake + ["pick 3"]), "not settled yet")
        #expect(try !Self.solved(12, []), "a fresh lab is not a solution")
    }

    @Test func lesson12StepsPickTheReleaseAheadOfTheReserve() throws {
        let lesson = try #require(LessonCatalog.lesson(12))
        let commands = lesson.steps.compactMap(\.command)
        let upToPending = Array(commands.prefix { $0 != "show pending" })
        var session = Session(seed: 1)
        for line in upToPending { _ = session.execute(line) }
        let pending = session.execute("show pending").text
        #expect(pending.contains("3  00:30.140  exec-1 calls inventory: release-inventory"), "\(pending)")
        let world = Self.world(commands)
        #expect(!world.inventory.reservations(forOrder: "ord-1").isEmpty)
        #expect(Invariants.evaluate(world).first { $0.id == "reservations-released" }?.status == .broken)
    }
}
