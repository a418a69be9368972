/// The trace as a sequence diagram in the terminal: one lane per service, a row per
/// thing that happened, arrows for deliveries labelled with the event, and marks for
/// commits, publishes, crashes, redeliveries, duplicates and compensations.
public struct TraceDiagram: Sendable {
    public var world: World
    public var style: Style
    /// Terminal width: labels wrap under their row so the lanes stay intact.
    public var width: Int
    static let timeWidth = 10
    /// Columns per lane where the terminal has room for them and `labelRoom` beside.
    static let wideLane = 8
    /// Columns per lane on a narrower terminal: the names alternate between two header
    /// rows, so a name of nine letters still fits across two lanes.
    static let narrowLane = 5
    /// The narrowest the labels beside the lanes get.
    static let labelRoom = 24
    /// The services drawn, left to right (a filter may hide some).
    var lanes: [ServiceName] = ServiceName.allCases

    public init(_ world: World, style: Style, width: Int = 80) {
        self.world = world
        self.style = style
        self.width = width
    }

    public func render(order: String?) -> String { render(TraceFilter(order: order)) }

    /// The diagram of the entries `filter` lets through, with only its lanes.
    public func render(_ filter: TraceFilter) -> String {
        // Never stopped, so it never throws.
        (try? render(filter, until: { false })) ?? ""
    }

    /// The same, asking `shouldStop` every `TraceLines.stride` entries, and throwing
    /// `Interrupted` when told to: a long run's trace draws millions of rows.
    func render(_ filter: TraceFilter, until shouldStop: () -> Bool) throws -> String {
        var diagram = self
        diagram.lanes = filter.lanes
        return try diagram.draw(filter.entries(of: world.trace), empty: filter.nothing("traced", traceIsEmpty: world.trace.isEmpty),
                                until: shouldStop)
    }

    func draw(_ entries: [TraceEntry], empty: String, until shouldStop: () -> Bool) throws -> String {
        guard !entries.isEmpty else { return empty }
        // Room for the last lane's name, however narrow the lanes.
        let longestName = lanes.map(\.rawValue.count).max() ?? 0
        var top = Array(repeating: " ", count: TraceDiagram.timeWidth + lanes.count * laneWidth + longestName)
        var bottom = top
        for (i, character) in "time".enumerated() { bottom[i] = String(character) }
        for (index, service) in lanes.enumerated() {
            let at = TraceDiagram.timeWidth + column(service)
            for (i, character) in service.rawValue.enumerated() {
                if index % 2 == 0 { top[at + i] = String(character) } else { bottom[at + i] = String(character) }
            }
        }
        var out = [style.paint(trimTrailing(top.joined()), .bold), style.paint(trimTrailing(bottom.joined()), .bold)]
        for (n, entry) in entries.enumerated() {
            if n % TraceLines.stride == 0, shouldStop() { throw Interrupted.drawing("trace") }
            out += rows(entry)
        }
        return out.joined(separator: "\n")
    }

    /// Columns per lane: wide while the labels keep `labelRoom` beside the lanes, narrow
    /// below (at 60 columns five wide lanes would leave the labels 9).
    var laneWidth: Int {
        let wide = width - TraceDiagram.timeWidth - lanes.count * TraceDiagram.wideLane - 1 >= TraceDiagram.labelRoom
        return wide ? TraceDiagram.wideLane : TraceDiagram.narrowLane
    }

    func column(_ service: ServiceName) -> Int {
        (lanes.firstIndex(of: service) ?? 0) * laneWidth
    }

    func mark(_ kind: TraceEntry.Kind) -> String {
        switch kind {
        case .request: return style.glyph("▶", ">")
        case .commit: return style.glyph("●", "*")
        case .publish: return style.glyph("▲", "^")
        case .deliver: return style.glyph("▶", ">")
        case .skip: return style.glyph("○", "o")
        case .compensate: return style.glyph("↺", "~")
        case .crash: return style.glyph("✗", "X")
        case .restart: return style.glyph("↻", "R")
        case .park: return style.glyph("…", ".")
        case .redeliver: return style.glyph("↩", "r")
        case .deadLetter: return style.glyph("⊘", "D")
        case .fault: return style.glyph("≈", "=")
        case .invariant: return "!"
        case .note: return style.glyph("·", "-")
        }
    }

    func rows(_ entry: TraceEntry) -> [String] {
        let lanesWidth = lanes.count * laneWidth
        var cells = Array(repeating: " ", count: lanesWidth)
        let lane = style.glyph("│", "|")
        for service in lanes { cells[column(service)] = lane }
        let here = entry.service.flatMap { lanes.contains($0) ? column($0) : nil }
        let sender = entry.from.flatMap { lanes.contains($0) ? column($0) : nil }
        if entry.kind == .deliver, let to = here, let from = sender, from != to {
            let line = style.glyph("─", "-")
            let (low, high) = (min(from, to), max(from, to))
            for i in (low + 1)..<high { cells[i] = line }
            cells[to] = from < to ? style.glyph("▶", ">") : style.glyph("◀", "<")
        } else if let at = here {
            cells[at] = mark(entry.kind)
        } else {
            for service in lanes { cells[column(service)] = entry.kind == .invariant ? "!" : mark(entry.kind) }
        }
        // A publisher that is a process of its own shares its service's lane, so it names itself.
        let label = entry.byPublisher ? "\(entry.lane ?? "publisher"): \(entry.text)" : entry.text
        let tone: Style.Tone? = {
            switch entry.kind {
            case .crash, .invariant, .deadLetter: return .red
            case .deliver: return .cyan
            case .compensate: return .magenta
            case .skip, .fault, .park, .redeliver: return .yellow
            default: return nil
            }
        }()
        let drawn = cells.joined()
        var empty = Array(repeating: " ", count: lanesWidth)
        for service in lanes { empty[column(service)] = style.glyph("│", "|") }
        let room = max(TraceDiagram.labelRoom, width - TraceDiagram.timeWidth - lanesWidth - 1)
        let pieces = TextWrap.wrap(label, width: room).split(separator: "\n").map(String.init)
        var out: [String] = []
        for (index, piece) in pieces.enumerated() {
            let text = tone.map { style.paint(piece, $0) } ?? piece
            let head = index == 0 ? padRight(VirtualTime.stamp(entry.time), TraceDiagram.timeWidth) + drawn
                : String(repeating: " ", count: TraceDiagram.timeWidth) + empty.joined()
            out.append(head + " " + text)
        }
        return out
    }
}
