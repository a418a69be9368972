@testable import Lessons
import SagaLab
import Testing

/// Reading only what is asked for (issue 9): one lesson without the other sixteen, a
/// chapter's title without splitting the chapter into lines, with the same answers as
/// reading everything.
@Suite struct CatalogReadingTests {
    @Test func aLessonByNumberIsTheCatalogsLesson() {
        for lesson in LessonCatalog.all {
            guard let number = lesson.number else { continue }
            let alone = LessonCatalog.lesson(number)
            #expect(alone?.source == lesson.source)
            #expect(alone?.title == lesson.title)
            let commands = lesson.steps.map { $0.command }
            #expect(alone?.steps.map { $0.command } == commands)
            let after = LessonCatalog.after(lesson)
            let next = LessonCatalog.all.first { ($0.number ?? 0) > number }
            #expect(after?.number == next?.number)
        }
        #expect(LessonCatalog.lesson(0) == nil)
        #expect(LessonCatalog.lesson(LessonCatalog.all.count + 1) == nil)
    }

    @Test func aChaptersTitleIsItsFirstHeading() {
        for chapter in Handbook.chapters {
            let heading = chapter.markdown.split(separator: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) }
            let titles = [chapter.title, "\(chapter.number). \(chapter.title)"]
            #expect(heading.map(titles.contains) == true, "\(chapter.slug)")
        }
        #expect(Handbook.firstHeading("no heading\n## not this one\n") == nil)
        #expect(Handbook.firstHeading("text\n# Title\n# Later") == "# Title")
        #expect(Handbook.firstHeading("# Only") == "# Only")
    }
}
