#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Lessons
import SagaLab

/// `sagalab run`: plays a script or a lesson non-interactively, echoing each command after
/// the prompt so the output reads as a transcript, and stops at the first rejected line,
/// or at a command Ctrl-C interrupted (or the memory ceiling stopped). Each returns the exit
/// status: 0, 1 for a rejected line, 130 (128 + SIGINT, as shells report it) for a stop.
enum ScriptRunner {
    static let interruptedStatus: Int32 = 130

    /// Why a command just stopped between two steps: Ctrl-C, or else the memory ceiling
    /// (`MemoryUse`), the only other thing that stops one.
    private static var stopCause: String {
        Interrupts.requested ? "interrupted" : "stopped: the lab outgrew the memory this machine can safely give it"
    }

    static func playFile(_ path: String, seed: UInt64, exports: [[String]] = []) -> Int32 {
        guard let text = Files.readForRun(path) else { return 1 }
        var bench = Workbench(seed: seed, style: .plain, width: 80)
        // Snapshots serve jumps; a script that never jumps plays faster and smaller without them.
        let travels: Set<String> = ["undo", "redo", "goto", "branch", "switch"]
        bench.keepSnapshots(Script.lines(text).contains { travels.contains($0.text.split(separator: " ").first.map { $0.lowercased() } ?? "") })
        Interrupts.install()
        script: for line in Script.lines(text) {
            print(Transcript.echo(line.text))
            let reply = bench.executeWatched(line.text, style: .plain)
            if reply.isError {
                // The reply's error wrapped after `error: `; wrapped again after the place.
                let text = reply.text.replacingOccurrences(of: "\n  ", with: " ")
                let message = text.hasPrefix("error: ") ? String(text.dropFirst(7)) : text
                StandardError.print(TextWrap.fit("\(path):\(line.number): error: \(message)", width: 80))
                return 1
            }
            if reply.isInterrupted {
                print(reply.text)
                StandardError.print("\(path):\(line.number): \(stopCause)")
                return interruptedStatus
            }
            for effect in reply.effects {
                let written: FileError?
                switch effect {
                case .save(let file, let contents): written = Files.write(contents, to: file, replacing: false)
                case .replace(let file, let contents): written = Files.write(contents, to: file, replacing: true)
                case .quit, .progress: written = nil
                }
                if let error = written {
                    StandardError.print("\(path):\(line.number): error: \(error.message)")
                    return 1
                }
            }
            if !reply.text.isEmpty { print(reply.text) }
            if reply.effects.contains(.quit) { break script }
        }
        let status = export(exports, from: bench)
        // The script is the whole process: end it here rather than tear the world down
        // first, which for a million orders takes seconds and frees nothing anyone needs.
        fflush(nil)
        exit(status)
    }

    /// `sagalab run lesson-N`: a lesson built in, by number.
    static func playLesson(_ name: String, seed: UInt64, exports: [[String]] = []) -> Int32 {
        let number = Int(name.dropFirst("lesson-".count))
        guard let number, let lesson = LessonCatalog.lesson(number) else {
            let names = LessonCatalog.all.compactMap { $0.number.map { "lesson-\($0)" } }.joined(separator: ", ")
            StandardError.print("sagalab: error: no lesson \(name); lessons: \(names)")
            return 1
        }
        return play(lesson, name: name, seed: seed, exports: exports)
    }

    /// `sagalab run FILE.md`: a lesson file a teacher wrote, read now.
    static func playLessonFile(_ path: String, seed: UInt64, exports: [[String]] = []) -> Int32 {
        guard let text = Files.readForRun(path) else { return 1 }
        do {
            return play(try LessonFile.parse(text, source: path), name: path, seed: seed, exports: exports)
        } catch {
            StandardError.print(TextWrap.fit("\(error)", width: 80))
            return 1
        }
    }

    /// Plays a lesson from start to solved exercise, as a narrated transcript.
    static func play(_ lesson: Lesson, name: String, seed: UInt64, exports: [[String]]) -> Int32 {
        var bench = Workbench(seed: seed, style: .plain, width: 80)
        bench.readFile = Files.lessonReader
        Interrupts.install()
        for input in Workbench.playthrough(lesson) {
            print(Transcript.echo(input))
            let reply = bench.executeWatched(input, style: .plain)
            if !reply.text.isEmpty { print(reply.text) }
            if reply.isError {
                StandardError.print("\(name): error: `\(input)` was rejected")
                return 1
            }
            if reply.isInterrupted {
                StandardError.print("\(name): \(stopCause)")
                return interruptedStatus
            }
        }
        guard bench.tour?.solved == true else {
            StandardError.print("\(name): error: the lesson's solution did not solve its exercise")
            return 1
        }
        return export(exports, from: bench)
    }

    /// `run --export FORMAT FILE ...`: the words after `--export`, one `export` command for
    /// each format named, with the file and the words up to the next format.
    static func exportCommands(_ words: [String]) throws -> [[String]] {
        let formats = Set(ExportRequest.Format.allCases.map(\.rawValue))
        var commands: [[String]] = []
        for word in words {
            // A format word starts the next command once the current one has its file.
            let startsOne = formats.contains(word.lowercased()) && (commands.last.map { $0.count > 2 } ?? true)
            if startsOne {
                commands.append(["export", word])
            } else if commands.isEmpty {
                throw ValidationError("--export takes a format first (mermaid, json or html), not '\(word)'")
            } else {
                commands[commands.count - 1].append(word)
            }
        }
        return commands
    }

    /// Performs the exports asked for after a script or a lesson, echoed as lab commands so
    /// that the output still reads as a transcript. Returns the exit status.
    static func export(_ commands: [[String]], from bench: Workbench) -> Int32 {
        var session = bench.session
        for words in commands {
            let line = words.joined(separator: " ")
            print(Transcript.echo(line))
            guard case .command(let command) = CommandParser.parse(words: words) else {
                StandardError.print("sagalab: error: --export \(words.dropFirst().joined(separator: " ")) is not an export")
                return 1
            }
            // The command line's own outputs replace the files they name: only a directory
            // in the way, or a missing one, stops one, before it is made.
            if case .export(let request) = command, let problem = Files.problem(writing: request.path, replacing: true) {
                StandardError.print("sagalab: error: \(problem.message)")
                return 1
            }
            Interrupts.reset()
            let reply = session.execute(command, line: line, watch: CommandWatch(shouldStop: { Interrupts.requested }))
            if reply.isInterrupted {
                print(reply.text)
                StandardError.print("sagalab: --export \(words.dropFirst().joined(separator: " ")): interrupted")
                return interruptedStatus
            }
            if reply.isError {
                let message = reply.text.hasPrefix("error: ") ? String(reply.text.dropFirst(7)) : reply.text
                StandardError.print("sagalab: error: --export \(words.dropFirst().joined(separator: " ")): \(message)")
                return 1
            }
            // The command line's own outputs, like a compiler's -o: replaced when they exist.
            switch reply.effect {
            case .save(let file, let contents), .replace(let file, let contents):
                if let error = Files.write(contents, to: file, replacing: true) {
                    StandardError.print("sagalab: error: \(error.message)")
                    return 1
                }
            case .quit, nil: break
            }
            print(reply.text)
        }
        return 0
    }
}
