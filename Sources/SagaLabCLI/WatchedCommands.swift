import Lessons
import SagaLab

extension Workbench {
    /// Runs one line the way the terminal program does: Ctrl-C stops a long command
    /// between two steps, and on a terminal a progress line shows while it runs and
    /// `explore` tells its states per second. `explore` stops before it holds more memory
    /// than the machine can give it (`MemoryUse`), and `export` says a file cannot be
    /// written before it makes it.
    mutating func executeWatched(_ line: String, style: Style) -> WorkbenchReply {
        Interrupts.reset()
        let progress = Terminal.stdoutIsTTY ? ProgressLine(style: style) : nil
        let clock = ContinuousClock()
        let origin = clock.now
        let seconds: (() -> Double)? = Terminal.stdoutIsTTY ? {
            let elapsed = clock.now - origin
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        } : nil
        let watch = CommandWatch(shouldStop: { Interrupts.requested }, progress: progress.map { line in { line.update($0) } },
                                 clock: seconds, memory: MemoryUse.ceiling(),
                                 cannotWrite: { Files.problem(writing: $0, replacing: $1)?.message })
        let reply = execute(line, watch: watch)
        progress?.finish(interrupted: reply.isInterrupted)
        return reply
    }
}
