/// The key to the trace's marks, for `help trace`: every mark the diagram draws, in the
/// terminal's Unicode form and the ASCII form of pipes and transcripts, with what it means.
///
/// A learner reads traces in both forms (the terminal's and a transcript's), so help names
/// both. Plain help stays ASCII: there each Unicode mark is named in words. The marks are
/// taken from `TraceDiagram` itself, so the key cannot drift from the drawing.
public enum TraceLegend {
    /// One row of the key: the mark in both forms, the Unicode one's name, and its meaning.
    struct Row {
        var unicode: String
        var ascii: String
        var name: String
        var meaning: String
    }

    /// Every kind of trace entry, in the order the key explains them.
    static let kinds: [TraceEntry.Kind] = [.commit, .publish, .request, .deliver, .skip, .compensate, .crash,
                                           .restart, .park, .redeliver, .deadLetter, .fault, .invariant, .note]

    static func meaning(_ kind: TraceEntry.Kind) -> (name: String, meaning: String) {
        switch kind {
        case .request: return ("arrowhead", "a request reached the orders API")
        case .commit: return ("filled circle", "a commit in that service's database")
        case .publish: return ("triangle", "a publish from its outbox onto the bus")
        case .deliver: return ("arrowhead", "a delivery whose sender's lane is not drawn")
        case .skip: return ("hollow circle", "a duplicate recognised and skipped")
        case .compensate: return ("open arrow", "a compensation committed")
        case .crash: return ("cross", "a crash")
        case .restart: return ("circle arrow", "a restart")
        case .park: return ("ellipsis", "a delivery waiting in a queue (its consumer down or cut off)")
        case .redeliver: return ("hook arrow", "a redelivery scheduled")
        case .deadLetter: return ("slashed circle", "a message dead-lettered")
        case .fault: return ("wavy equals", "a bus fault: a message duplicated, dropped or delayed, or a partition")
        case .invariant: return ("exclamation mark", "an invariant broken, on every lane")
        case .note: return ("middle dot", "a note: nothing changed (nothing to publish, not yet processed)")
        }
    }

    static var rows: [Row] {
        let rich = TraceDiagram(World(), style: .rich)
        let plain = TraceDiagram(World(), style: .plain)
        return kinds.map { kind in
            let (name, meaning) = meaning(kind)
            return Row(unicode: rich.mark(kind), ascii: plain.mark(kind), name: name, meaning: meaning)
        }
    }

    /// The key as help prints it, `width` columns wide: on a terminal each Unicode mark
    /// beside its ASCII form; in plain style the ASCII mark beside the Unicode one's name.
    public static func text(style: Style, width: Int = 80) -> String {
        var out: [String] = []
        let wrapped = { (text: String) in TextWrap.wrap(text, width: width, indent: "  ", hanging: "  ") }
        if style.unicode {
            out.append(wrapped("Marks: a terminal draws the first, pipes and transcripts the second."))
            for row in rows {
                out.append(TextWrap.wrap(row.meaning, width: width, indent: "    \(row.unicode)  \(padRight(row.ascii, 3))",
                                         hanging: String(repeating: " ", count: 10)))
            }
            out.append(wrapped("An arrow ───▶ (--->) is a delivery from the sender's lane to the receiver's; │ (|) is a lane. In `log`, `step` and `run` a broken invariant's line starts with \(style.fail) (FAIL in pipes and transcripts); `check` marks each invariant \(style.pass) or \(style.fail) (ok or FAIL)."))
        } else {
            out.append(wrapped("Marks, as pipes and transcripts print them; a terminal draws the symbol named."))
            let nameWidth = (rows.map(\.name.count).max() ?? 10) + 2
            for row in rows {
                out.append(TextWrap.wrap(row.meaning, width: width, indent: "    \(row.ascii)  \(padRight(row.name, nameWidth))",
                                         hanging: String(repeating: " ", count: 7 + nameWidth)))
            }
            out.append(wrapped("An arrow ---> (or <---) is a delivery from the sender's lane to the receiver's; | is a lane. In `log`, `step` and `run` a broken invariant's line starts with FAIL, where a terminal shows a red cross; `check` marks each invariant ok or FAIL, a terminal a green tick or a red cross."))
        }
        return out.joined(separator: "\n")
    }
}
