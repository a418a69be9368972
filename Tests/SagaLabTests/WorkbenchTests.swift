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
        #expect(again.text.isEmpty, "Enter does not run the step twice")
        #expect(bench.world.orders.orders.count == 1)
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
        #expect(exercise.text.hasPrefix("Hint 1 of"))
        #expect(bench.execute("hint").text.hasPrefix("Hint 2 of"))
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
        let inCode = Set(chapter.markdown.split(separator: "\n").map { "    " + $0 })
        for line in text.split(separator: "\n") where !inCode.contains(String(line)) && !line.hasPrefix("    ") {
            #expect(displayWidth(String(line)) <= 60, "too wide: \(line)")
        }
    }

    @Test func teachingCommandsOutsideALesson() {
        var bench = Workbench()
        #expect(bench.execute("next").isError)
        #expect(bench.execute("lesson stop").isError)
        #expect(bench.execute("lesson 99").isError)
        var session = Session()
        #expect(session.execute("lessons").isError)
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
        let numbers = LessonCatalog.all.map { "\($0.number)" }
        #expect(lessons == numbers + ["stop"], "1, 2, ... 10, not 1, 10, 2")
        let lessonNotes = bench.completionNotes("lesson ")
        for lesson in LessonCatalog.all {
            #expect(lessonNotes["\(lesson.number)"] == lesson.title)
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
        #expect(bench.enterCommand == nil, "the step's command ran; Enter does nothing more")
        #expect(bench.world.orders.orders.count == 1)
        _ = bench.execute("next")
        let next = bench.enterCommand
        _ = bench.execute("lesson stop")
        #expect(next != nil)
        #expect(bench.enterCommand == nil)
    }
}
