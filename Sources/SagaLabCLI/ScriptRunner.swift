import Lessons
import SagaLab

/// `sagalab run`: plays a script or a lesson non-interactively, echoing each command after
/// the prompt so the output reads as a transcript, and stops at the first rejected line,
/// or at a command Ctrl-C interrupted. Each returns the exit status: 0, 1 for a rejected
/// line, 130 (128 + SIGINT, as shells report it) for Ctrl-C.
enum ScriptRunner {
    static let interruptedStatus: Int32 = 130

    static func playFile(_ path: String, seed: UInt64) -> Int32 {
        let text: String
        switch Files.read(path) {
        case .success(let t): text = t
        case .failure(let error):
            StandardError.print("sagalab: error: \(error.message)")
            return 1
        }
        var bench = Workbench(seed: seed, style: .plain, width: 80)
        Interrupts.install()
        for line in Script.lines(text) {
            print(Transcript.prompt + line.text)
            let reply = bench.executeWatched(line.text, style: .plain)
            if reply.isError {
                let message = reply.text.hasPrefix("error: ") ? String(reply.text.dropFirst(7)) : reply.text
                StandardError.print("\(path):\(line.number): error: \(message)")
                return 1
            }
            if reply.isInterrupted {
                print(reply.text)
                StandardError.print("\(path):\(line.number): interrupted")
                return interruptedStatus
            }
            if !reply.text.isEmpty { print(reply.text) }
            for effect in reply.effects {
                switch effect {
                case .quit: return 0
                case .save(let file, let contents):
                    if let error = Files.write(contents, to: file) {
                        StandardError.print("\(path):\(line.number): error: \(error.message)")
                        return 1
                    }
                case .progress: break
                }
            }
        }
        return 0
    }

    static func playLesson(_ name: String, seed: UInt64) -> Int32 {
        let number = Int(name.dropFirst("lesson-".count))
        guard let number, let lesson = LessonCatalog.lesson(number) else {
            let names = LessonCatalog.all.map { "lesson-\($0.number)" }.joined(separator: ", ")
            StandardError.print("sagalab: error: no lesson \(name); lessons: \(names)")
            return 1
        }
        var bench = Workbench(seed: seed, style: .plain, width: 80)
        Interrupts.install()
        for input in Workbench.playthrough(lesson) {
            print(Transcript.prompt + input)
            let reply = bench.executeWatched(input, style: .plain)
            if !reply.text.isEmpty { print(reply.text) }
            if reply.isError {
                StandardError.print("\(name): error: `\(input)` was rejected")
                return 1
            }
            if reply.isInterrupted {
                StandardError.print("\(name): interrupted")
                return interruptedStatus
            }
        }
        guard bench.progress.solved.contains(lesson.number) else {
            StandardError.print("\(name): error: the lesson's solution did not solve its exercise")
            return 1
        }
        return 0
    }
}
