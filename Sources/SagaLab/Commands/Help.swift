/// The text of `help` and `help COMMAND`, built from the `CommandCatalog`.
public enum Help {
    public static func text(_ topic: String?, style: Style) -> String {
        guard let topic, let info = CommandCatalog.info(topic) else { return overview(style) }
        func wrapped(_ text: String) -> String { TextWrap.wrap(text, width: style.proseWidth, indent: "  ", hanging: "    ") }
        var out = [style.paint(TextWrap.wrap("usage: \(info.usage)", width: style.proseWidth, hanging: "         "), .bold), wrapped(info.summary)]
        if !info.details.isEmpty {
            out.append("")
            out += info.details.map(wrapped)
        }
        if info.name == "crash" {
            out.append("")
            out.append(wrapped("services: \(ServiceName.allCases.map(\.rawValue).joined(separator: ", "))"))
            out.append(wrapped("publishers (own-process): \(ServiceName.publishers.map(\.publisherName).joined(separator: ", "))"))
        }
        if info.name == "trace" {
            out.append("")
            out.append(TraceLegend.text(style: style))
        }
        if info.name == "check" || info.name == "log" {
            out.append("")
            out.append(wrapped(style.unicode
                ? "A broken invariant is marked \(style.fail) (FAIL in pipes and transcripts), one that held \(style.pass) (ok)."
                : "A broken invariant is marked FAIL (a red cross on a terminal), one that held ok (a green tick)."))
        }
        if ["subscribe", "unsubscribe", "duplicate", "drop", "delay", "inject"].contains(info.name) {
            out.append("")
            out.append(wrapped("event types: \(EventType.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        out.append("")
        out.append("  example: \(info.example)")
        return out.joined(separator: "\n")
    }

    static func overview(_ style: Style) -> String {
        var out: [String] = []
        let width = (CommandCatalog.all.map { $0.name.count }.max() ?? 10) + 2
        for group in CommandCatalog.groups {
            out.append(style.paint(group, .bold))
            for info in CommandCatalog.all where info.group == group && info.name != "exit" {
                out.append("  " + padRight(info.name, width) + info.summary)
            }
            out.append("")
        }
        out.append("`help COMMAND` explains one command; TAB completes names, ids and arguments.")
        return out.joined(separator: "\n")
    }
}
