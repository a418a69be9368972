import SagaLab
import Testing

/// Expected outputs below were checked against GNU `diff -u --label expected --label actual`.
@Suite("UnifiedDiff")
struct UnifiedDiffTests {
    private func diff(_ expected: String, _ actual: String, context: Int = 3) -> String? {
        UnifiedDiff.make(expected: expected, actual: actual, expectedName: "expected", actualName: "actual",
                         context: context)
    }

    private func numbered(_ range: ClosedRange<Int>, replacing replacements: [Int: String] = [:]) -> String {
        range.map { replacements[$0] ?? String($0) }.joined(separator: "\n") + "\n"
    }

    @Test func equalTextsHaveNoDiff() {
        #expect(diff("", "") == nil)
        #expect(diff("a\nb\n", "a\nb\n") == nil)
        #expect(diff("a\nb", "a\nb") == nil)
    }

    @Test func oneChangedLineMakesOneHunkWithThreeLinesOfContext() {
        let result = diff(numbered(1...10), numbered(1...10, replacing: [5: "five"]))
        #expect(result == """
            --- expected
            +++ actual
            @@ -2,7 +2,7 @@
             2
             3
             4
            -5
            +five
             6
             7
             8

            """)
    }

    @Test func contextCanBeNarrowed() {
        let result = diff(numbered(1...10), numbered(1...10, replacing: [5: "five"]), context: 0)
        #expect(result == "--- expected\n+++ actual\n@@ -5 +5 @@\n-5\n+five\n")
    }

    @Test func insertionAtTheStart() {
        let result = diff("a\nb\nc\nd\ne\n", "new\na\nb\nc\nd\ne\n")
        #expect(result == "--- expected\n+++ actual\n@@ -1,3 +1,4 @@\n+new\n a\n b\n c\n")
    }

    @Test func insertionAtTheEnd() {
        let result = diff("a\nb\nc\nd\ne\n", "a\nb\nc\nd\ne\nf\n")
        #expect(result == "--- expected\n+++ actual\n@@ -3,3 +3,4 @@\n c\n d\n e\n+f\n")
    }

    @Test func emptySidesUseTheZeroLengthRange() {
        #expect(diff("", "a\n") == "--- expected\n+++ actual\n@@ -0,0 +1 @@\n+a\n")
        #expect(diff("a\nb\n", "") == "--- expected\n+++ actual\n@@ -1,2 +0,0 @@\n-a\n-b\n")
    }

    @Test func changesWhoseContextsMeetShareOneHunk() {
        let result = diff(numbered(1...20), numbered(1...20, replacing: [5: "five", 12: "twelve"]))
        #expect(result == """
            --- expected
            +++ actual
            @@ -2,14 +2,14 @@
             2
             3
             4
            -5
            +five
             6
             7
             8
             9
             10
             11
            -12
            +twelve
             13
             14
             15

            """)
    }

    @Test func changesFurtherApartGetSeparateHunks() {
        let result = diff(numbered(1...20), numbered(1...20, replacing: [5: "five", 13: "thirteen"]))
        #expect(result == """
            --- expected
            +++ actual
            @@ -2,7 +2,7 @@
             2
             3
             4
            -5
            +five
             6
             7
             8
            @@ -10,7 +10,7 @@
             10
             11
             12
            -13
            +thirteen
             14
             15
             16

            """)
    }

    @Test func missingFinalNewlineIsMarked() {
        #expect(diff("a\nb\n", "a\nb") == """
            --- expected
            +++ actual
            @@ -1,2 +1,2 @@
             a
            -b
            +b
            \\ No newline at end of file

            """)
        #expect(diff("x\ny", "z\ny") == """
            --- expected
            +++ actual
            @@ -1,2 +1,2 @@
            -x
            +z
             y
            \\ No newline at end of file

            """)
    }

    @Test func carriageReturnsAreDifferences() {
        #expect(diff("a\nb\n", "a\r\nb\n") == "--- expected\n+++ actual\n@@ -1,2 +1,2 @@\n-a\n+a\r\n b\n")
    }

    @Test func completelyDifferentTextsRemoveAndAddEverything() {
        let result = diff("a\nb\n", "c\nd\n")
        #expect(result == "--- expected\n+++ actual\n@@ -1,2 +1,2 @@\n-a\n-b\n+c\n+d\n")
    }

    @Test func namesAppearInTheHeader() {
        let result = UnifiedDiff.make(expected: "a\n", actual: "b\n", expectedName: "Tests/Transcripts/saga.txt",
                                      actualName: "saga.txt (actual)")
        #expect(result?.hasPrefix("--- Tests/Transcripts/saga.txt\n+++ saga.txt (actual)\n@@ -1 +1 @@\n") == true)
    }

    @Test func largeInputsWithAFewChangesAreFast() {
        let lines = (1...3000).map { "tick \($0): node-\($0 % 7) applied step \($0 * 31 % 997)" }
        var changed = lines
        changed[9] = "tick 10: node-3 crashed"
        changed.remove(at: 1499)
        changed.insert("tick 2900a: partition healed", at: 2899)
        let clock = ContinuousClock()
        var result: String?
        let elapsed = clock.measure {
            result = diff(lines.joined(separator: "\n") + "\n", changed.joined(separator: "\n") + "\n")
        }
        #expect(elapsed < .seconds(5))
        let text = result ?? ""
        let headers = text.split(separator: "\n").filter { $0.hasPrefix("@@") }
        #expect(headers == ["@@ -7,7 +7,7 @@", "@@ -1497,7 +1497,6 @@", "@@ -2898,6 +2897,7 @@"])
        #expect(text.contains("\n-\(lines[9])\n+tick 10: node-3 crashed\n"))
        #expect(text.contains("\n-\(lines[1499])\n"))
        #expect(text.contains("\n+tick 2900a: partition healed\n"))
    }
}
