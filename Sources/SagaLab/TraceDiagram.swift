/// The trace as a sequence diagram in the terminal: one lane per service, a row per
/// thing that happened, arrows for deliveries labelled with the event, and marks for
/// commits, publishes, crashes, redeliveries, duplicates and compensations.
public struct TraceDiagram: Sendable {
    public var world: World
    public var style: Style
    static let laneWidth = 11
    static let timeWidth = 11

    public init(_ world: World, style: Style) {
        self.world = world
        self.style = style
    }

    public func render(order: String?) -> String {
        let entries = world.trace.filter { entry in
            guard let order else { return true }
            return entry.orderId == order || (entry.kind == .invariant && order.isEmpty)
        }
        guard !entries.isEmpty else { return order.map { "nothing traced for \($0)" } ?? "nothing has happened yet" }
        var header = padRight("time", TraceDiagram.timeWidth)
        for service in ServiceName.allCases { header += padRight(service.rawValue, TraceDiagram.laneWidth) }
        var out = [style.paint(trimTrailing(header), .bold)]
        for entry in entries { out.append(row(entry)) }
        return out.joined(separator: "\n")
    }

    func column(_ service: ServiceName) -> Int {
        (ServiceName.allCases.firstIndex(of: service) ?? 0) * TraceDiagram.laneWidth
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
        case .fault: return style.glyph("≈", "=")
        case .invariant: return "!"
        case .note: return style.glyph("·", "-")
        }
    }

    func row(_ entry: TraceEntry) -> String {
        let width = ServiceName.allCases.count * TraceDiagram.laneWidth
        var cells = Array(repeating: " ", count: width)
        let lane = style.glyph("│", "|")
        for service in ServiceName.allCases { cells[column(service)] = lane }
        let here = entry.service.map(column)
        if entry.kind == .deliver, let to = here, let from = entry.from.map(column), from != to {
            let line = style.glyph("─", "-")
            let (low, high) = (min(from, to), max(from, to))
            for i in (low + 1)..<high { cells[i] = line }
            cells[to] = from < to ? style.glyph("▶", ">") : style.glyph("◀", "<")
        } else if let at = here {
            cells[at] = mark(entry.kind)
        } else {
            for service in ServiceName.allCases { cells[column(service)] = entry.kind == .invariant ? "!" : mark(entry.kind) }
        }
        var label = entry.text
        if entry.kind == .deliver, let from = entry.from {
            let event = label.hasPrefix("received ") ? String(label.dropFirst("received ".count)) : label
            label = "\(from.rawValue) -> \(entry.service?.rawValue ?? ""): " + event
        }
        let tone: Style.Tone? = {
            switch entry.kind {
            case .crash, .invariant: return .red
            case .deliver: return .cyan
            case .compensate: return .magenta
            case .skip, .fault, .park, .redeliver: return .yellow
            default: return nil
            }
        }()
        let lanes = cells.joined()
        let text = tone.map { style.paint(label, $0) } ?? label
        return padRight(VirtualTime.stamp(entry.time), TraceDiagram.timeWidth) + lanes + " " + text
    }
}
