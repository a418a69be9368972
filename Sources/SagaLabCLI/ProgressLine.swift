import CEditLine
import SagaLab

/// The line a long command redraws on the terminal while it runs: steps, virtual time,
/// orders settled and what keeps the world busy (`CommandProgress.line`). It appears
/// only after the command has taken `delay`, is redrawn at most every `interval`, and is
/// erased before the command's output is printed, so nothing of it stays on the screen
/// or reaches a pipe: the host creates one only when standard output is a terminal.
///
/// Composing the line reads the whole world (every order, every waiting delivery): with a
/// million orders in flight that takes a tenth of a second or more, as long as `interval`.
/// So the pause before the next line is `shareOfTime` times what the last one took, when
/// that is longer: the line never costs the command more than a twentieth of its time.
final class ProgressLine {
    static let delay: Duration = .seconds(1)
    static let interval: Duration = .milliseconds(100)
    /// The time a command runs between two lines, at least, for each unit of time one line takes.
    static let shareOfTime = 20

    private let style: Style
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant?
    /// How long to wait after `lastDraw` before the next line.
    private var pause = ProgressLine.interval
    private var drawnWidth = 0

    init(style: Style) {
        self.style = style
        start = clock.now
    }

    /// Called by the command every few hundred steps; draws when it is time to.
    func update(_ progress: CommandProgress) {
        let now = clock.now
        guard start.duration(to: now) >= ProgressLine.delay else { return }
        if let lastDraw, lastDraw.duration(to: now) < pause { return }
        let text = progress.line(width: max(20, Terminal.width - 1))
        let blanks = String(repeating: " ", count: max(0, drawnWidth - text.count))
        sagalab_write_stdout("\r" + style.paint(text, .dim) + blanks + "\r")
        drawnWidth = text.count
        let drawn = clock.now
        pause = max(ProgressLine.interval, now.duration(to: drawn) * ProgressLine.shareOfTime)
        lastDraw = drawn
    }

    /// Erases the line, and the `^C` the terminal echoed when the command was interrupted.
    func finish(interrupted: Bool) {
        let width = interrupted ? max(20, Terminal.width - 1) : drawnWidth
        guard width > 0 else { return }
        sagalab_write_stdout("\r" + String(repeating: " ", count: width) + "\r")
        drawnWidth = 0
    }
}
