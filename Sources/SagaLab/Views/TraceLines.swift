/// Trace entries as the log lines `step`, `run`, `log` and every command print. It needs
/// only the style, not the world, so printing what a command did copies nothing.
public struct TraceLines: Sendable {
    public var style: Style

    public init(style: Style) { self.style = style }

    /// One trace entry as a log line: `[00:30.042] inventory: reserved prod-1x2 for ord-1`.
    /// A line wider than the terminal (`style.width`) wraps at a space, its continuation
    /// lines indented past the stamp.
    public func line(_ entry: TraceEntry) -> String {
        let text = unwrapped(entry)
        // Bytes bound the columns from above: most lines are judged without measuring them.
        guard text.utf8.count > style.width, displayWidth(text) > style.width else { return text }
        let hanging = String(repeating: " ", count: VirtualTime.stamp(entry.time).count + 3)
        return TextWrap.wrap(text, width: style.width, hanging: hanging)
    }

    func unwrapped(_ entry: TraceEntry) -> String {
        let stamp = style.paint("[\(VirtualTime.stamp(entry.time))]", .dim)
        switch entry.kind {
        case .invariant:
            return "\(stamp) \(style.fail) \(style.paint(entry.text, .red))"
        case .crash:
            return "\(stamp) \(entry.lane ?? "lab"): \(style.paint(entry.text, .red, .bold))"
        default:
            let who = entry.lane ?? (entry.kind == .fault ? "bus" : "lab")
            let text: String
            switch entry.kind {
            case .deliver: text = style.paint("received " + entry.text, .cyan)
            case .skip: text = style.paint(entry.text, .yellow)
            case .compensate: text = style.paint(entry.text, .magenta)
            case .restart: text = style.paint(entry.text, .green)
            case .fault, .park, .redeliver: text = style.paint(entry.text, .yellow)
            case .deadLetter: text = style.paint(entry.text, .red)
            default: text = entry.text
            }
            return "\(stamp) \(who): \(text)"
        }
    }

    /// The entries, one line each.
    public func lines(_ entries: some Sequence<TraceEntry>) -> String {
        entries.map(line).joined(separator: "\n")
    }

    /// The same for `log`, which may be given millions of entries: asks `shouldStop` every
    /// `TraceLines.stride` entries and throws `Interrupted` (`interruption`) when told to.
    func lines(_ entries: some Sequence<TraceEntry>, until shouldStop: () -> Bool, interruption: Interrupted) throws -> String {
        var out = ""
        for (n, entry) in entries.enumerated() {
            if n % TraceLines.stride == 0, shouldStop() { throw interruption }
            if n > 0 { out += "\n" }
            out += line(entry)
        }
        return out
    }

    /// Entries drawn between two looks at `shouldStop` while a long `log` or `trace` is drawn.
    static let stride = 4096
}

extension Interrupted {
    /// `log` or `trace` stopped before its lines were whole: none are shown.
    static func drawing(_ command: String) -> Interrupted {
        Interrupted(steps: 0, text: "\(command) interrupted; nothing shown: narrow it to an order, services or a time")
    }
}
