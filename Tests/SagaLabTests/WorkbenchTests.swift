import Lessons
import SagaLab
import Testing

@Suite struct WorkbenchTests {
    @Test func lessonStartsOnAFreshWorldAndEnterRunsTheSuggestedCommand() throws {
        var bench = Workbench()
        _ = bench.execute("order zed prod-3")
        let start = bench.execute("lesson 1")
        #expect(start.text.contains("Step 1 of"))
        #expect(start.text.contains("try: order alice prod-1x2"))
        #expect(bench.world.orders.orders.isEmpty, "a lesson starts from a fresh lab")
        let ran = bench.execute("")
        #expect(bench.world.orders.order("ord-1")?.customer == "alice")
        #expect(ran.text.contains("201 Created"))
        #expect(ran.text.contains("| The API answered 201"), "the explanation follows the output")
        let again = bench.execute("")
        #expect(again.text.contains("Step 2 of"), "Enter after the step's command goes on")
        #expect(bench.world.orders.orders.count == 1, "Enter does not run the step twice")
    }

    @Test func typingTheSuggestedCommandAlsoExplainsIt() {
        var bench = Workbench()
        _ = bench.execute("lesson 1")
        let reply = bench.execute("  order   ALICE prod-1x2 ")
        #expect(reply.text.contains("| The API answered 201"))
    }

    @Test func otherCommandsWorkDuringALessonWithoutAdvancingIt() {
        var bench = Workbench()
        _ = bench.execute("lesson 1")
        let reply = bench.execute("show stock")
        #expect(reply.text.contains("prod-1"))
        #expect(!reply.text.contains("|"))
        #expect(bench.tour?.step == 0)
    }

    @Test func nextBackAndHint() throws {
        var bench = Workbench()
        _ = bench.execute("lesson 1")
        #expect(bench.execute("hint").text.contains("press Enter"))
        #expect(bench.execute("next").text.contains("Step 2 of"))
        #expect(bench.execute("back").text.contains("Step 1 of"))
        #expect(bench.execute("back").text.contains("first step"))
        let lesson = try #require(LessonCatalog.lesson(1))
        for _ in lesson.steps { _ = bench.execute("next") }
        let exercise = bench.execute("hint")
        #expect(exercise.text.contains("\nHint 1 of"))
        #expect(bench.execute("hint").text.contains("\nHint 2 of"))
        #expect(bench.execute("next").text.contains("last part"))
    }

