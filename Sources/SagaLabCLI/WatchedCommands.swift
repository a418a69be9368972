import Lessons
import SagaLab

extension Workbench {
    /// Runs one line the way the terminal program does: Ctrl-C stops a long command
    /// between two steps, and on a terminal a progress line shows while it runs.
    mutating func executeWatched(_ line: String, style: Style) -> WorkbenchReply {
        Interrupts.reset()
        let progress = Terminal.stdoutIsTTY ? ProgressLine(style: style) : nil
        let watch = CommandWatch(shouldStop: { Interrupts.requested }, progress: { progress?.update($0) })
        let reply = execute(line, watch: watch)
        progress?.finish(interrupted: reply.isInterrupted)
        return reply
    }
}
