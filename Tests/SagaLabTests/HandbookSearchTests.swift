import Lessons
@testable import SagaLab
import Testing

/// `chapter WORD` searches the handbook's prose when no chapter is called WORD, and
/// `chapter N run` plays a chapter's example sessions into the learner's own lab.
@Suite struct HandbookSearchTests {
    @Test func aWordNoChapterIsCalledListsTheChaptersThatMentionIt() throws {
        var bench = Workbench()
        let reply = bench.execute("chapter pivot")
        #expect(!reply.isError)
        let hits = HandbookSearch.hits("pivot")
        #expect(!hits.isEmpty)
        for hit in hits {
            #expect(reply.text.contains("  \(hit.chapter.number). \(hit.chapter.title)"))
            #expect(hit.lines.allSatisfy { $0.lowercased().contains("pivot") })
        }
        let numbers = hits.map(\.chapter.number)
        #expect(numbers == numbers.sorted(), "chapters in order")
        #expect(bench.execute("chapter outbox").text.contains("transactional outbox"), "a topic still opens its chapter")
        let none = bench.execute("chapter zzzqqq")
        #expect(none.isError)
        #expect(none.text.contains("no chapter mentions 'zzzqqq'"))
    }

    @Test func severalWordsAreSearchedAsOnePhraseWithoutBoldMarks() throws {
        var bench = Workbench()
        let reply = bench.execute("chapter dual write")
        #expect(!reply.isError)
        #expect(reply.text.hasPrefix("'dual write' appears in"))
        let hits = HandbookSearch.hits("dual write")
        #expect(hits.contains { $0.chapter.number == 1 }, "chapter 1 names the dual write")
        #expect(hits.flatMap(\.lines).allSatisfy { $0.lowercased().contains("dual write") && !$0.contains("**") })
        #expect(bench.execute("chapter 4 go").isError, "a chapter's number still takes only `run` after it")
        // Chapter 1's prose breaks its source lines mid-sentence: a phrase across a break is found.
        let source = try #require(Handbook.chapters.first { $0.number == 1 }).markdown.split(separator: "\n").map(String.init)
        let pair = try #require(source.indices.dropLast().first { index in
            let (a, b) = (source[index], source[index + 1])
            return a.first?.isLetter == true && b.first?.isLetter == true && !a.hasSuffix(".")
        })
        let phrase = "\(source[pair].split(separator: " ").last!) \(source[pair + 1].split(separator: " ").first!)"
        #expect(HandbookSearch.hits(phrase).contains { $0.chapter.number == 1 }, "'\(phrase)' across a line break")
    }

    @Test func theSearchFitsTheWidthAndLeavesSessionsOut() {
        for width in [40, 80, 160] {
            var bench = Workbench(width: width)
            for line in bench.execute("chapter fence").text.split(separator: "\n") {
                #expect(displayWidth(String(line)) <= width, "\(line)")
            }
        }
        let lines = HandbookSearch.hits("fence").flatMap(\.lines)
        let sessionLines = lines.filter { $0.hasPrefix("lab> ") || $0.hasPrefix("[") }
        #expect(sessionLines.isEmpty, "only prose is searched")
    }

    @Test func chapterRunPlaysTheExamplesIntoThisLab() throws {
        var bench = Workbench()
        let chapter = try #require(Handbook.chapters.first { $0.number == 14 })
        let commands = Workbench.exampleCommands(chapter)
        #expect(!commands.isEmpty)
        let reply = bench.execute("chapter 14 run")
        #expect(!reply.isError)
        #expect(reply.effects.isEmpty, "no file is written")
        for command in commands {
            #expect(reply.text.contains("chapter 14> \(command)"))
        }
        #expect(bench.world.orders.orders.count == 1, "the chapter's last session left its order in this lab")
        #expect(bench.session.script.contains("pattern idempotency check-then-act inventory"), "the commands went into the session's history")
        #expect(bench.completions("chapter 14 ") == ["run"])
        #expect(bench.execute("chapter 99 run").isError)
        #expect(bench.execute("chapter outbox run").isError)
    }

    @Test func chapterRunGivesTheChaptersOwnOutputOnAFreshLab() throws {
        var bench = Workbench()
        let chapter = try #require(Handbook.chapters.first { $0.number == 13 })
        let text = bench.execute("chapter 13 run").text
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let prompt = Workbench.examplePrompt(chapter)
        let first = try #require(lines.firstIndex { $0.hasPrefix(prompt) })
        lines.removeFirst(first)
        #expect(lines.removeLast().hasPrefix("Played chapter 13's"))
        #expect(!lines.contains { $0.hasPrefix(Transcript.prompt) }, "no line reads as typed in a transcript")
        lines = lines.map { $0.hasPrefix(prompt) ? Transcript.prompt + $0.dropFirst(prompt.count) : $0 }
        let blocks = TranscriptSuite.blocks(in: chapter.markdown).map(\.body).joined()
        #expect(lines.joined(separator: "\n") + "\n" == blocks)
    }
}
