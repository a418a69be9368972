import Foundation
import Lessons
import SagaLab
import Testing

/// Lesson files: the format a teacher writes, its errors with FILE:LINE, and the
/// verifier `sagalab check` runs over a lesson.
@Suite struct LessonFileTests {
    static let small = """
        # Lesson: A small lesson

        - Chapter: [1. The dual write](../handbook/01-the-dual-write.md)
        - Design: none
        - Seed: 1

        ## Step 1

        Place an order.

        ```sagalab
        order alice prod-1x2
        ```

        {last-order} is {last-order.status} for {last-order.total}; the mark of a broken invariant is {fail}.

        ## Exercise

        Place a second order and see it confirmed.

        ### Hints

        1. `run` lets the world go on.

        ### Solution

        ```sagalab
        order bob prod-3
        run
        ```

        ### Checks

        - `orders-at-least 2`
        - `order-status confirmed`
        - `settled`

        ### When solved

        confirmed.

        ### Wrong answers

        #### Nothing ran

        ```sagalab
        order carol prod-3
        ```
        """

    static func error(_ text: String) -> String {
        do {
            _ = try LessonFile.parse(text, source: "my.md")
            return ""
        } catch {
            return "\(error)"
        }
    }

    static func replacing(_ old: String, with new: String) -> String {
        small.split(separator: "\n", omittingEmptySubsequences: false).map { $0 == old ? new : String($0) }.joined(separator: "\n")
    }

    @Test func aSmallLessonReadsAndVerifies() throws {
        let lesson = try LessonFile.parse(Self.small, source: "my.md")
        #expect(lesson.title == "A small lesson")
        #expect(lesson.chapter == "01-the-dual-write")
        #expect(lesson.design == nil)
        #expect(lesson.steps.count == 1)
        #expect(lesson.steps.first?.command == "order alice prod-1x2")
        #expect(lesson.steps.first?.commandLine == 12)
        #expect(lesson.exercise.solution == ["order bob prod-3", "run"])
        #expect(lesson.exercise.wrongAnswers.map(\.title) == ["Nothing ran"])
        #expect(LessonVerifier.problems(Self.small, source: "my.md").isEmpty)
    }

    @Test func errorsNameTheFileTheLineAndWhatIsExpected() {
        #expect(Self.error("hello") == "my.md:1: expected the title line `# Lesson: TITLE`")
        #expect(Self.error(Self.replacing("## Step 1", with: "## Step 2"))
            == "my.md:7: expected `## Step 1`: steps are numbered 1, 2, 3 in order")
        #expect(Self.error(Self.replacing("- Seed: 1", with: "- Seed: one")) == "my.md:5: the seed is a whole number, not \"one\"")
        #expect(Self.error(Self.replacing("- Design: none", with: "- Design: the Corba shop")).hasPrefix("my.md:4: unknown design"))
        #expect(Self.error(Self.replacing("order alice prod-1x2", with: "order alice"))
            .hasPrefix("my.md:12: this command does not parse: order needs at least one item"))
        #expect(Self.error(Self.replacing("- `settled`", with: "- `setled`"))
            == "my.md:36: no check named \"setled\" (did you mean 'settled'?); chapter 15 lists them")
        #expect(Self.error(Self.replacing("Place an order.", with: "Place {an} order."))
            .hasPrefix("my.md:9: unknown placeholder {an}; placeholders: {fail}"))
        #expect(Self.error(Self.replacing("### Wrong answers", with: "### Wrong anwsers"))
            .hasPrefix("my.md:42: unknown section \"### Wrong anwsers\""))
    }

    @Test func theVerifierReportsAWrongAnswerThatSolvesAndASolutionThatDoesNot() {
        let solving = Self.replacing("order carol prod-3", with: "order carol prod-3\nrun")
        #expect(LessonVerifier.problems(solving, source: "my.md")
            == ["my.md:44: wrong answer \"Nothing ran\" solves the exercise; its checks cannot tell it from a solution"])
        let failing = Self.replacing("run", with: "step 1")
        #expect(LessonVerifier.problems(failing, source: "my.md").first?.hasPrefix("my.md:28: this solution does not solve the exercise; still missing: an order ends CONFIRMED") == true)
        let wrongTime = Self.replacing("Place an order.", with: "Place an order.").replacingOccurrences(of: "{last-order} is", with: "ord-7 is")
        #expect(LessonVerifier.problems(wrongTime, source: "my.md")
            == ["my.md:12: step 1's explanation says ord-7, which the output so far never shows; write it as a placeholder or correct it"])
    }

    @Test func theVerifierReportsAnExerciseThatARunAloneSolves() {
        let settling = Self.replacing("- `orders-at-least 2`", with: "- `orders-at-least 1`")
        #expect(LessonVerifier.problems(settling, source: "my.md") == [
            "my.md:28: `run` alone solves the exercise where it starts; its checks ask for nothing the learner must do but let the steps' world settle",
        ])
    }

    @Test func aLessonFileLoadsAtRunTimeAndFillsItsPlaceholders() {
        var bench = Workbench()
        bench.readFile = { path in path == "./small.md" ? .success(Self.small) : .failure(LessonFileUnreadable("no such file: \(path)")) }
        let start = bench.execute("lesson ./small.md")
        #expect(start.text.hasPrefix("Lesson (small.md): A small lesson"))
        let ran = bench.execute("")
        #expect(ran.text.contains("| ord-1 is PENDING for $20.00; the mark of a broken invariant is FAIL."))
        #expect(bench.execute("lesson ./missing.md").text == "error: no such file: ./missing.md")
        bench.readFile = { _ in .success("# Lesson: broken\n") }
        #expect(bench.execute("lesson ./broken.md").text.hasPrefix("error: ./broken.md:2: the header has no `- Chapter: ...` line"))
    }

    @Test func chapter15sExampleLessonVerifiesAndNamesEveryCheck() throws {
        let chapter = try #require(Handbook.find("15"))
        let parts = chapter.markdown.components(separatedBy: "~~~markdown\n")
        let example = try #require(parts.dropFirst().first?.components(separatedBy: "\n~~~").first)
        #expect(LessonVerifier.problems(example, source: "example.md").isEmpty)
        for name in ExerciseChecks.names {
            #expect(chapter.markdown.contains("| `\(name)"), "chapter 15 does not document `\(name)`")
        }
    }

    @Test func marksFollowTheTerminal() throws {
        var bench = Workbench(style: .rich)
        bench.readFile = { _ in .success(Self.small) }
        _ = bench.execute("lesson ./small.md")
        #expect(bench.execute("").text.contains("the mark of a broken invariant is ✗."))
    }
}
