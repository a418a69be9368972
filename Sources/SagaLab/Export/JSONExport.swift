/// `export json`: the structured trace and the final state of every database, in the
/// documented, versioned schema `sagalab-trace/1` (chapter 14 is its reference), for
/// people who build their own tools on a run.
///
/// Keys come in a fixed order and every list in the world's own order, so the same seed
/// and the same commands always give the same bytes. Within version 1 keys may be added,
/// never renamed or given another meaning; a change that would break a reader gets a new
/// version.
public enum JSONExport {
    public static let schema = "sagalab-trace/1"

    /// The document as one value: the reference `text(_:until:)` is held to.
    static func document(_ run: ExportedRun) -> JSONValue {
        .object(header(run) + [("trace", .array(run.timeline.entries.map(entry))), ("databases", DatabaseState.json(run.world))])
    }

    /// The document's text, as `document(run).written()` writes it, built entry by entry
    /// instead of as one value: a long run's trace is millions of entries. Stops as
    /// `Timeline.visit` does.
    static func text(_ run: ExportedRun, until shouldStop: (Int) -> Bool,
                     reserving: (Int) -> Bool = { _ in true }) throws -> String {
        var out = "{\n"
        // Room for the whole text at once (an entry takes about 450 bytes): grown by
        // doubling, a text of a gigabyte would be copied again and again on the way. Only
        // as much as the host allows (`MemoryCeiling.allowsReserving`).
        let room = 4096 + run.world.trace.count * 512
        if reserving(room) { out.reserveCapacity(room) }
        for (key, value) in header(run) {
            member(key, value, into: &out)
            out += ",\n"
        }
        out += "  \"trace\": "
        let count = run.world.trace.count
        if count == 0 {
            out += "[]"
        } else {
            out += "[\n"
            try Timeline.visit(run.world, until: shouldStop) { item in
                out += "    "
                entry(item).write(to: &out, indent: "    ", forHTML: false)
                out += item.index + 1 < count ? ",\n" : "\n"
            }
            out += "  ]"
        }
        out += ",\n"
        member("databases", DatabaseState.json(run.world), into: &out)
        return out + "\n}\n"
    }

    /// One member of the document's outer object, as its writer indents it.
    private static func member(_ key: String, _ value: JSONValue, into out: inout String) {
        out += "  "
        JSONValue.quote(key, into: &out, forHTML: false)
        out += ": "
        value.write(to: &out, indent: "  ", forHTML: false)
    }

    /// Every member before the trace: the run's settings, what `explore` found, and the
    /// invariants at the end.
    private static func header(_ run: ExportedRun) -> [(String, JSONValue)] {
        let world = run.world
        var pairs: [(String, JSONValue)] = [
            ("schema", .string(schema)),
            ("source", .string(run.counterexample == nil ? "session" : "counterexample")),
            ("seed", .unsigned(world.seed)),
            ("now_ms", .int(world.now)),
            ("now", .string(VirtualTime.stamp(world.now))),
            ("mode", .string(world.mode.rawValue)),
            ("flow", .string(world.flow.rawValue)),
            ("rollback", .string(world.rollback.rawValue)),
            ("services", .array(ServiceName.allCases.map { .string($0.rawValue) })),
        ]
        if let example = run.counterexample {
            pairs.append(("counterexample", .object([
                ("invariant", .string(example.invariantId)), ("title", .string(example.title)),
                ("evidence", .string(example.evidence)), ("first_entry", .int(example.firstEntry)),
                ("schedule", .array(example.schedule.map(JSONValue.string))),
                ("settling", .array(example.settling.map(JSONValue.string))),
            ])))
        } else {
            pairs.append(("counterexample", .null))
        }
        pairs.append(("invariants", .array(Invariants.evaluate(world).map { result in
            let status: String
            switch result.status {
            case .holds: status = "holds"
            case .broken: status = "broken"
            case .waiting: status = "waiting"
            }
            return .object([("id", .string(result.id)), ("title", .string(result.title)), ("status", .string(status)),
                            ("evidence", .array(result.evidence.map(JSONValue.string)))])
        })))
        return pairs
    }

    /// One trace entry: flat, so that it is written on one line.
    static func entry(_ item: Timeline.Entry) -> JSONValue {
        let e = item.entry
        return .object([
            ("index", .int(item.index)),
            ("time_ms", .int(e.time)),
            ("time", .string(VirtualTime.stamp(e.time))),
            ("kind", .string(item.kindName)),
            ("happening", .string(item.happening)),
            ("service", .text(e.service?.rawValue)),
            ("from", .text(e.from?.rawValue)),
            ("order", .text(e.orderId.map { "\($0)" })),
            ("event", .text(e.eventId.map { "\($0)" })),
            ("event_type", .text(item.eventType)),
            ("arrow", .bool(item.arrow != nil)),
            ("sent_by", .number(item.arrow?.sentAt)),
            ("repeat", .bool(item.arrow?.isRepeat ?? false)),
            ("text", .string(item.text)),
        ])
    }
}
