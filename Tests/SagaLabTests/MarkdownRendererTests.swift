import SagaLab
import Testing

@testable import Lessons

@Suite("MarkdownRenderer")
struct MarkdownRendererTests {
    private func plain(_ markdown: String, width: Int = 40) -> String {
        MarkdownRenderer.render(markdown, width: width, style: .plain)
    }

    private func rich(_ markdown: String, width: Int = 40) -> String {
        MarkdownRenderer.render(markdown, width: width, style: .rich)
    }

    /// The text a terminal shows: the output without its ANSI escape sequences.
    private func visible(_ text: String) -> String {
        var result = ""
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if scalar == "m" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    // MARK: Headings

    @Test func headingsAreUnderlinedInPlainStyle() {
        let output = plain("# Saga log\n## Steps\n### Compensation\n#### Details ##")
        #expect(output == "Saga log\n========\n\nSteps\n-----\n\nCompensation\n\nDetails\n")
    }

    @Test func headingUnderlineMatchesWideText() {
        #expect(plain("# 分散 log") == "分散 log\n========\n")
    }

    @Test func headingsAreBoldInColourAndLevelOneUnderlined() {
        let output = rich("# Title\n\n## Sub\n\n### Third")
        #expect(output == "\u{1B}[1;4mTitle\u{1B}[0m\n\n\u{1B}[1mSub\u{1B}[0m\n\n\u{1B}[1mThird\u{1B}[0m\n")
    }

    // MARK: Paragraphs and wrapping

    @Test func paragraphsJoinSoftBreaksAndWrapAtTheWidth() {
        let text = "The coordinator\nsends prepare to every participant and waits for the votes."
        #expect(plain(text, width: 24) == "The coordinator sends\nprepare to every\nparticipant and waits\nfor the votes.\n")
    }

    @Test func widthIsAtLeastTwenty() {
        let text = "Every step of a saga commits locally and may be compensated later."
        #expect(plain(text, width: 5) == plain(text, width: 20))
        #expect(lines(plain(text, width: 5)).allSatisfy { displayWidth($0) <= 20 })
        #expect(lines(plain(text, width: 5)).contains { displayWidth($0) > 15 })
    }

    @Test func wordsAreSplitOnlyWhenLongerThanALine() {
        let output = plain("a supercalifragilisticexpialidocious word", width: 20)
        #expect(output == "a\nsupercalifragilistic\nexpialidocious word\n")
    }

    @Test func hardBreaksAreKept() {
        #expect(plain("first\\\nsecond  \nthird") == "first\nsecond\nthird\n")
        #expect(plain("1. \\\n   text") == "1. text\n")
    }

    @Test func codeSpansWiderThanALineWrapAtTheirSpaces() {
        let output = plain("Run `sagalab run --seed 7 --steps 12 --verbose` now", width: 20)
        #expect(output == "Run\n`sagalab run --seed\n7 --steps 12\n--verbose` now\n")
        #expect(plain("Run `sagalab run` now", width: 21) == "Run `sagalab run` now\n")
        #expect(plain("Try `sagalab run`", width: 20) == "Try `sagalab run`\n")
        #expect(plain("The command is `sagalab run`", width: 20) == "The command is\n`sagalab run`\n")
    }

    @Test func wideCharactersCountTwoColumns() {
        #expect(plain("分散システム 分散システム", width: 20) == "分散システム\n分散システム\n")
        let run = String(repeating: "分", count: 15)
        #expect(plain(run, width: 20) == String(repeating: "分", count: 10) + "\n" + String(repeating: "分", count: 5) + "\n")
    }

    @Test func colourDoesNotChangeTheLayout() {
        let text = """
            A **saga** is a *sequence* of local transactions, each with a **compensating action** \
            that _undoes_ it when a later step fails.
            """
        let coloured = rich(text, width: 24)
        #expect(coloured.contains("\u{1B}["))
        #expect(visible(coloured) == plain(text, width: 24))
        #expect(lines(coloured).allSatisfy { displayWidth($0) <= 24 })
    }

    // MARK: Inline formatting

    @Test func emphasisMarkersAreRemovedInPlainStyle() {
        #expect(plain("A *saga* is **not** _atomic_ ***at all***.") == "A saga is not atomic at all.\n")
    }

    @Test func emphasisIsEscapedInColour() {
        let output = rich("A *saga* is **not** _atomic_ ***at all***.")
        #expect(output == "A \u{1B}[3msaga\u{1B}[0m is \u{1B}[1mnot\u{1B}[0m \u{1B}[3matomic\u{1B}[0m \u{1B}[1;3mat all\u{1B}[0m.\n")
    }

    @Test func textThatOnlyLooksLikeEmphasisStaysLiteral() {
        #expect(plain("snake_case_name and 2 * 3 * 4 and **unclosed", width: 60) == "snake_case_name and 2 * 3 * 4 and **unclosed\n")
        #expect(plain("\\*not emphasis\\* and a\\_b") == "*not emphasis* and a_b\n")
    }

    @Test func inlineCodeKeepsBackticksInPlainAndIsCyanInColour() {
        #expect(plain("Run `saga run --seed 7` now, not *`this`*.") == "Run `saga run --seed 7` now, not `this`.\n")
        #expect(rich("Run `saga run` now") == "Run \u{1B}[36msaga run\u{1B}[0m now\n")
    }

    @Test func inlineCodeIsNotParsedAsMarkdown() {
        #expect(plain("Use `**kwargs` and `a_b_c`.") == "Use `**kwargs` and `a_b_c`.\n")
    }

    @Test func linksShowTheirURL() {
        let output = plain(
            "Read [the paper](https://example.com/sagas.pdf \"Sagas\"), [https://x.org](https://x.org) and <https://y.org>.",
            width: 80)
        #expect(output == "Read the paper (https://example.com/sagas.pdf), https://x.org and https://y.org.\n")
        #expect(plain("[**bold** link](https://z.org)") == "bold link (https://z.org)\n")
    }

    @Test func linksBetweenChaptersShowTheirWordsOnly() {
        // In the lab a chapter opens by its number: its file's name means nothing there.
        #expect(plain("Next: [chapter 3](03-idempotent-consumers.md), then [4. Compensation](04-compensation.md#why).")
                == "Next: chapter 3, then 4. Compensation.\n")
    }