    @Test func solvingTheExerciseIsRememberedAsProgress() throws {
        var bench = Workbench()
        let lesson = try #require(LessonCatalog.lesson(1))
        var effects: [WorkbenchEffect] = []
        for input in Workbench.playthrough(lesson) { effects += bench.execute(input).effects }
        #expect(bench.progress.solved == [1])
        let saved = try #require(effects.compactMap { effect -> String? in
            if case .progress(let text) = effect { return text } else { return nil }
        }.last)
        #expect(LessonProgress(parsing: saved) == bench.progress)
        var later = Workbench(progress: LessonProgress(parsing: saved))
        #expect(later.execute("lessons").text.contains("1 of \(LessonCatalog.all.count) solved"))
    }

    @Test func exerciseIsNotSolvedByTypingButByTheWorld() throws {
        var bench = Workbench()
        let lesson = try #require(LessonCatalog.lesson(1))
        _ = bench.execute("lesson 1")
        for _ in lesson.steps { _ = bench.execute("next") }
        _ = bench.execute("order carol prod-2")
        _ = bench.execute("run")
        #expect(bench.progress.solved.isEmpty, "an order that confirms does not solve it")
    }

    @Test func resumingReplaysTheStepsAlreadyReached() {
        var progress = LessonProgress()
        progress.reached[1] = 3
        var bench = Workbench(progress: progress)
        let reply = bench.execute("lesson 1")
        #expect(reply.text.contains("Resuming"))
        #expect(reply.text.contains("Step 4 of"))
        #expect(bench.world.orders.order("ord-1")?.status == .confirmed)
    }

    @Test func progressTextRoundTrips() {
        var progress = LessonProgress()
        progress.solved = [1, 3]
        progress.reached = [1: 7, 2: 1]
        #expect(LessonProgress(parsing: progress.text) == progress)
        #expect(LessonProgress(parsing: "garbage\nlesson x step\nlesson 2 step 4\n").reached == [2: 4])
    }

    @Test func wideTerminalsPutTheExplanationBesideTheOutput() {
        var bench = Workbench(width: 130)
        _ = bench.execute("lesson 1")
        let reply = bench.execute("")
        let firstLine = reply.text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(firstLine.contains(" | The API answered 201"))
        #expect(reply.text.split(separator: "\n").allSatisfy { displayWidth(String($0)) <= 130 || $0.contains("orders: created") })
    }

    @Test func chaptersByNumberAndTopic() {
        var bench = Workbench()
        #expect(bench.execute("chapter").text.contains("0. "))
        let byNumber = bench.execute("chapter 2")
        #expect(byNumber.isReading)
        #expect(byNumber.text == bench.execute("chapter outbox").text)
        let unknown = bench.execute("chapter outbx")
        #expect(unknown.isError)
        #expect(unknown.text.contains("did you mean"))
        #expect(Handbook.find("7")?.slug == "07-failure-at-scale")
    }

    @Test func chaptersWrapToTheWidth() throws {
        let chapter = try #require(Handbook.chapters.first)
        let text = MarkdownRenderer.render(chapter.markdown, width: 60, style: .plain)
        let inCode = Set(chapter.markdown.split(separator: "\n").flatMap { ["    " + $0, String($0)] })
        for line in text.split(separator: "\n") where !inCode.contains(String(line)) && !line.hasPrefix("    ") {
            #expect(displayWidth(String(line)) <= 60, "too wide: \(line)")
        }
    }

    @Test("a chapter read narrower than 80 columns shows its sessions as a lab that wide answers them",
          arguments: Handbook.chapters.map(\.number))
    func narrowChaptersReplayTheirSessions(number: Int) throws {
        let chapter = try #require(Handbook.chapters.first { $0.number == number })
        var bench = Workbench(seed: 1, style: .plain, width: 60)
        let text = bench.execute("chapter \(number)").text
        for line in text.split(separator: "\n") { #expect(displayWidth(String(line)) <= 60, "too wide: \(line)") }
        let typed = Workbench.exampleCommands(chapter).map { "lab> " + $0 }
        let shown = text.split(separator: "\n").map(String.init).filter { $0.drop { $0 == " " }.hasPrefix("lab> ") }
        #expect(shown.count == typed.count, "every session line is shown once")
        #expect(!text.contains("error: the lesson"), "the sessions replay")
    }

    @Test func aNarrowChapterWrapsLogLinesUnderTheirTime() {
        var bench = Workbench(seed: 1, style: .plain, width: 60)
        let lines = bench.execute("chapter 1").text.split(separator: "\n").map(String.init)
        #expect(lines.contains("            to the bus (no outbox)"), "the lab's own hanging indent, not a cut")
        var wide = Workbench(seed: 1, style: .plain, width: 80)
        let recorded = wide.execute("chapter 1").text.split(separator: "\n").map(String.init)
        #expect(recorded.contains("    [00:00.000] orders: published order.created evt-1 straight to the bus (no"),
                "at 80 columns the chapter shows its sessions as recorded")
    }

    @Test(arguments: [50, 60, 80, 120])
    func theListOfLessonsFitsAndKeepsItsMarksAligned(width: Int) {
        var bench = Workbench(seed: 1, style: .plain, width: width)
        let lines = bench.execute("lessons").text.split(separator: "\n").map(String.init)
        for line in lines { #expect(displayWidth(line) <= width, "too wide at \(width): \(line)") }
        let marks = lines.filter { $0.hasSuffix("new") }
        #expect(marks.count == LessonCatalog.all.count, "every lesson is new")
        let columns = Set(marks.map { $0.count - "new".count })
        #expect(columns.count == 1, "the marks line up at \(width): \(columns.sorted())")
    }

    @Test func teachingCommandsOutsideALesson() {
        var bench = Workbench()
        #expect(bench.execute("next").isError)
        #expect(bench.execute("lesson stop").isError)
        #expect(bench.execute("lesson 99").isError)
        var session = Session()
        #expect(session.execute("lessons").isError)
    }

    // MARK: - Staying true off script (issue 13)

    @Test func afterBackEnterRunsTheStepAgainFromWhereItStarts() {
        var bench = Workbench()
        _ = bench.execute("lesson 1")
        for _ in 0..<3 {
            _ = bench.execute("")
            _ = bench.execute("next")
        }
        let back = bench.execute("back")
        #expect(back.text.contains("Step 3 of 7"))
        #expect(back.text.contains("Enter runs its command again"))
        let again = bench.execute("")
        #expect(again.text.contains("went back to where step 3 starts"))
        #expect(again.text.contains("| At 00:30 the publisher sent order.created"), "the step's explanation, as the step says")
        #expect(bench.world == Self.replayed(["order alice prod-1x2", "show outbox", "run"]))
    }

    static func replayed(_ lines: [String]) -> World {
        var session = Session(seed: 1)
        for line in lines { _ = session.execute(line) }
        return session.world
    }

    @Test func skippingAStepWithNextDoesNotBreakTheStepsAfterIt() {
        var bench = Workbench()
        _ = bench.execute("lesson 1")
        for _ in 0..<3 {
            _ = bench.execute("")
            _ = bench.execute("next")
        }
        let skip = bench.execute("next")
        #expect(skip.text.contains("You skipped step 4's command"))
        let order = bench.execute("")
        #expect(!order.isError)
        #expect(order.text.contains("First the command you skipped at step 4"))
        #expect(order.text.contains("no response: the connection dropped"))
        _ = bench.execute("next")
        let restart = bench.execute("")
        #expect(!restart.isError, "\(restart.text)")
        #expect(restart.text.contains("| Restarted"))
    }

    @Test func aCommandOfYourOwnTakesTheLabOffThePathAndLessonReplayPutsItBack() {
        var bench = Workbench()
        _ = bench.execute("lesson 8")
        for _ in 0..<2 {
            _ = bench.execute("")
            _ = bench.execute("next")
        }
        let own = bench.execute("order mallory prod-3x3")
        #expect(own.text.contains("Your lab has left the lesson's path"))
        let step = bench.execute("")
        #expect(step.text.contains("| ord-2 is PENDING for $20.00"), "the placeholders read the learner's world")
        #expect(!step.text.contains("ord-1 is PENDING"))
        #expect(step.text.contains("Your lab is off the lesson's path"))
        #expect(step.text.contains("puts it back where step 3 starts"))
        let replay = bench.execute("lesson replay")
        #expect(replay.text.hasPrefix("Back on the lesson's path: a fresh lab (seed 1) replayed steps 1-2."))
        #expect(bench.world == Self.replayed(["mode orchestration", "show saga-definition"]))
        let again = bench.execute("")
        #expect(again.text.contains("| ord-1 is PENDING for $20.00"))
        #expect(!again.text.contains("off the lesson's path"))
        _ = bench.execute("next")
        let run = bench.execute("")
        #expect(!run.text.contains("off the lesson's path"))
    }

    @Test func lookingKeepsTheLabOnThePath() {
        var bench = Workbench()
        _ = bench.execute("lesson 1")
        _ = bench.execute("")
        for line in ["show orders", "check", "trace", "log"] {
            #expect(!bench.execute(line).text.contains("left the lesson's path"), "\(line)")
        }
        _ = bench.execute("next")
        #expect(!bench.execute("").text.contains("off the lesson's path"))
    }

    @Test func lessonAloneShowsTheCurrentStepAgain() {
        var bench = Workbench()
        #expect(bench.execute("lesson").isError)
        _ = bench.execute("lesson 2")
        _ = bench.execute("")
        _ = bench.execute("next")
        let again = bench.execute("lesson")
        #expect(again.text.hasPrefix("Step 2 of 8"))
        #expect(again.text.contains("try: advance 20s"))
    }

    @Test func checkAndHintSayWhatTheExerciseStillNeedsAndSolvingPointsToTheNextLesson() throws {
        var bench = Workbench()
        let lesson = try #require(LessonCatalog.lesson(1))
        _ = bench.execute("lesson 1")
        for _ in lesson.steps { _ = bench.execute("next") }
        _ = bench.execute("drop next order.created")
        _ = bench.execute("order carol prod-2")
        let run = bench.execute("run")
        #expect(!run.text.contains("Exercise solved"), "a dropped event is no crash")
        let check = bench.execute("check")
        #expect(check.text.contains("Exercise not solved yet; still to do:\n  - a crash lost an event"))
        let hint = bench.execute("hint")
        #expect(hint.text.hasPrefix("Not yet: a crash lost an event"))
        #expect(hint.text.contains("Hint 1 of 2"))
        _ = bench.execute("reset")
        var last = ""
        for line in ["pattern outbox off", "crash orders at after-commit", "order dave prod-2", "restart orders"] {
            last = bench.execute(line).text
        }
        #expect(last.contains("Exercise solved"))
        #expect(last.contains("Lesson 1 complete. Next: `lesson 2`"))
    }

    @Test func completionKnowsChaptersAndLessons() {
        let bench = Workbench()
        #expect(bench.completions("chapter t").contains("transactional-outbox"))
        #expect(bench.completions("lesson ").contains("1"))
        #expect(bench.completions("or") == ["order"])
    }

    @Test func tabListsLessonAndChapterNumbersInOrderEachWithItsOwnTitle() throws {
        let bench = Workbench()
        let lessons = bench.completions("lesson ").sorted(by: Completion.listedBefore)
        let numbers = LessonCatalog.all.compactMap { $0.number.map(String.init) }
        #expect(lessons == numbers + ["stop"], "1, 2, ... 10, not 1, 10, 2")
        let lessonNotes = bench.completionNotes("lesson ")
        for lesson in LessonCatalog.all {
            let number = lesson.number.map(String.init) ?? ""
            #expect(lessonNotes[number] == lesson.title)
        }
        #expect(lessonNotes["stop"] == "leave the lesson")
        let chapters = bench.completions("chapter ").sorted(by: Completion.listedBefore)
        #expect(chapters == Handbook.chapters.map { "\($0.number)" }, "chapter alone lists the numbers only")
        let chapterNotes = bench.completionNotes("chapter 1")
        let ten = try #require(Handbook.chapters.first { $0.number == 10 })
        #expect(chapterNotes["10"] == ten.title)
        #expect(bench.completionNotes("show ").isEmpty)
        #expect(["10", "2", "b", "a", "1"].sorted(by: Completion.listedBefore) == ["1", "2", "10", "a", "b"])
    }

    @Test func enterRunsTheStepsCommandWhichTheHostEchoesAndKeepsInHistory() {
        var bench = Workbench()
        #expect(bench.enterCommand == nil, "no lesson, nothing for Enter to run")
        _ = bench.execute("lesson 1")
        #expect(bench.enterCommand == "order alice prod-1x2")
        _ = bench.execute("")
        #expect(bench.enterCommand == "next", "the step's command ran; Enter goes on")
        #expect(bench.world.orders.orders.count == 1)
        let stepping = bench.execute("")
        #expect(stepping.text.contains("Step 2 of"), "Enter went on to the next step")
        #expect(bench.world.orders.orders.count == 1, "going on changed nothing")
        let next = bench.enterCommand
        #expect(next != nil && next != "next", "the new step's command waits for Enter")
        _ = bench.execute("lesson stop")
        #expect(bench.enterCommand == nil)
    }

    @Test func enterDoesNothingDuringTheExercise() throws {
        var bench = Workbench()
        _ = bench.execute("lesson 1")
        let steps = try #require(bench.tour?.lesson.steps.count)
        for _ in 0..<steps { _ = bench.execute("next") }
        #expect(bench.enterCommand == nil, "in the exercise, every line is the learner's own")
        let before = bench.world
        let reply = bench.execute("")
        #expect(reply.text.isEmpty)
        #expect(bench.world == before)
    }
}
