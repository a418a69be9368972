/// `show event-store` and what `rebuild` prints: the stored events, newest last, and a
/// projection rebuilt from them.
extension Views {
    /// The most rows `show event-store` prints; the earlier ones are counted in one line.
    public static let eventStoreRows = 30

    /// The store's rows (all, or one order's, one service's or one type's), oldest first,
    /// the last `eventStoreRows` of them, then how many rows and which events appear twice.
    public func eventStore(_ filter: EventStore.Filter?) throws -> String {
        if case .order(let id) = filter, world.orders.order(id) == nil {
            let ids = world.orders.orders.map(\.id.description)
            throw WorldError("no order \(quoted(id.description))\(Suggest.hint(id.description, in: ids))")
        }
        let rows = world.storedEventsSummary(filter, last: Views.eventStoreRows)
        guard rows.count > 0 else { return emptyStore(filter) }
        let shown = rows.last
        var out: [String] = []
        if shown.count < rows.count {
            let earlier = rows.count - shown.count
            out.append("\(style.glyph("…", "...")) \(earlier) earlier row\(earlier == 1 ? "" : "s") "
                + "(`show event-store ORDER|SERVICE|TYPE` narrows it)")
        }
        out.append(Table(["#", "time", "order", "service", "type", "event", "version"], self.rows(of: shown) { row in
            ["\(row.sequence)", VirtualTime.stamp(row.time), "\(row.event.orderId)", row.service.rawValue,
             row.event.type.rawValue, "\(row.event.id)", row.version == 0 ? "-" : "\(row.version)"]
        }).render(style, until: shouldStop))
        var summary = rows.count == 1 ? "1 row" : "\(rows.count) rows"
        let repeated = rows.repeated
        if !repeated.isEmpty {
            summary += "; stored more than once: " + repeated.map { "\($0.id) (\($0.rows) rows)" }.joined(separator: ", ")
        }
        out.append(TextWrap.wrap(summary, width: style.proseWidth, hanging: "  "))
        return out.joined(separator: "\n")
    }

    /// Why a query found nothing, and where the events it might expect are instead.
    func emptyStore(_ filter: EventStore.Filter?) -> String {
        switch filter {
        case nil:
            return "the event store is empty: no event has reached the bus yet"
        case .order(let id):
            var text = "no stored event for \(id)"
            for service in ServiceName.publishers {
                if let row = world.node(service).outbox.unpublished.first(where: { $0.event.orderId == id }) {
                    text += "; \(row.event.type.rawValue) \(row.event.id) waits unpublished in the \(service.rawValue) outbox"
                    break
                }
            }
            return TextWrap.wrap(text, width: style.proseWidth, hanging: "  ")
        case .service(let service):
            guard service.emitsEvents else { return "\(service.rawValue) emits no events, so the store holds none of its own" }
            return "no stored event from \(service.rawValue) yet"
        case .type(let type):
            return "no stored \(type.rawValue) event yet"
        }
    }

    /// What `rebuild` prints: the trace lines it produced, each rebuild followed by what
    /// differs and why, wrapped to 80 columns.
    func rebuilt(_ entries: some Sequence<TraceEntry>) -> String {
        var out: [String] = []
        for entry in entries {
            out.append(line(entry))
            guard case .lab(.rebuilt(let rebuild)) = entry.what else { continue }
            if !rebuild.changes.isEmpty {
                out.append("  had -> rebuilt:")
                out += rebuild.changes.map { "    " + $0 }
            }
            out += rebuild.notes.map { TextWrap.wrap($0, width: style.proseWidth, indent: "  ", hanging: "    ") }
        }
        return out.joined(separator: "\n")
    }
}
