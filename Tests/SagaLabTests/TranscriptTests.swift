import Foundation
import Lessons
import SagaLab
import Testing

/// Every transcript, lesson and handbook session block must replay byte for byte.
@Suite struct TranscriptTests {
    static let transcripts = Repository.files(in: "Tests/Transcripts", ending: ".txt")
    static let lessonTranscripts = Repository.files(in: "Tests/Transcripts/lessons", ending: ".txt")
    static let chapters = Repository.files(in: "handbook", ending: ".md")
    static let readme = Repository.root.appendingPathComponent("README.md")

    @Test("scenario transcripts replay exactly", arguments: transcripts)
    func scenario(_ url: URL) {
        let outcome = TranscriptSuite.checkTranscript(Repository.read(url), name: url.lastPathComponent)
        #expect(outcome.diff == nil, "\(outcome.diff ?? "")")
    }

    @Test("handbook and README session blocks replay exactly", arguments: chapters + [readme])
    func chapter(_ url: URL) {
        let outcome = TranscriptSuite.checkChapter(Repository.read(url), name: url.lastPathComponent)
        #expect(outcome.diff == nil, "\(outcome.diff ?? "")")
    }

    @Test("every lesson has a golden transcript that is its playthrough", arguments: LessonCatalog.all.compactMap(\.number))
    func lesson(_ number: Int) throws {
        let url = Repository.root.appendingPathComponent("Tests/Transcripts/lessons/lesson-\(number).txt")
        let text = Repository.read(url)
        #expect(!text.isEmpty, "missing \(url.path)")
        let lesson = try #require(LessonCatalog.lesson(number))
        let inputs = Transcript(parsing: text).entries.map(\.input)
        #expect(inputs == Workbench.playthrough(lesson), "the golden transcript must be `sagalab run lesson-\(number)`")
        let outcome = TranscriptSuite.checkTranscript(text, name: url.lastPathComponent)
        #expect(outcome.diff == nil, "\(outcome.diff ?? "")")
    }

    @Test("every lesson's playthrough solves its exercise", arguments: LessonCatalog.all.compactMap(\.number))
    func lessonSolves(_ number: Int) throws {
        let lesson = try #require(LessonCatalog.lesson(number))
        var bench = TranscriptSuite.freshBench()
        for input in Workbench.playthrough(lesson) {
            let reply = bench.execute(input)
            #expect(!reply.isError, "`\(input)` was rejected: \(reply.text)")
        }
        #expect(bench.progress.solved.contains(number))
        #expect(Handbook.chapters.contains { $0.slug == lesson.chapter }, "lesson \(number) names a missing chapter")
    }

    @Test func checkerCatchesAnEditedTranscript() throws {
        let url = try #require(Self.transcripts.first)
        let original = Repository.read(url)
        #expect(TranscriptSuite.checkTranscript(original, name: "t").diff == nil)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.indices.last { !lines[$0].hasPrefix(Transcript.prompt) && !lines[$0].isEmpty })
        lines[index] += " (edited)"
        let diff = TranscriptSuite.checkTranscript(lines.joined(separator: "\n"), name: "t").diff
        #expect(diff?.contains("(edited)") == true)
    }

    @Test func aFileWithNothingToReplayIsNotPassed() {
        #expect(TranscriptSuite.nothingToCheck("a header only\nno prompt\n", markdown: false)?.contains("no `lab> ` line") == true)
        #expect(TranscriptSuite.nothingToCheck("", markdown: false) != nil)
        #expect(TranscriptSuite.nothingToCheck("lab> help\n", markdown: false) == nil)
        #expect(TranscriptSuite.nothingToCheck("# A chapter\n```text\nlab> help\n```\n", markdown: true) != nil)
        #expect(TranscriptSuite.nothingToCheck("```sagalab\n```\n", markdown: true) != nil)
        #expect(TranscriptSuite.nothingToCheck("```sagalab\nlab> help\n```\n", markdown: true) == nil)
        for url in Self.transcripts + Self.chapters {
            #expect(TranscriptSuite.nothingToCheck(Repository.read(url), markdown: url.pathExtension == "md") == nil, "\(url.lastPathComponent)")
        }
    }

    @Test func checkerCatchesAnEditedChapterBlock() throws {
        let url = try #require(Self.chapters.first { !TranscriptSuite.blocks(in: Repository.read($0)).isEmpty })
        let original = Repository.read(url)
        let edited = original.replacingOccurrences(of: "201 Created", with: "200 OK")
        #expect(edited != original)
        #expect(TranscriptSuite.checkChapter(edited, name: "c").diff != nil)
    }

    @Test("every lesson file reads, its steps agree with their output, its solutions solve and its wrong answers are refused",
          arguments: Repository.files(in: "lessons", ending: ".md"))
    func lessonFile(_ url: URL) {
        let problems = LessonVerifier.problems(Repository.read(url), source: "lessons/\(url.lastPathComponent)")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func embeddedLessonsAreTheRepositorysLessons() throws {
        let onDisk = Repository.files(in: "lessons", ending: ".md").map(\.lastPathComponent)
        #expect(LessonCatalog.fileNames == onDisk)
        for result in LessonCatalog.parsed {
            let lesson = try result.get()
            let url = Repository.root.appendingPathComponent(lesson.source)
            let fromDisk = try LessonFile.parse(Repository.read(url), source: lesson.source, number: lesson.number)
            #expect(fromDisk.steps.map(\.passage) == lesson.steps.map(\.passage))
            #expect(fromDisk.exercise.solution == lesson.exercise.solution)
        }
        let numbers = LessonCatalog.all.compactMap(\.number)
        #expect(numbers.count == LessonCatalog.all.count)
        #expect(numbers.first == 1)
        #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }, "lesson numbers must rise with no repeat")
    }

    @Test func embeddedHandbookIsTheRepositorysHandbook() {
        let onDisk = Self.chapters.map(\.lastPathComponent)
        #expect(Handbook.fileNames == onDisk)
        for chapter in Handbook.chapters {
            let url = Repository.root.appendingPathComponent("handbook/\(chapter.slug).md")
            #expect(Repository.read(url) == chapter.markdown)
        }
    }
}
