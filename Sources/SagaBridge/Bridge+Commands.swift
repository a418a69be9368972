import SagaKernel
import SagaLab

/// The lab's commands on real infrastructure. The same parser reads the line; looking
/// commands (`show`, `trace`, `log`, `check`) read every database into a world and run
/// the simulation's own views on it; commands that act do it for real (a request to the
/// orders process, SIGKILL, a REVOKE, rows in the queue tables); commands that need a
/// simulation (virtual time, choosing the schedule, time travel) say so in one line.
extension Bridge {
    /// What a line did: its text, and whether the learner asked to leave.
    public struct Answer: Sendable {
        public var text: String
        public var quit = false
        /// Whether the line was refused: a script stops there, naming the line.
        public var isError = false
    }

    public func execute(_ line: String, shouldStop: @escaping () -> Bool = { false }) -> Answer {
        switch CommandParser.parse(line) {
        case .empty: return Answer(text: "")
        case .error(let message): return Answer(text: fit("error: \(message)"), isError: true)
        case .command(let command):
            supervisor.reap()
            do {
                if command == .quit { return Answer(text: "", quit: true) }
                let name = line.split(separator: " ").first.map { $0.lowercased() } ?? ""
                var text = try apply(command, named: name, shouldStop: shouldStop)
                while text.hasSuffix("\n") { text.removeLast() }
                return Answer(text: text)
            } catch let error as BridgeRefusal {
                return Answer(text: fit(error.message), isError: true)
            } catch {
                return Answer(text: fit("error: \(error)"), isError: true)
            }
        }
    }

    func apply(_ command: Command, named name: String, shouldStop: @escaping () -> Bool) throws -> String {
        switch command {
        case .help: return BridgeHelp.text(width: width)
        case .order(let customer, let items, let key):
            if key != nil { throw BridgeRefusal("error: the bridge's orders API takes no idempotency key; the simulation has them") }
            return try order(customer, items)
        case .run(let quiet): return try run(quiet: quiet, shouldStop: shouldStop)
        case .show, .trace, .log: return try newLines() + (try look(command))
        case .check:
            let judged = try look(command)
            return try newLines() + "judged on every database's rows at \(VirtualTime.stamp(clock.now)) (wall time)\n" + judged
        case .crash(let service, nil): return try crash(service)
        case .crash(let service, let point?): return try arm(service.rawValue, point, allowed: point.services.contains(service))
        case .crashPublisher(let service, nil):
            supervisor.killPublisher(service)
            record(.fault(.publisherCrashed), service: service, byPublisher: true)
            return try newLines()
        case .crashPublisher(let service, let point?): return try arm(service.publisherName, point, allowed: point == .afterPublish)
        case .restart(let service): return try restart(service)
        case .restartPublisher(let service):
            guard !supervisor.publisherIsUp(service) else { throw BridgeRefusal("error: \(service.publisherName) is running") }
            try supervisor.startPublisher(service)
            let rows = try count("SELECT count(*) AS n FROM \(service.rawValue).outbox WHERE NOT published")
            record(.fault(.publisherRestarted(unpublishedRows: rows)), service: service, byPublisher: true)
            return try newLines()
        case .message(.delay, _): throw BridgeRefusal(BridgeHelp.refusal(command, named: name))
        case .message(let kind, let selector): return try messageFault(kind, selector)
        case .partition(let service): return try partition(service)
        case .heal: return try heal()
        case .concurrency(let service, let n):
            try supervisor.setConcurrency(service, n)
            record(.lab(.concurrency(service, n)))
            return try newLines()
        case .idempotency(let mode, let service): return try idempotency(mode, service.map { [$0] } ?? ServiceName.allCases)
        case .slow(let service, let extra):
            try LabSettings.write(db, "slow.\(service.rawValue)", extra == 0 ? nil : String(extra))
            let works = extra == 0 ? "no longer pauses" : "works \(VirtualTime.duration(extra)) between its check and its effect"
            record(.recorded(.note, text: "\(service.possessive) handler \(works)"))
            return try newLines()
        case .stock(let product, let quantity): return try stock(product, quantity)
        case .fail(.payment, .next):
            try LabSettings.write(db, "fail.payment", "next")
            record(.lab(.failures(.payment, .next)))
            return try newLines()
        case .reset: return try reset()
        default: throw BridgeRefusal(BridgeHelp.refusal(command, named: name))
        }
    }

    /// The trace lines recorded since the learner last saw the trace.
    func newLines() throws -> String {
        let settled = try db.execute("""
            SELECT coalesce(max(id), 0) AS n FROM lab.trace
            WHERE at < clock_timestamp() - make_interval(secs => \(TraceCursor.settledAfterSeconds))
            """).int(0, "n") ?? 0
        cursor.settle(upTo: settled)
        let rows = try TraceReader(db: db).rows(after: cursor.watermark).filter { cursor.isNew($0.id) }
        guard !rows.isEmpty else { return "" }
        for row in rows { cursor.saw(row.id) }
        var lineStyle = style
        lineStyle.width = width
        return TraceLines(style: lineStyle).lines(rows.map(\.entry)) + "\n"
    }

    /// The shop read from PostgreSQL, as a world.
    func world() throws -> World {
        World(stored: try RowReader(db: db, clock: clock).read(processes: supervisor))
    }

    func look(_ command: Command) throws -> String {
        var session = Session(looking: try world(), style: style, width: width)
        let reply = session.execute(command, line: "")
        if reply.isError { throw BridgeRefusal(reply.text) }
        return reply.text
    }

    func record(_ what: Happening, service: ServiceName? = nil, byPublisher: Bool = false, order: Int32? = nil, event: Int32? = nil) {
        TraceRecorder(db: db, service: service, byPublisher: byPublisher).record(what, order: order, event: event)
    }

    func count(_ sql: String, _ parameters: [String?] = []) throws -> Int {
        try db.execute(sql, parameters).int(0, "n") ?? 0
    }

    func fit(_ text: String) -> String { TextWrap.fit(text, width: width) }
}

/// A command the bridge turns down, with the one line that says why.
struct BridgeRefusal: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
