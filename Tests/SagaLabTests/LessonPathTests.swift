@testable import Lessons
import SagaLab
import Testing

/// The lesson's path worked out as it is needed (issue 9): a learner on the path makes its
/// worlds, the path plays only the ones nobody made, and either way they are the worlds a
/// fresh lab's replay of the steps makes; a learner who leaves the path is still told.
@Suite struct LessonPathTests {
    static let numbers = LessonCatalog.all.compactMap(\.number)

    /// The worlds before each step and after the last: every step command replayed in a fresh lab.
    static func replayed(_ lesson: Lesson) -> [World] {
        var session = Tour.freshSession(lesson, style: .plain, width: 80)
        var worlds = [session.world]
        for step in lesson.steps {
            if let command = step.command { _ = session.execute(command) }
            worlds.append(session.world)
        }
        return worlds
    }

    /// A workbench that started `lesson` and ran every step's command with Enter, as
    /// `sagalab run lesson-N` does before the exercise.
    static func followed(_ lesson: Lesson) -> Workbench {
        var bench = TranscriptSuite.freshBench()
        _ = bench.execute(lesson.startCommand)
        for step in lesson.steps {
            if step.command != nil { _ = bench.execute("") }
            _ = bench.execute("next")
        }
        return bench
    }

    static func travelsInTime(_ lesson: Lesson) -> Bool {
        lesson.steps.contains { step in
            guard let line = step.command, case .command(let command) = CommandParser.parse(line) else { return false }
            return command.isTimeTravel
        }
    }

    /// The steps whose path world differs from the replay's; empty when the path is right.
    static func wrongSteps(_ path: inout LessonPath, _ expected: [World], in order: [Int]) -> [Int] {
        order.filter { path.world(at: $0) != expected[$0] }
    }

    @Test("a learner who follows a lesson makes its path: the path plays no step itself", arguments: numbers)
    func followingMakesThePath(_ number: Int) throws {
        let lesson = try #require(LessonCatalog.lesson(number))
        let bench = Self.followed(lesson)
        var path = try #require(bench.tour?.path)
        let played = path.played
        if !Self.travelsInTime(lesson) {
            #expect(played == 0, "the path played \(played) step commands of its own")
        }
        let expected = Self.replayed(lesson)
        #expect(path.count == expected.count)
        #expect(Self.wrongSteps(&path, expected, in: Array(expected.indices)).isEmpty)
    }

    @Test("a path nobody followed plays the replay's worlds, asked for in any order", arguments: numbers)
    func aPathPlaysTheReplay(_ number: Int) throws {
        let lesson = try #require(LessonCatalog.lesson(number))
        let expected = Self.replayed(lesson)
        var backwards = LessonPath(lesson)
        #expect(Self.wrongSteps(&backwards, expected, in: expected.indices.reversed()).isEmpty)
        #expect(backwards.played == lesson.steps.count)
        var forwards = LessonPath(lesson)
        #expect(Self.wrongSteps(&forwards, expected, in: Array(expected.indices)).isEmpty)
    }

    @Test func onlyTheWorldsAskedForArePlayed() throws {
        let lesson = try #require(LessonCatalog.lesson(1))
        var path = LessonPath(lesson)
        let expected = Self.replayed(lesson)
        // Step 3 (`run`) makes a world no step before it makes.
        let placed = path.place(of: expected[3], near: 0)
        #expect(placed == 3)
        #expect(path.played == 3, "the search stops at the first step whose world matches")
        #expect(path.place(of: expected[1], near: 1) == 1)
        #expect(path.played == 3, "a world already played is not played again")
    }

    @Test func aRecordedWorldCoversTheReadingStepsAfterIt() throws {
        // Lesson 1 with its second step made a passage to read, without a command.
        var lesson = try #require(LessonCatalog.lesson(1))
        lesson.steps[1].command = nil
        let expected = Self.replayed(lesson)
        var path = LessonPath(lesson)
        path.record(expected[1], at: 1)
        #expect(Self.wrongSteps(&path, expected, in: [1, 2]).isEmpty)
        #expect(path.played == 0, "a step without a command leaves the world as it found it")
    }

    @Test func theStepsCommandSpelledToMakeAnotherWorldIsNotTakenForThePath() throws {
        var bench = Workbench()
        _ = bench.execute("lesson 1")
        let typed = bench.execute("order ALICE prod-1x2")
        #expect(typed.text.contains("| The API answered 201"), "typed as the step's command, it runs as the step")
        #expect(bench.world.orders.order("ord-1")?.customer == "ALICE")
        _ = bench.execute("next")
        let next = bench.execute("")
        #expect(next.text.contains("Your lab is off the lesson's path"))
        let lesson = try #require(LessonCatalog.lesson(1))
        var path = try #require(bench.tour?.path)
        #expect(Self.wrongSteps(&path, Self.replayed(lesson), in: [1]).isEmpty, "the path keeps alice's order, not ALICE's")
    }

    @Test func aHistoryStepIsNotTakenFromTheLearnersHistory() throws {
        // Lesson 15's last step is `goto 4`. Looking leaves the world on the path, but it
        // is an entry of the history: the learner's entry 4 is then another command's.
        let lesson = try #require(LessonCatalog.lesson(15))
        #expect(lesson.steps.last?.command == "goto 4")
        var bench = Workbench()
        _ = bench.execute("lesson 15")
        for index in lesson.steps.indices {
            _ = bench.execute("")
            if index == 1 {
                #expect(!bench.execute("show orders").isError)
            }
            _ = bench.execute("next")
        }
        let expected = Self.replayed(lesson)
        #expect(bench.world != expected[lesson.steps.count], "the learner's `goto 4` went elsewhere")
        var path = try #require(bench.tour?.path)
        #expect(Self.wrongSteps(&path, expected, in: Array(expected.indices)).isEmpty)
    }

    @Test func aCommandOfYourOwnThatReachesALaterStepKeepsTheLabOnThePath() throws {
        var bench = Workbench()
        _ = bench.execute("lesson 1")
        for _ in 0..<2 {
            _ = bench.execute("")
            _ = bench.execute("next")
        }
        let own = bench.execute("run quiet")
        #expect(!own.text.contains("left the lesson's path"), "`run quiet` makes the world step 3's `run` makes")
        #expect(bench.tour?.path.played == 3, "the path played up to the step that matched")
        let step = bench.execute("")
        #expect(step.text.contains("The lab went back to where step 3 starts, and runs it again."))
        #expect(!step.text.contains("off the lesson's path"))
        let lesson = try #require(LessonCatalog.lesson(1))
        #expect(bench.world == Self.replayed(lesson)[3])
    }

    @Test func leavingThePathIsToldOnceAndLessonReplayComesBack() throws {
        var bench = Workbench()
        _ = bench.execute("lesson 11")
        for _ in 0..<2 {
            _ = bench.execute("")
            _ = bench.execute("next")
        }
        let own = bench.execute("order mallory prod-3")
        #expect(own.text.contains("Your lab has left the lesson's path"))
        #expect(!bench.execute("order trudy prod-3").text.contains("left the lesson's path"), "told once")
        let replay = bench.execute("lesson replay")
        #expect(replay.text.hasPrefix("Back on the lesson's path: a fresh lab (seed 1) replayed steps 1-2."))
        let step = bench.execute("")
        #expect(!step.text.contains("off the lesson's path"))
        let lesson = try #require(LessonCatalog.lesson(11))
        #expect(bench.world == Self.replayed(lesson)[3])
    }
}
