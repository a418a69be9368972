import Foundation
import Lessons
@testable import SagaKernel
@testable import SagaLab
import Testing

/// `export mermaid|json|html`: the structure of each format, determinism, the session's
/// rules (an effect, never a change of the world), counterexamples, and the handbook's
/// embedded diagram.
@Suite struct ExportTests {
    static let happyPath = ["order alice prod-1x2", "run quiet"]
    /// The README's lost event: outbox off, orders crashes after its commit; one happy order first.
    static let lostEvent = ["order alice prod-1x2", "pattern outbox off", "crash orders at after-commit", "order bob prod-3",
                            "restart orders", "run quiet"]

    /// A session after `lines`, each of which must be accepted.
    static func session(_ lines: [String], seed: UInt64 = 1) -> Session {
        var session = Session(seed: seed)
        for line in lines {
            let reply = session.execute(line)
            #expect(!reply.isError, "`\(line)` was rejected: \(reply.text)")
        }
        return session
    }

    /// What `line` (an export) would write, and its reply.
    static func export(_ line: String, after lines: [String], seed: UInt64 = 1) -> (reply: Reply, contents: String) {
        var session = session(lines, seed: seed)
        let reply = session.execute(line)
        guard case .save(_, let contents) = reply.effect else {
            Issue.record("`\(line)` wrote nothing: \(reply.text)")
            return (reply, "")
        }
        return (reply, contents)
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    // MARK: - Mermaid

    @Test func mermaidHasAParticipantPerServiceAndAnArrowPerMessage() {
        let text = Self.export("export mermaid out.mmd", after: Self.happyPath).contents
        let lines = Self.lines(text)
        #expect(lines.first == "sequenceDiagram")
        #expect(text.hasSuffix("\n"))
        let participants = lines.filter { $0.hasPrefix("    participant ") }.map { String($0.dropFirst(16)) }
        #expect(participants == ServiceName.allCases.map(\.rawValue))
        let world = Self.session(Self.happyPath).world
        let deliveries = world.trace.filter { $0.kind == .deliver && $0.from != nil }
        let arrows = lines.filter { $0.contains("->>") }
        #expect(arrows.count == deliveries.count)
        #expect(lines.contains("    orders->>inventory: order.created evt-1"))
        #expect(lines.contains("    inventory->>payment: inventory.reserved evt-2"))
        let names = ServiceName.allCases.map(\.rawValue)
        for arrow in arrows {
            let parts = arrow.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
            let ends = parts.first.map { $0.components(separatedBy: "->>") } ?? []
            #expect(ends.count == 2 && names.contains(ends[0]) && names.contains(ends[1]), "\(arrow)")
            let label = parts.count == 2 ? String(parts[1]) : ""
            #expect(label.range(of: #"^ [a-z.]+ evt-\d+"#, options: .regularExpression) != nil, "\(arrow)")
        }
    }

    @Test func mermaidNotesCrashesDuplicatesDropsCompensationsAndBrokenInvariants() {
        let crash = Self.export("export mermaid out.mmd", after: Self.lostEvent).contents
        #expect(crash.contains("    Note over orders: CRASHED at after-commit"))
        #expect(crash.contains("    Note over orders: POST /orders bob prod-3"))
        #expect(crash.contains("    Note over orders,analytics: FAIL invariant broken: no order left PENDING"))
        let duplicate = Self.export("export mermaid out.mmd",
                                    after: ["duplicate next order.created", "order alice prod-1", "run quiet"]).contents
        #expect(duplicate.contains("Note over orders,analytics: will deliver evt-1 twice"))
        #expect(duplicate.contains("-->>inventory: order.created evt-1 (duplicate)"))
        #expect(duplicate.contains("Note over inventory: evt-1 already processed: skipped"))
        let drop = Self.export("export mermaid out.mmd", after: ["drop next inventory.reserved", "order alice prod-1", "run quiet"]).contents
        #expect(drop.contains("Note over orders,analytics: dropped"), "\(drop)")
        let compensation = Self.export("export mermaid out.mmd", after: ["fail payment next", "order alice prod-1", "run quiet"]).contents
        #expect(compensation.contains("Note over inventory: released prod-1"), "\(compensation)")
    }

    @Test func mermaidEscapesWhatWouldEndALabel() {
        #expect(MermaidExport.escape("a#b;c\"d<e>f") == "a#35;b#59;c#quot;d#lt;e#gt;f")
        #expect(MermaidExport.escape("two\nlines") == "two lines")
        // The restart's words hold a `;`: no label keeps a raw `#` or `;`.
        let text = Self.export("export mermaid out.mmd", after: Self.lostEvent + ["crash inventory", "restart inventory"]).contents
        #expect(text.contains("restarted#59;"))
        for line in Self.lines(text) where !line.trimmingCharacters(in: .whitespaces).hasPrefix("%%") {
            let bare = line.replacingOccurrences(of: #"#([0-9]+|[a-z]+);"#, with: "", options: .regularExpression)
            #expect(!bare.contains("#") && !bare.contains(";"), "\(line)")
        }
    }

    @Test func mermaidOfOneOrderKeepsOnlyThatOrder() {
        let text = Self.export("export mermaid out.mmd ord-2", after: ["order alice prod-1", "order bob prod-2", "run quiet"]).contents
        #expect(text.contains("order.created evt-2"))
        #expect(!text.contains("evt-1 "))
        #expect(text.contains("%% SagaLab, seed 1: ord-2 in the trace"))
    }

    // MARK: - JSON

    @Test func jsonParsesBackWithItsSchemaAndKeys() throws {
        let (reply, text) = Self.export("export json run.json", after: Self.lostEvent)
        #expect(reply.text.hasPrefix("wrote run.json: the trace as JSON"))
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let document = try #require(parsed as? [String: Any])
        #expect(document["schema"] as? String == "sagalab-trace/1")
        #expect(document["source"] as? String == "session")
        #expect((document["seed"] as? NSNumber)?.intValue == 1)
        #expect(document["counterexample"] is NSNull)
        let expected: Set = ["schema", "source", "seed", "now_ms", "now", "mode", "flow", "rollback", "services",
                             "counterexample", "invariants", "trace", "databases"]
        #expect(Set(document.keys) == expected)
        let world = Self.session(Self.lostEvent).world
        let trace = try #require(document["trace"] as? [[String: Any]])
        #expect(trace.count == world.trace.count)
        let entryKeys: Set = ["index", "time_ms", "time", "kind", "happening", "service", "from", "order", "event", "event_type",
                              "arrow", "sent_by", "repeat", "text"]
        for entry in trace { #expect(Set(entry.keys) == entryKeys) }
        let delivery = try #require(trace.first { $0["arrow"] as? Bool == true })
        #expect(delivery["kind"] as? String == "deliver")
        #expect(delivery["happening"] as? String == "message.received")
        #expect(delivery["sent_by"] is NSNumber)
        let databases = try #require(document["databases"] as? [String: Any])
        #expect(Set(databases.keys) == Set(ServiceName.allCases.map(\.rawValue)))
        let orders = try #require((databases["orders"] as? [String: Any])?["orders"] as? [[String: Any]])
        #expect(orders.map { $0["status"] as? String } == ["CONFIRMED", "PENDING"])
        let invariants = try #require(document["invariants"] as? [[String: Any]])
        #expect(invariants.contains { $0["id"] as? String == "no-pending" && $0["status"] as? String == "broken" })
    }

    @Test func jsonIsByteIdenticalForTheSameSeedAndCommands() {
        let first = Self.export("export json a.json", after: Self.lostEvent).contents
        let second = Self.export("export json b.json", after: Self.lostEvent).contents
        #expect(first == second)
        let other = Self.export("export json a.json", after: Self.lostEvent, seed: 2).contents
        #expect(other != first)
    }

    @Test func jsonWriterEscapesAndKeepsKeyOrder() throws {
        let value = JSONValue.object([("z", .string("quote \" slash \\ line\n bell \u{7} <tag>")), ("a", .array([.int(1), .null]))])
        let text = value.written()
        #expect(text.hasPrefix("{\n  \"z\": "))
        let back = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(back["z"] as? String == "quote \" slash \\ line\n bell \u{7} <tag>")
        #expect(!value.written(forHTML: true).contains("<"))
        #expect(value.written(compact: true) == #"{"z":"quote \" slash \\ line\n bell \u0007 <tag>","a":[1,null]}"#)
    }

    // MARK: - HTML

    @Test func htmlIsSelfContained() {
        let (reply, page) = Self.export("export html run.html", after: Self.lostEvent)
        #expect(reply.text.hasPrefix("wrote run.html: a timeline of the trace"))
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(!page.lowercased().contains("http"))
        #expect(!page.contains("<script src") && !page.contains("<link") && !page.contains("@import") && !page.contains("@font-face"))
        #expect(page.components(separatedBy: "url(").count == page.components(separatedBy: "url(#").count)
        for service in ServiceName.allCases { #expect(page.contains("id=\"lane-\(service.rawValue)\"")) }
        let world = Self.session(Self.lostEvent).world
        let arrows = world.trace.filter { $0.kind == .deliver && $0.from != nil }.count
        #expect(page.components(separatedBy: "class=\"arrow").count - 1 == arrows)
        #expect(page.contains("id=\"break\""))
    }

    @Test func htmlHistoryKeepsTheDatabasesAtEveryStep() throws {
        let session = Self.session(Self.happyPath)
        let run = try ExportedRun.session(session, history: true, until: { false })
        #expect(run.history.isReplayed)
        // The start, the order, then each of the 14 steps `run` took.
        #expect(run.history.steps.count == 16)
        #expect(run.history.steps.last?.entries.upperBound == session.world.trace.count)
        #expect(run.history.steps.last?.state == DatabaseState.lines(session.world))
        let first = try #require(run.history.steps.first)
        #expect(first.state[0] == ["(empty)"])
        #expect(run.history.step(of: 0) == 1)
    }

    @Test func htmlHistoryReplaysStoppedAndTimedCommands() throws {
        let script = ["order alice prod-1x2", "order bob prod-2", "advance 45s", "step 3", "crash payment", "step 2",
                      "restart payment", "reset", "order carol prod-3", "run", "advance 1m"]
        let session = Self.session(script)
        let run = try ExportedRun.session(session, history: true, until: { false })
        #expect(run.history.isReplayed)
        #expect(run.history.steps.first?.entries == 0..<0)
        #expect(run.history.recorded == session.world.trace.count)
        #expect(run.history.steps.last?.state == DatabaseState.lines(session.world))
    }

    @Test func htmlDrawsABoundedHistory() throws {
        var lines = ["stock prod-1 1000"]
        lines += (1...100).map { "order cust-\($0) prod-1" }
        let session = Self.session(lines + ["run quiet"])
        #expect(session.world.trace.count > ExportLimits.entries)
        let run = try ExportedRun.session(session, history: true, until: { false })
        #expect(run.history.recorded == ExportLimits.entries)
        #expect(run.history.isReplayed)
        let page = HTMLExport.render(run)
        #expect(page.entries == ExportLimits.entries)
        #expect(page.text.contains("the first \(ExportLimits.entries) of \(session.world.trace.count) entries drawn"))
    }

    // MARK: - Counterexamples

    static let race = ["pattern idempotency check-then-act inventory", "order alice prod-1x2", "explore"]

    @Test func counterexampleExportsInEveryFormat() throws {
        let json = Self.export("export json ce.json counterexample", after: Self.race).contents
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(document["source"] as? String == "counterexample")
        let example = try #require(document["counterexample"] as? [String: Any])
        #expect(example["invariant"] as? String == "once-per-event")
        #expect((example["schedule"] as? [String])?.contains("crash inventory at after-effect") == true)
        let mermaid = Self.export("export mermaid ce.mmd counterexample", after: Self.race).contents
        #expect(mermaid.contains("    rect rgb(255, 236, 236)"))
        #expect(mermaid.contains("Note over inventory: CRASHED at after-effect"))
        #expect(Self.lines(mermaid).dropLast().last == "    end")
        let html = Self.export("export html ce.html counterexample", after: Self.race).contents
        #expect(html.contains("id=\"schedule-start\""))
        #expect(html.contains("id=\"break\""))
        #expect(!html.contains("could not be replayed"))
    }

    @Test func counterexampleStaysAfterTheSessionMovesOn() {
        let (reply, text) = Self.export("export mermaid ce.mmd counterexample", after: Self.race + ["reset", "order bob prod-2"])
        #expect(reply.text.replacingOccurrences(of: "\n  ", with: " ").contains("the counterexample (no consumer applied one event twice)"))
        #expect(text.contains("POST /orders alice prod-1x2"))
        #expect(!text.contains("bob"))
    }

    // MARK: - The command

    @Test func exportIsAnEffectAndChangesNothing() {
        var session = Self.session(Self.happyPath)
        let before = session.world
        let script = session.script
        let reply = session.execute("export json out.json")
        #expect(!reply.isError)
        #expect(session.world == before)
        #expect(session.script == script)
        guard case .save(let path, _) = reply.effect else {
            Issue.record("no file to write")
            return
        }
        #expect(path == "out.json")
        #expect(!session.scriptText.contains("export"))
    }

    @Test(arguments: [Self.happyPath, Self.lostEvent, [], ["crash payment", "order alice prod-1", "run quiet"]])
    func jsonWrittenEntryByEntryIsTheDocumentsText(_ lines: [String]) throws {
        let run = try ExportedRun.session(Self.session(lines), history: false, until: { false })
        #expect(try JSONExport.text(run, until: { _ in false }) == JSONExport.document(run).written())
        #expect(try JSONExport.text(run, until: { _ in false }, reserving: { _ in false }) == JSONExport.document(run).written(),
                "the same text without room made ahead")
    }

    @Test func jsonOfACounterexampleWrittenEntryByEntryIsTheDocumentsText() throws {
        let session = Self.session(Self.race)
        let found = try #require(session.lastCounterexample)
        let run = try ExportedRun.counterexample(found, in: session, history: false, until: { false })
        #expect(try JSONExport.text(run, until: { _ in false }) == JSONExport.document(run).written())
    }

    /// A session long enough that an export asks its watch more than once.
    static let longRun = ["stock prod-1 1000"] + (1...400).map { "order cust-\($0) prod-1" } + ["run quiet"]

    /// A watch whose Ctrl-C comes at its `asks`th question, counting them.
    final class StopAfter: @unchecked Sendable {
        var asked = 0
        var activities: [String] = []
        let asks: Int
        init(_ asks: Int) { self.asks = asks }
        var watch: CommandWatch {
            CommandWatch(shouldStop: {
                self.asked += 1
                return self.asked >= self.asks
            }, progress: { progress in
                if let activity = progress.activity { self.activities.append(activity) }
            })
        }
    }

    @Test(arguments: ["export json out.json", "export mermaid out.mmd", "export mermaid out.mmd ord-7", "export html out.html"])
    func ctrlCStopsAnExportWithNothingWritten(_ line: String) throws {
        var session = Self.session(Self.longRun)
        #expect(session.world.trace.count > 2 * Timeline.stride)
        let before = session.world
        let script = session.script
        let stop = StopAfter(2)
        let reply = session.execute(line, watch: stop.watch)
        #expect(reply.isInterrupted)
        #expect(!reply.isError)
        #expect(reply.effect == nil)
        #expect(reply.text == "export interrupted; nothing was written")
        #expect(session.world == before)
        #expect(session.script == script)
        #expect(stop.asked == 2)
        // Unstopped, the same export writes its file.
        let whole = session.execute(line, watch: StopAfter(Int.max).watch)
        #expect(!whole.isInterrupted)
        guard case .save = whole.effect else {
            Issue.record("`\(line)` wrote nothing: \(whole.text)")
            return
        }
    }

    /// A file the host cannot write is refused before the export is made: a long run's
    /// export takes a minute and gigabytes. The host is told whether `--force` was given.
    @Test(arguments: [("export json out.json", false), ("export html out.html --force", true)])
    func anExportTheHostCannotWriteIsRefusedBeforeItIsMade(_ line: String, _ force: Bool) {
        var session = Self.session(Self.longRun)
        let before = session.world
        let stop = StopAfter(Int.max)
        var watch = stop.watch
        var asked: [String] = []
        watch.cannotWrite = { path, replacing in
            asked.append("\(path) \(replacing)")
            return "cannot write \(path): the file exists; add --force to replace it"
        }
        let reply = session.execute(line, watch: watch)
        #expect(reply.isError)
        #expect(reply.effect == nil)
        #expect(reply.text.contains("the file exists"), "\(reply.text)")
        #expect(asked == ["\(line.split(separator: " ")[2]) \(force)"])
        #expect(stop.asked == 0 && stop.activities.isEmpty, "nothing of the export was made")
        #expect(session.world == before)
        watch.cannotWrite = { _, _ in nil }
        switch session.execute(line, watch: watch).effect {
        case .save?, .replace?: break
        default: Issue.record("`\(line)` wrote nothing once the host could write it")
        }
    }

    /// An export that would outgrow the memory the machine can give the lab stops, as a
    /// long `run` does, with nothing written and the world as it was.
    @Test(arguments: ["export json out.json", "export mermaid out.mmd"])
    func anExportPastTheMemoryCeilingStopsWithNothingWritten(_ line: String) {
        var session = Self.session(Self.longRun)
        let before = session.world
        var looks = 0
        var watch = CommandWatch()
        watch.memory = MemoryCeiling(check: {
            looks += 1
            return looks >= 2 ? .init(inUse: 3 << 30, limit: 2 << 30) : nil
        })
        let reply = session.execute(line, watch: watch)
        #expect(reply.isInterrupted)
        #expect(reply.effect == nil)
        #expect(reply.text == "export stopped before its file was whole: the lab grew to 3.0 GB, past the 2.0\n"
                + "  GB this machine can safely give it; nothing was written")
        #expect(session.world == before)
        #expect(looks == 2)
    }

    /// What reflection says an enum value's case is: the reference the written-out names
    /// (`HappeningNames.swift`) are held to.
    static func reflectedCaseName(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .enum, let label = mirror.children.first?.label { return label }
        return String(String(describing: value).prefix { $0 != "(" })
    }

    /// Every happening of every transcript's sessions is named as reflection names its case.
    @Test func happeningNamesAreTheCasesOwn() {
        var named = Set<String>()
        for url in Repository.files(in: "Tests/Transcripts", ending: ".txt") {
            var bench = TranscriptSuite.freshBench()
            var checked = 0
            for entry in Transcript(parsing: Repository.read(url)).entries {
                _ = bench.execute(entry.input)
                let trace = bench.session.world.trace
                if trace.count < checked { checked = 0 }
                for item in trace.dropFirst(checked) {
                    let name = Timeline.happening(item.what)
                    named.insert(name)
                    let reflected: String
                    switch item.what {
                    case .api(let h): reflected = "api." + Self.reflectedCaseName(h)
                    case .message(let h): reflected = "message." + Self.reflectedCaseName(h)
                    case .step(let result, let compensated, _):
                        reflected = (compensated ? "compensation." : "step.") + Self.reflectedCaseName(result)
                    case .saga(let h): reflected = "saga." + Self.reflectedCaseName(h)
                    case .fault(let h): reflected = "fault." + Self.reflectedCaseName(h)
                    case .lab(let h): reflected = "lab." + Self.reflectedCaseName(h)
                    case .invariantBroken, .recorded: reflected = name
                    }
                    #expect(name == reflected, "\(url.lastPathComponent): `\(entry.input)`")
                }
                checked = trace.count
            }
        }
        #expect(named.count > 100, "the transcripts name most happenings: \(named.count)")
    }

    @Test func anExportOfALongTraceSaysHowFarItGot() {
        var session = Self.session(Self.longRun)
        let stop = StopAfter(Int.max)
        let reply = session.execute("export json out.json", watch: stop.watch)
        #expect(!reply.isInterrupted)
        let total = session.world.trace.count
        let expected = stride(from: 0, to: total, by: Timeline.stride).map { "exporting: \($0) of \(total) trace entries" }
        #expect(stop.activities == expected)
        let line = CommandProgress(steps: 0, world: session.world, activity: expected[1]).line(width: 80)
        #expect(line == expected[1] + "; Ctrl-C stops")
    }

    @Test(arguments: [("export mermaid out.mmd ord-9", "no order 'ord-9'"),
                      ("export html out.html counterexample", "`explore` has not found a broken invariant"),
                      ("export mermaid out.mmd ord-1 counterexample", "nothing to export yet")])
    func rejectedExportIsOneLineAndChangesNothing(_ line: String, _ fragment: String) {
        var session = Self.session(Self.happyPath)
        let before = session.world
        let reply = session.execute(line)
        #expect(reply.isError)
        #expect(reply.effect == nil)
        #expect(reply.text.contains(fragment), "\(reply.text)")
        #expect(!reply.text.contains("\n"))
        #expect(session.world == before)
    }

    @Test func everyReplyLineFitsEightyColumns() {
        for line in ["export mermaid out.mmd", "export json out.json", "export html out.html"] {
            let reply = Self.export(line, after: Self.happyPath).reply
            for text in Self.lines(reply.text) { #expect(text.count <= 80, "\(text)") }
        }
    }

    @Test func checkingATranscriptWritesNoFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sagalab-export-\(UUID().uuidString).html").path
        let text = "lab> order alice prod-1\nlab> export html \(path)\n"
        let outcome = TranscriptSuite.checkTranscript(text, name: "t")
        #expect(outcome.updated.contains("wrote \(path)") || outcome.updated.contains("wrote"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func completionOffersFormatsOrdersAndCounterexample() {
        let world = Self.session(Self.happyPath).world
        #expect(Completion.candidates("export ", world: world) == ["mermaid", "json", "html"])
        #expect(Completion.candidates("export html ", world: world) == ["timeline.html"])
        #expect(Completion.candidates("export mermaid t.mmd ", world: world) == ["ord-1", "counterexample"])
        #expect(Completion.candidates("export json t.json c", world: world) == ["counterexample"])
    }
}
