import Lessons
import SagaLab

/// The read-eval-print loop: libedit on a terminal, plain line reading otherwise.
///
/// Piped input is echoed after the prompt, so `sagalab < script` prints a transcript; on a
/// terminal the learner's own typing is the echo. An empty line that runs a lesson step's
/// suggested command is echoed as that command, and kept in the history as if typed. Nothing typed can stop the loop but
/// `quit`, `exit`, Ctrl-D or the end of input: Ctrl-C abandons the line being typed, or
/// stops the running command after its last whole step (`Interrupts`). Reading piped
/// input, the loop goes on past a rejected line, as a terminal does, and reports it in its
/// exit status: 1 when any line was rejected, so a shell script notices.
struct InteractiveSession {
    let seed: UInt64

    /// Runs the loop to its end; the exit status (0, or 1 when piped input had a line rejected).
    func loop() -> Int32 {
        var rejected = false
        runLoop(rejected: &rejected)
        return rejected && !Terminal.stdinIsTTY ? 1 : 0
    }

    func runLoop(rejected: inout Bool) {
        let interactive = Terminal.isInteractive
        let style = interactive && Files.environment("NO_COLOR") == nil ? Style.rich : Style.plain
        let progress = LessonProgress(parsing: (try? Files.read(Files.progressPath).get()) ?? "")
        var bench = Workbench(seed: seed, style: style, width: interactive ? Terminal.width : 80, progress: progress)
        bench.readFile = Files.lessonReader
        let prompt = style.paint("lab>", .bold, .cyan) + " "
        let box = BenchBox(bench)
        let editor = LineEditor(programName: "sagalab", historyPath: Files.historyPath,
                                completer: { line in box.bench.completions(line) },
                                notes: { line in box.bench.completionNotes(line) })
        if interactive {
            let welcome = ["SagaLab: a workbench for distributed transactions (seed \(seed)).",
                           "`help` lists the commands, `lessons` starts learning, TAB completes.",
                           "Ctrl-C stops a long command or abandons a line; Ctrl-D leaves."]
            print(TextWrap.fit(welcome.joined(separator: "\n"), width: Terminal.width))
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
                if !line.allSatisfy(\.isWhitespace) {
                    editor.addHistory(line)
                } else if let command = bench.enterCommand {
                    // Enter ran the lesson's suggested command: show it on the prompt's line,
                    // as if typed, and let Up find it.
                    print("\u{1B}[1A\r" + prompt + command + "\u{1B}[K")
                    editor.addHistory(command)
                }
            } else {
                if Terminal.stdinIsTTY { print(Transcript.prompt, terminator: "") }
                guard let text = readLine(strippingNewline: true) else { return }
                line = text
                let echoed = line.allSatisfy(\.isWhitespace) ? bench.enterCommand : nil
                if !Terminal.stdinIsTTY {
                    print(Transcript.echo(echoed ?? line))
                } else if let echoed {
                    print(Transcript.echo(echoed))
                }
            }
            if interactive { bench.width = Terminal.width }
            let reply = bench.executeWatched(line, style: style)
            box.bench = bench
            // Files first (`save`, `export`): a file that cannot be written gives its one
            // error line instead of the line saying it was written.
            if reply.isError { rejected = true }
            if let error = write(reply.effects) {
                rejected = true
                print(TextWrap.fit("error: \(error.message)", width: bench.width))
            } else if reply.isReading && interactive {
                Pager.show(reply.text + "\n")
            } else if !reply.text.isEmpty {
                if reply.isInterrupted { Interrupts.reset() }
                if interactive { StoppableOutput.print(reply.text) } else { print(reply.text) }
            }
            if perform(reply.effects) { return }
        }
    }

    /// Writes the files the reply asks for; the first failure, if any.
    func write(_ effects: [WorkbenchEffect]) -> FileError? {
        for effect in effects {
            switch effect {
            case .save(let path, let contents):
                if let error = Files.write(contents, to: path, replacing: false) { return error }
            case .replace(let path, let contents):
                if let error = Files.write(contents, to: path, replacing: true) { return error }
            case .quit, .progress: break
            }
        }
        return nil
    }

    /// Carries out the reply's other effects; true when the session should end.
    func perform(_ effects: [WorkbenchEffect]) -> Bool {
        var quit = false
        for effect in effects {
            switch effect {
            case .quit: quit = true
            case .save, .replace: break
            case .progress(let text):
                _ = Files.write(text, to: Files.progressPath, replacing: true, creatingDirectories: true)
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
