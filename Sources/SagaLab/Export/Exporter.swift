/// The last counterexample `explore` found, as the session keeps it for `export ...
/// counterexample`: the schedule, the world it was explored from, and how many commands of
/// the session's script had built that world.
public struct ExploredCounterexample: Sendable {
    public var example: Counterexample
    public var world: World
    public var scriptCount: Int
}

extension ExportedRun {
    /// The session's own run. With `history`, the script is replayed for the page's slider,
    /// asking `shouldStop` as it goes (see `StepHistory.replay`).
    static func session(_ session: Session, history: Bool, until shouldStop: @escaping () -> Bool) throws -> ExportedRun {
        let world = session.world
        var steps = StepHistory.final(world, limit: ExportLimits.entries)
        if history {
            var recorder = StepHistory(limit: ExportLimits.entries)
            if let replayed = try recorder.replay(session.script, seed: session.initialSeed, until: shouldStop),
               recorder.isFull ? samePrefix(replayed.world, world, recorder.recorded) : replayed.world == world {
                steps = recorder
            }
        }
        return ExportedRun(world: world, counterexample: nil, history: steps)
    }

    /// The counterexample's run: the explored world, then its schedule and the healing
    /// that followed, performed again.
    static func counterexample(_ found: ExploredCounterexample, in session: Session, history: Bool,
                               until shouldStop: @escaping () -> Bool) throws -> ExportedRun {
        var world = found.world
        let actions = found.example.schedule + found.example.settling
        for action in actions { world.perform(action) }
        let lines = Views.scheduleCommands(found.example, from: found.world)
        let info = Counterexample(invariantId: found.example.invariantId, title: found.example.title,
                                  evidence: found.example.evidence, schedule: lines.schedule, settling: lines.settling,
                                  firstEntry: found.world.trace.count)
        var steps = StepHistory.final(world, limit: ExportLimits.entries)
        if history {
            var recorder = StepHistory(limit: ExportLimits.entries)
            if let replayed = try recorder.replay(session.script.prefix(found.scriptCount), seed: session.initialSeed, until: shouldStop),
               recorder.isFull ? samePrefix(replayed.world, found.world, recorder.recorded) : replayed.world == found.world {
                var again = replayed.world
                recorder.perform(actions, on: &again)
                if samePrefix(again, world, recorder.recorded) { steps = recorder }
            }
        }
        return ExportedRun(world: world, counterexample: info, history: steps)
    }

    /// Whether two worlds' traces agree on their first `count` entries.
    static func samePrefix(_ a: World, _ b: World, _ count: Int) -> Bool {
        a.trace.count >= count && b.trace.count >= count && a.trace.prefix(count).elementsEqual(b.trace.prefix(count))
    }
}

extension Session {
    /// What `export` writes and the line that says so. Throws, changing nothing, for an
    /// order the world does not have, a counterexample `explore` has not found or a file
    /// the host says it cannot write (before making any of it), and
    /// `Interrupted` when `shouldStop` says so before the file is whole.
    func exportFile(_ request: ExportRequest, watch: CommandWatch = .none) throws -> (text: String, contents: String) {
        let found = request.counterexample ? lastCounterexample : nil
        if request.counterexample, found == nil {
            throw WorldError("nothing to export yet: `explore` has not found a broken invariant in this session")
        }
        var order: OrderId?
        if let name = request.order {
            // The counterexample's orders are those of the world it explored.
            let orders = (found?.world ?? world).orders
            guard let known = orders.order(named: name) else {
                let of = found == nil ? "" : " in the counterexample"
                throw WorldError("no order \(quoted(name))\(of)\(orders.hint(for: name))")
            }
            order = known.id
        }
        if let reason = watch.cannotWrite?(request.path, request.replacing) { throw WorldError(reason) }
        let history = request.format == .html
        let shouldStop = watch.shouldStop
        let run: ExportedRun = try found.map { try .counterexample($0, in: self, history: history, until: shouldStop) }
            ?? .session(self, history: history, until: shouldStop)
        // Asked every few thousand entries: Ctrl-C, the progress line on a terminal, and
        // the memory the file's text takes (the JSON of 200 000 orders is gigabytes).
        let total = run.world.trace.count
        var outgrew: MemoryCeiling.Excess?
        let entriesDone: (Int) -> Bool = { done in
            watch.progress(CommandProgress(steps: 0, world: run.world, activity: "exporting: \(done) of \(total) trace entries"))
            outgrew = watch.memory?.check()
            return outgrew != nil || watch.shouldStop()
        }
        do {
            return try exportText(request, run, order: order, until: entriesDone,
                                  reserving: { watch.memory?.allowsReserving($0) ?? true })
        } catch let stop as Interrupted {
            guard let outgrew else { throw stop }
            throw Interrupted(steps: 0, text: TextWrap.wrap(
                "export stopped before its file was whole: the lab grew to \(Views.bytes(outgrew.inUse)), past the "
                    + "\(Views.bytes(outgrew.limit)) this machine can safely give it; nothing was written",
                width: style.proseWidth, hanging: "  "))
        }
    }

    /// `exportFile`'s file and line, once the request is known to be sound.
    private func exportText(_ request: ExportRequest, _ run: ExportedRun, order: OrderId?,
                            until entriesDone: (Int) -> Bool, reserving: (Int) -> Bool) throws -> (text: String, contents: String) {
        let what = run.counterexample.map { "the counterexample (\($0.title))" } ?? "the trace"
        let contents: String
        let said: String
        switch request.format {
        case .mermaid:
            let diagram = try MermaidExport.render(run, order: order, until: entriesDone)
            contents = diagram.text
            let of = order.map { "\($0) in \(what)" } ?? what
            said = "wrote \(request.path): a Mermaid sequence diagram of \(of), "
                + "\(count(diagram.arrows, "arrow")) and \(count(diagram.notes, "note"))"
        case .json:
            contents = try JSONExport.text(run, until: entriesDone, reserving: reserving)
            said = "wrote \(request.path): \(what) as JSON, \(count(run.world.trace.count, "entry", "entries")) and "
                + "every database (schema \(JSONExport.schema))"
        case .html:
            let page = HTMLExport.render(run)
            contents = page.text
            var line = "wrote \(request.path): a timeline of \(what), \(count(page.entries, "entry", "entries")) in "
                + "\(count(page.steps, "step"))"
            if page.entries < run.world.trace.count { line += " (the first \(page.entries) of \(run.world.trace.count) entries)" }
            if !run.history.isReplayed { line += ", the databases as they are at the end" }
            said = line + "; open it in a browser"
        }
        return (TextWrap.wrap(said, width: style.proseWidth, hanging: "  "), contents)
    }

    /// The reply to `export`: its line, and the file for the host to write. Ctrl-C (the
    /// watch's `shouldStop`) stops it with nothing written.
    func exportReply(_ request: ExportRequest, watch: CommandWatch) -> Reply {
        do {
            let file = try exportFile(request, watch: watch)
            return Reply(file.text, effect: .writing(request.path, file.contents, replacing: request.replacing))
        } catch let stop as Interrupted {
            return Reply(stop.text, isInterrupted: true)
        } catch {
            return .error((error as? WorldError)?.message ?? "\(error)")
        }
    }

    private func count(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) \(n == 1 ? one : many ?? one + "s")"
    }
}

extension Interrupted {
    /// An export stopped before its file was whole: nothing is written.
    static let export = Interrupted(steps: 0, text: "export interrupted; nothing was written")
}