    @Test func anEchoedLineCannotDriveTheTerminal() {
        #expect(Transcript.echo("show \u{1B}[31morders") == "lab> show ?[31morders")
        #expect(Transcript.echo("order alice prod-1") == "lab> order alice prod-1")
        #expect(quoted("\u{1B}[2J") == "'?[2J'")
    }

    // MARK: Lists

    @Test func listItemsWrapWithAHangingIndent() {
        let output = plain("- A crashed coordinator leaves every participant blocked\n- Short", width: 24)
        #expect(output == "- A crashed coordinator\n  leaves every\n  participant blocked\n- Short\n")
    }

    @Test func nestedListsAreIndented() {
        let markdown = """
            1. First
            2. Second
               - nested item that wraps around the width
                 and continues
            3. Third
            """
        #expect(plain(markdown, width: 30) == """
            1. First
            2. Second
               - nested item that wraps
                 around the width and
                 continues
            3. Third

            """)
    }

    @Test func orderedListsCountFromTheirStartAndAlignNumbers() {
        #expect(plain("8. eight\n9. nine\n10. ten") == " 8. eight\n 9. nine\n10. ten\n")
    }

    @Test func bulletsUseUnicodeWhenAllowed() {
        let output = MarkdownRenderer.render("- one\n  - two", width: 40, style: Style(color: false, unicode: true))
        #expect(output == "• one\n  ◦ two\n")
    }

    @Test func looseListsKeepTheirBlankLines() {
        #expect(plain("- a\n\n- b\n\n  more about b") == "- a\n\n- b\n\n  more about b\n")
    }

    @Test func lazyContinuationLinesJoinTheItem() {
        #expect(plain("- first line\ncontinues here\n- second") == "- first line continues here\n- second\n")
    }

    // MARK: Code blocks

    /// A code block is indented when every line fits with the indent, and goes flush left
    /// otherwise (a session recorded 80 columns wide on an 80-column terminal); it is never wrapped.
    @Test func codeBlocksAreVerbatimIndentedWhenTheyFitAndNeverWrapped() {
        let markdown = """
            Before

            ```swift
            let x = **not bold** and a very long line that goes beyond the width
              indented(_ under_score: Int)

            print(x)
            ```

            After
            """
        #expect(plain(markdown, width: 80) == """
            Before

                let x = **not bold** and a very long line that goes beyond the width
                  indented(_ under_score: Int)

                print(x)

            After

            """)
        #expect(plain(markdown, width: 20) == """
            Before

            let x = **not bold** and a very long line that goes beyond the width
              indented(_ under_score: Int)

            print(x)

            After

            """)
    }

    @Test func codeBlocksAreDimInColour() {
        #expect(rich("~~~\nlet a = 1\n~~~") == "    \u{1B}[2mlet a = 1\u{1B}[0m\n")
    }

    @Test func unclosedFenceRunsToTheEnd() {
        #expect(plain("```\n# not a heading\n- not a list") == "    # not a heading\n    - not a list\n")
    }

    // MARK: Quotes, rules and tables

    @Test func blockQuotesHaveAGutter() {
        let markdown = "> A saga gives up isolation\n> to gain availability.\n>\n> — the handbook"
        #expect(plain(markdown, width: 30) == "| A saga gives up isolation to\n| gain availability.\n|\n| — the handbook\n")
        let unicode = MarkdownRenderer.render(markdown, width: 30, style: Style(color: false, unicode: true))
        #expect(unicode == "│ A saga gives up isolation to\n│ gain availability.\n│\n│ — the handbook\n")
    }

    @Test func blockQuotesContainOtherBlocks() {
        #expect(plain("> ## Note\n> - one\n> - two\nlazy") == "| Note\n| ----\n|\n| - one\n| - two lazy\n")
    }

    @Test func rulesSpanTheWidthUpToEighty() {
        #expect(plain("above\n\n---\n\nbelow", width: 30) == "above\n\n" + String(repeating: "-", count: 30) + "\n\nbelow\n")
        #expect(plain("***", width: 120) == String(repeating: "-", count: 80) + "\n")
        let unicode = MarkdownRenderer.render("___", width: 25, style: Style(color: false, unicode: true))
        #expect(unicode == String(repeating: "─", count: 25) + "\n")
    }

    @Test func tablesAreAlignedInColumns() {
        let markdown = """
            | Step | Action | Undo |
            |------|:------:|-----:|
            | 1 | debit *alice* | credit |
            | 20 | `notify` | — |
            """
        let expected = [
            "Step    Action       Undo",
            "----  -----------  ------",
            "1     debit alice  credit",
            "20     `notify`         —",
        ]
        #expect(plain(markdown) == expected.joined(separator: "\n") + "\n")
    }

    @Test func tableCellsAlignByDisplayWidthInColour() {
        let output = rich("| Node | State |\n|---|---|\n| 東京 | **up** |\n| b | down |")
        let rows = lines(visible(output))
        #expect(rows == ["Node  State", "────  ─────", "東京  up", "b     down", ""])
    }

    @Test func emptyTableRowsLeaveNoBlankLines() {
        #expect(plain("Before\n\n|\n|---|\n\nAfter") == "Before\n\nAfter\n")
    }

    @Test func pipesWithoutASeparatorRowAreText() {
        #expect(plain("a | b\nc | d") == "a | b c | d\n")
    }

    // MARK: Spacing

    @Test func blocksAreSeparatedByExactlyOneBlankLine() {
        let output = plain("\n\n\n# A\n\n\n\nText\n\n\n\n- item\n\n\n\n> quote\n\n\n")
        #expect(output == "A\n=\n\nText\n\n- item\n\n| quote\n")
        #expect(!output.contains("\n\n\n"))
    }

    @Test func adjacentBlocksWithoutBlankLinesAreStillSeparated() {
        #expect(plain("# Title\nText\n```\ncode\n```\n---") == "Title\n=====\n\nText\n\n    code\n\n" + String(repeating: "-", count: 40) + "\n")
    }

    @Test func outputEndsWithOneNewlineAndEmptyInputIsEmpty() {
        #expect(plain("") == "")
        #expect(plain("\n  \n\n") == "")
        #expect(plain("word\n\n\n") == "word\n")
        #expect(plain("line one\r\nline two\r\n") == "line one line two\n")
    }
}
