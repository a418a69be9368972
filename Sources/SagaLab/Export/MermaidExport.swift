/// `export mermaid`: the trace as a Mermaid `sequenceDiagram`, which GitHub renders in
/// Markdown and the handbook embeds.
///
/// One participant per service, in the lanes' order. Each message is an arrow from the
/// service that sent it to the one that received it, labelled as `trace` labels it
/// (`order.created evt-1`); a copy or a redelivery is dashed. Requests, crashes, restarts,
/// the bus's faults, skipped duplicates, compensations, dead letters and broken invariants
/// are notes; commits and the lab's own settings are left to `log`. A counterexample's
/// schedule is shaded. Labels are escaped as Mermaid wants: `#`, `;`, quotes and angle
/// brackets become entity codes (`#35;`, `#59;`...), so no label ends early.
public enum MermaidExport {
    /// The diagram's text and how many arrows and notes it holds. Stops as
    /// `Timeline.visit` does.
    public static func render(_ run: ExportedRun, order: OrderId? = nil, until shouldStop: (Int) -> Bool = { _ in false })
        throws -> (text: String, arrows: Int, notes: Int) {
        let all = ServiceName.allCases
        let everyone = "\(all[0].rawValue),\(all[all.count - 1].rawValue)"
        var lines = ["sequenceDiagram"]
        var about = order.map { "\($0) in " } ?? ""
        about += run.counterexample.map { "the counterexample explore found: " + escape($0.title) } ?? "the trace"
        lines.append("    %% SagaLab, seed \(run.world.seed): \(about)")
        for service in all { lines.append("    participant \(service.rawValue)") }
        var arrows = 0
        var notes = 0
        var shading = false
        try Timeline.visit(run.world, until: shouldStop) { item in
            let entry = item.entry
            if let order, entry.orderId != order,
               !TraceFilter.isRequest(at: item.index, creating: order, in: run.world.trace) { return }
            if let example = run.counterexample, !shading, item.index >= example.firstEntry {
                shading = true
                lines.append("    rect rgb(255, 236, 236)")
                lines.append("    Note over \(everyone): the schedule explore found")
                notes += 1
            }
            let indent = shading ? "        " : "    "
            if let arrow = item.arrow {
                let shaft = arrow.isRepeat ? "-->>" : "->>"
                lines.append(indent + "\(arrow.from.rawValue)\(shaft)\(arrow.to.rawValue): \(escape(item.text))")
                arrows += 1
            } else if let note = noteText(item) {
                let over = entry.service?.rawValue ?? everyone
                lines.append(indent + "Note over \(over): \(escape(note))")
                notes += 1
            }
        }
        if shading { lines.append("    end") }
        return (lines.joined(separator: "\n") + "\n", arrows, notes)
    }

    /// The words of a note, or nil for an entry the diagram leaves out.
    static func noteText(_ item: Timeline.Entry) -> String? {
        switch item.entry.kind {
        case .request, .crash, .restart, .fault, .skip, .compensate, .deadLetter:
            return item.text
        case .invariant:
            return "FAIL " + item.text
        case .note:
            switch item.entry.what {
            case .message(.neverPublished), .message(.sentNeverMarked): return item.text
            default: return nil
            }
        case .commit, .publish, .deliver, .park, .redeliver:
            return nil
        }
    }

    /// A label Mermaid reads as plain text: its entity codes for the characters that end a
    /// message (`#`, `;`), quotes and angle brackets; line breaks become spaces.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "#": out += "#35;"
            case ";": out += "#59;"
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}
