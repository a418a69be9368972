import SagaLab

/// `chapter N run`: a chapter's example sessions played in the learner's own lab.
///
/// Reading a session and typing it again are far apart; this plays the commands of the
/// chapter's ```sagalab blocks, in order, through the workbench, each echoed after a
/// `chapter N>` prompt with its output (not `lab> `, which would make a transcript of the
/// session read them as typed lines), so that the learner's lab then holds the chapter's
/// world and can go on from there (or `undo` it). The chapter's text was written from a
/// fresh lab with seed 1; in another lab the same commands may answer differently, which
/// is said at the top. Files the commands would write (`save`, `export`) are not written.
extension Workbench {
    /// The commands of `chapter`'s example sessions, in order.
    public static func exampleCommands(_ chapter: Chapter) -> [String] {
        TranscriptSuite.blocks(in: chapter.markdown).flatMap { Transcript(parsing: $0.body).entries.map(\.input) }
    }

    /// The prompt the played commands are echoed after: `chapter 4> `.
    public static func examplePrompt(_ chapter: Chapter) -> String { "chapter \(chapter.number)> " }

    mutating func playChapter(_ which: String, watch: CommandWatch) -> WorkbenchReply {
        guard let number = Int(which), let chapter = Handbook.chapters.first(where: { $0.number == number }) else {
            let numbers = Handbook.chapters.map { "\($0.number)" }.joined(separator: ", ")
            return WorkbenchReply("error: `chapter N run` takes a chapter's number (\(numbers)), not \(quoted(which.count > 30 ? String(which.prefix(27)) + "..." : which))", isError: true)
        }
        let commands = Workbench.exampleCommands(chapter)
        guard !commands.isEmpty else {
            return WorkbenchReply("Chapter \(chapter.number) has no example session to run; `chapter \(chapter.number)` reads it.")
        }
        var out = [TextWrap.wrap("Playing the \(commands.count) commands of chapter \(chapter.number)'s examples in this lab. The chapter starts from a fresh lab (seed 1): `reset` first to see its output. No file is written.", width: readingWidth)]
        var rejected = 0
        for (index, command) in commands.enumerated() {
            out.append(Workbench.examplePrompt(chapter) + command)
            if case .command(.chapterRun) = CommandParser.parse(command) { continue }
            let reply = unfitted(command, watch: watch)
            if !reply.text.isEmpty { out.append(reply.text) }
            if reply.isError { rejected += 1 }
            if reply.isInterrupted {
                out.append("Stopped at command \(index + 1) of \(commands.count); the lab keeps what ran.")
                return WorkbenchReply(out.joined(separator: "\n"), isInterrupted: true, isReading: true)
            }
        }
        var end = "Played chapter \(chapter.number)'s \(commands.count) commands"
        end += rejected == 0 ? "." : "; \(rejected) of them were rejected in this lab."
        out.append(style.paint(end, .dim))
        return WorkbenchReply(out.joined(separator: "\n"), isReading: true)
    }
}
