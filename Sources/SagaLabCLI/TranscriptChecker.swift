import Lessons
import SagaLab

/// `sagalab check`: replays transcripts (and the ```sagalab blocks of handbook chapters)
/// and reports each mismatch as a unified diff.
enum TranscriptChecker {
    static func check(_ paths: [String], update: Bool) -> Bool {
        var passed = 0
        var failed = 0
        for path in paths {
            let text: String
            switch Files.read(path) {
            case .success(let t): text = t
            case .failure(let error):
                StandardError.print("sagalab: error: \(error.message)")
                failed += 1
                continue
            }
            if path.hasSuffix(".md"), LessonFile.looksLikeLesson(text) {
                // A lesson is checked by playing it, not compared with a file: --update has nothing to write.
                let problems = LessonVerifier.problems(text, source: path)
                for problem in problems { print(problem) }
                if problems.isEmpty { passed += 1 } else { failed += 1 }
                continue
            }
            if let problem = TranscriptSuite.nothingToCheck(text, markdown: path.hasSuffix(".md")) {
                StandardError.print("sagalab: error: \(path): \(problem)")
                failed += 1
                continue
            }
            let result = path.hasSuffix(".md") ? TranscriptSuite.checkChapter(text, name: path)
                : TranscriptSuite.checkTranscript(text, name: path)
            if result.diff == nil {
                passed += 1
                continue
            }
            if update {
                if let error = Files.write(result.updated, to: path, replacing: true) {
                    StandardError.print("sagalab: error: \(error.message)")
                    failed += 1
                } else {
                    print("updated \(path)")
                    passed += 1
                }
            } else {
                print(result.diff ?? "")
                failed += 1
            }
        }
        print("check: \(passed) passed, \(failed) failed")
        return failed == 0
    }
}
