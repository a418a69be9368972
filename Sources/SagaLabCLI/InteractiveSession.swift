import Lessons
import SagaLab

/// The read-eval-print loop: libedit on a terminal, plain line reading otherwise.
///
/// Piped input is echoed after the prompt, so `sagalab < script` prints a transcript; on a
/// terminal the learner's own typing is the echo. Nothing typed can stop the loop but
/// `quit`, `exit`, Ctrl-D or the end of input: Ctrl-C abandons the line being typed, or
/// stops the running command after its last whole step (`Interrupts`).
struct InteractiveSession {
    let seed: UInt64

    func loop() {
        let interactive = Terminal.isInteractive
        let style = interactive && Files.environment("NO_COLOR") == nil ? Style.rich : Style.plain
        let progress = LessonProgress(parsing: (try? Files.read(Files.progressPath).get()) ?? "")
        var bench = Workbench(seed: seed, style: style, width: interactive ? Terminal.width : 80, progress: progress)
        bench.readFile = Files.lessonReader
        let prompt = style.paint("lab>", .bold, .cyan) + " "
        let box = BenchBox(bench)
        let editor = LineEditor(programName: "sagalab", historyPath: Files.historyPath) { line in
            box.bench.completions(line)
        }
        if interactive {
            print("SagaLab: a workbench for distributed transactions (seed \(seed)).")
            print("`help` lists the commands, `lessons` starts learning, TAB completes.")
            print("Ctrl-C stops a long command or abandons a line; Ctrl-D leaves.")
        }
        Interrupts.install()
        while true {
            let line: String
            Interrupts.reset()
            if let editor {
                switch editor.readLine(prompt: prompt) {
                case .line(let text): line = text
                case .interrupted: continue
                case .endOfInput:
                    // A SIGINT sent from elsewhere ends libedit's read early: not the end.
                    if Interrupts.requested { continue }
                    return
                }
                if !line.allSatisfy(\.isWhitespace) { editor.addHistory(line) }
            } else {
                if Terminal.stdinIsTTY { print(Transcript.prompt, terminator: "") }
                guard let text = readLine(strippingNewline: true) else { return }
                line = text
                if !Terminal.stdinIsTTY { print(Transcript.prompt + line) }
            }
            if interactive { bench.width = Terminal.width }
            let reply = bench.executeWatched(line, style: style)
            box.bench = bench
            // Files first (`save`, `export`): a file that cannot be written gives its one
            // error line instead of the line saying it was written.
            if let error = write(reply.effects) {
                print(TextWrap.fit("error: \(error.message)", width: bench.width))
            } else if reply.isReading && interactive {
                Pager.show(reply.text + "\n")
            } else if !reply.text.isEmpty {
                print(reply.text)
            }
            if perform(reply.effects) { return }
        }
    }

    /// Writes the files the reply asks for; the first failure, if any.
    func write(_ effects: [WorkbenchEffect]) -> FileError? {
        for effect in effects {
            if case .save(let path, let contents) = effect, let error = Files.write(contents, to: path) { return error }
        }
        return nil
    }

    /// Carries out the reply's other effects; true when the session should end.
    func perform(_ effects: [WorkbenchEffect]) -> Bool {
        var quit = false
        for effect in effects {
            switch effect {
            case .quit: quit = true
            case .save: break
            case .progress(let text):
                _ = Files.write(text, to: Files.progressPath)
            }
        }
        return quit
    }
}

/// Lets the completion callback read the current workbench without capturing a `var`.
final class BenchBox: @unchecked Sendable {
    var bench: Workbench
    init(_ bench: Workbench) { self.bench = bench }
}
