import ArgumentParser
import Glibc
import Lessons
import SagaBridge
import SagaLab

/// The `sagalab` executable: the REPL by default, `run` for scripts and lessons,
/// `check` for transcripts. This target is the only place that touches the terminal,
/// files and the process's exit status.
@main
struct SagaLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sagalab",
        abstract: "A workbench for learning how distributed transactions behave, and for breaking them.",
        discussion: """
            With no subcommand, opens the interactive lab (`help` inside lists the commands). \
            Commands can also be piped in (`printf 'order a prod-1\\nrun\\n' | sagalab`): each is \
            echoed after the prompt, a rejected one does not stop the rest, and the exit status \
            is 1 if any was rejected, 0 otherwise; on a terminal the lab always exits 0.

            Environment: SAGALAB_HISTORY (history file, default ~/.sagalab_history), \
            SAGALAB_PROGRESS (lesson progress, default ~/.sagalab/progress), NO_COLOR, PAGER.
            """,
        version: SagaLabVersion.text,
        subcommands: [Repl.self, RunCommand.self, CheckCommand.self, BridgeCommand.self, WorkerCommand.self],
        defaultSubcommand: Repl.self
    )

    /// `sagalab` alone, the way most sessions start, opens the lab without the argument
    /// parser, and `sagalab run FILE` plays it so too: parsing reflects over every option of
    /// every subcommand, which took a third of the time to the first prompt (3 ms). Anything
    /// else on the command line goes through the parser.
    static func main() {
        let arguments = CommandLine.arguments
        if arguments.count == 1 { Glibc.exit(InteractiveSession(seed: WorldOptions.defaultSeed).loop()) }
        if arguments.count == 3, arguments[1] == "run", !arguments[2].hasPrefix("-") {
            Glibc.exit(RunCommand.play(arguments[2], seed: WorldOptions.defaultSeed, exports: []))
        }
        main(nil)
    }
}

enum SagaLabVersion {
    static let text = "sagalab 0.1.0"
}

/// Options every subcommand shares.
struct WorldOptions: ParsableArguments {
    // Abstracts stay short: after a usage error the parser prints one on a line of its own.
    @Option(name: .long, help: ArgumentHelp("Seed for the world's generator.",
                                            discussion: "The same seed and the same commands give the same output."))
    var seed: UInt64 = WorldOptions.defaultSeed

    static let defaultSeed: UInt64 = 1
}

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "repl", abstract: "Open the interactive lab (the default).")

    @OptionGroup var options: WorldOptions

    func run() throws {
        let status = InteractiveSession(seed: options.seed).loop()
        if status != 0 { throw ExitCode(status) }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Play a script (one command a line), a lesson (`lesson-3`) or a lesson file (`my-lesson.md`) as a transcript.",
        // Written out so that it wraps within 80 columns; the parser's own is one long line.
        usage: """
            sagalab run [--seed <seed>] <target>
                          [--export <FORMAT FILE> ...] [--bridge]
            """,
        discussion: "Stops at the first rejected command with FILE:LINE: error: ... and exit status 1; Ctrl-C stops the running command after its last whole step and the script with exit status 130, as does a world that outgrows the memory the machine can safely give it."
    )

    @OptionGroup var options: WorldOptions

    @Argument(help: "A script file, lesson-N, or a lesson file ending in .md.")
    var target: String

    @Option(name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("After the script, write the run as `export` does.",
                               discussion: "mermaid FILE [ORDER], json FILE or html FILE, each optionally followed by `counterexample`. Repeat for more. A file already there is replaced.",
                               valueName: "FORMAT FILE"))
    var export: [String] = []

    @Flag(name: .long, help: ArgumentHelp("Play the script on a real PostgreSQL.",
                                          discussion: "As `sagalab bridge` does, instead of the simulation."))
    var bridge = false

    func validate() throws {
        if bridge && !export.isEmpty { throw ValidationError("--export draws a simulated run; the bridge cannot export yet") }
        if bridge && target.lowercased().hasPrefix("lesson-") { throw ValidationError("--bridge plays a script file, not a lesson") }
        for words in try ScriptRunner.exportCommands(export) {
            if case .error(let message) = CommandParser.parse(words: words) {
                throw ValidationError("--export \(words.dropFirst().joined(separator: " ")): \(message)")
            }
        }
    }

    func run() throws {
        if bridge {
            let status = BridgeSession.play(target)
            if status != 0 { throw ExitCode(status) }
            return
        }
        let status = RunCommand.play(target, seed: options.seed, exports: try ScriptRunner.exportCommands(export))
        if status != 0 { throw ExitCode(status) }
    }

    /// Plays a script, a lesson or a lesson file in the simulation; the exit status.
    static func play(_ target: String, seed: UInt64, exports: [[String]]) -> Int32 {
        if target.lowercased().hasPrefix("lesson-") {
            return ScriptRunner.playLesson(target, seed: seed, exports: exports)
        } else if target.lowercased().hasSuffix(".md") {
            return ScriptRunner.playLessonFile(target, seed: seed, exports: exports)
        }
        return ScriptRunner.playFile(target, seed: seed, exports: exports)
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Replay transcripts and compare; print a unified diff for each mismatch.",
        discussion: "A transcript is a session: lines starting with `lab> ` are input, the lines after are expected output. Markdown files are checked through their ```sagalab blocks; a lesson file (first line `# Lesson: ...`) is played instead: its steps, every solution (must solve the exercise) and every wrong answer (must be refused), each problem reported as FILE:LINE. Any other file with no `lab> ` line fails: it would check nothing."
    )

    @Flag(name: .long, help: "Rewrite each transcript with the output it produces now.")
    var update = false

    @Argument(help: "Transcripts (.txt), handbook chapters or lessons (.md).")
    var files: [String]

    func run() throws {
        if !TranscriptChecker.check(files, update: update) { throw ExitCode(1) }
    }
}
