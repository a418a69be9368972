import Lessons
import SagaLab

/// `sagalab run`: plays a script or a lesson non-interactively, echoing each command after
/// the prompt so the output reads as a transcript, and stops at the first rejected line.
enum ScriptRunner {
    static func playFile(_ path: String, seed: UInt64) -> Bool {
        let text: String
        switch Files.read(path) {
        case .success(let t): text = t
        case .failure(let error):
            StandardError.print("sagalab: error: \(error.message)")
            return false
        }
        var bench = Workbench(seed: seed, style: .plain, width: 80)
        for line in Script.lines(text) {
            print(Transcript.prompt + line.text)
            let reply = bench.execute(line.text)
            if reply.isError {
                let message = reply.text.hasPrefix("error: ") ? String(reply.text.dropFirst(7)) : reply.text
                StandardError.print("\(path):\(line.number): error: \(message)")
                return false
            }
            if !reply.text.isEmpty { print(reply.text) }
            for effect in reply.effects {
                switch effect {
                case .quit: return true
                case .save(let file, let contents):
                    if let error = Files.write(contents, to: file) {
                        StandardError.print("\(path):\(line.number): error: \(error.message)")
                        return false
                    }
                case .progress: break
                }
            }
        }
        return true
    }

    static func playLesson(_ name: String, seed: UInt64) -> Bool {
        let number = Int(name.dropFirst("lesson-".count))
        guard let number, let lesson = LessonCatalog.lesson(number) else {
            let names = LessonCatalog.all.map { "lesson-\($0.number)" }.joined(separator: ", ")
            StandardError.print("sagalab: error: no lesson \(name); lessons: \(names)")
            return false
        }
        var bench = Workbench(seed: seed, style: .plain, width: 80)
        for input in Workbench.playthrough(lesson) {
            print(Transcript.prompt + input)
            let reply = bench.execute(input)
            if !reply.text.isEmpty { print(reply.text) }
            if reply.isError {
                StandardError.print("\(name): error: `\(input)` was rejected")
                return false
            }
        }
        guard bench.progress.solved.contains(lesson.number) else {
            StandardError.print("\(name): error: the lesson's solution did not solve its exercise")
            return false
        }
        return true
    }
}
