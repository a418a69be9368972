/// What the host (the terminal program, a test, a lesson) must do after a command,
/// beyond printing its text. The library never touches files or the terminal itself.
public enum SessionEffect: Equatable, Sendable {
    case quit
    /// Write `contents` to `path` (`save`, `explore save`, `export`) as a new file: the
    /// host refuses to write over one that exists, and never creates a directory.
    case save(path: String, contents: String)
    /// The same with `--force`: a file already at `path` is replaced.
    case replace(path: String, contents: String)
}

extension SessionEffect {
    /// The effect that writes `contents` to `path`: `.replace` when `--force` allows it.
    static func writing(_ path: String, _ contents: String, replacing: Bool) -> SessionEffect {
        replacing ? .replace(path: path, contents: contents) : .save(path: path, contents: contents)
    }
}

/// The answer to one line: text to print, whether it was rejected or interrupted, and an effect.
public struct Reply: Equatable, Sendable {
    public var text: String
    public var isError: Bool
    /// The host's watch stopped the command between two steps (Ctrl-C); the world keeps
    /// the steps it took.
    public var isInterrupted: Bool
    public var effect: SessionEffect?

    public init(_ text: String, isError: Bool = false, isInterrupted: Bool = false, effect: SessionEffect? = nil) {
        self.text = text
        self.isError = isError
        self.isInterrupted = isInterrupted
        self.effect = effect
    }

    public static func error(_ message: String) -> Reply { Reply("error: \(message)", isError: true) }
}

/// One learner's session: the world, the style to render in, and the accepted commands.
///
/// `execute` is the whole command language: parse, apply to a copy of the world, and
/// keep the copy only if the command was accepted, so a rejected command changes nothing.
/// Commands that cannot be rejected once parsed (`order`, `step`, `run`, `advance`)
/// change the world in place instead, so that a long session never copies its tables.
/// A long command the host's watch stops keeps the whole steps it took, and the script
/// records them as `step N`, so that replaying the script reaches the same world.
public struct Session: Sendable {
    public internal(set) var world: World
    public var style: Style {
        didSet { style.width = width }
    }
    /// Terminal width: the trace diagram lays itself out in it, tables and log lines wrap to
    /// fit it (the style carries it to them).
    public var width: Int = 80 {
        didSet { style.width = width }
    }
    /// The session's lines of history; `current` is the one the learner is on.
    var branches: [Branch]
    var current = 0
    /// The steps the last `step`, `run` or `advance` took, for the history.
    var lastSteps = 0
    /// True while a jump replays commands: their replies are not written, only their effect.
    var replaying = false
    /// Whether the history keeps snapshots of the world for fast jumps. A script that
    /// never travels in time (`sagalab run`) turns them off and keeps only its commands;
    /// a jump then replays from the start.
    public var keepsSnapshots = true
    /// Commands accepted on this branch up to where the learner is, for `save`.
    public var script: [String] { branch.script }

    /// The branch the learner is on, changed in place.
    var branch: Branch {
        get { branches[current] }
        _modify { yield &branches[current] }
    }
    /// The script `explore save` writes: the commands that built the explored world, then
    /// the last counterexample `explore` found. Nil until it finds one.
    public private(set) var counterexampleScript: String?
    /// The last counterexample `explore` found and the world it explored, for `export ...
    /// counterexample`. Nil until it finds one.
    public private(set) var lastCounterexample: ExploredCounterexample?
    let initialSeed: UInt64
    /// Holds the session's place while a command that cannot fail changes the world.
    private static let placeholder = World()

    public init(seed: UInt64 = 1, style: Style = .plain) {
        world = World(seed: seed)
        initialSeed = seed
        self.style = style
        self.style.width = width
        branches = [Branch(name: "main", start: world, seedLine: "seed \(seed)")]
    }

    /// Runs one line; `watch` can stop a long command and follow its progress.
    public mutating func execute(_ line: String, watch: CommandWatch = .none) -> Reply {
        switch CommandParser.parse(line) {
        case .empty: return Reply("")
        case .error(let message): return .error(message)
        case .command(let command):
            if command.isTeaching { return .error("the handbook and lessons are not available in this session") }
            return execute(command, line: line, watch: watch)
        }
    }

    /// Applies an already parsed command; `line` is what is kept for `save`.
    public mutating func execute(_ command: Command, line: String, watch: CommandWatch = .none) -> Reply {
        if let unknown = unknownProduct(in: command) { return .error(unknown) }
        if let tooLarge = orderTooLarge(in: command) { return .error(tooLarge) }
        if command.isTimeTravel {
            do {
                return Reply(try travel(command) ?? "")
            } catch {
                return .error((error as? WorldError)?.message ?? "\(error)")
            }
        }
        // The world a `goto TIME` preview shows, kept only then: it becomes an entry.
        let previewWorld = branch.preview == nil ? nil : world
        lastSteps = 0
        if case .export(let request) = command { return exportReply(request, watch: watch) }
        var next = world
        let before = next.trace.count
        if command.cannotFail {
            // Nothing to roll back: hand the world over so that changing it copies nothing.
            world = Session.placeholder
        }
        do {
            var text = try apply(command, to: &next, traceStart: before, watch: watch)
            world = next
            if command.belongsInScript,
               let note = record(trimmed(line), changesWorld: command.changesWorld, steps: lastSteps, before: previewWorld) {
                text += (text.isEmpty ? "" : "\n") + note
            }
            if case .save(let path, let replacing) = command {
                return Reply(text, effect: .writing(path, scriptText, replacing: replacing))
            }
            if case .explore(let request) = command {
                return exploreReply(request, text: text)
            }
            if command == .quit { return Reply(text, effect: .quit) }
            return Reply(text)
        } catch let stop as Interrupted {
            // `next` holds the world after the steps taken, and is unchanged when there
            // were none: an inout argument is written back when the function throws, too.
            world = next
            var text = stop.text
            let kept = stop.finished ? trimmed(line) : stop.recorded ?? "step \(stop.steps)"
            if stop.steps > 0 || stop.recorded != nil || stop.finished,
               let note = record(kept, changesWorld: true, steps: stop.steps, before: previewWorld) {
                text += "\n" + note
            }
            return Reply(text, isInterrupted: true)
        } catch {
            if command.cannotFail { world = next }
            return .error((error as? WorldError)?.message ?? "\(error)")
        }
    }

    /// The error for an order or `stock` naming a product the shop does not sell, checked
    /// before anything is applied so that the world stays as it was.
    func unknownProduct(in command: Command) -> String? {
        let names: [String]
        switch command {
        case .order(_, let items, _), .orderRange(_, let items): names = items.map(\.product)
        case .stock(let product, _): names = [product]
        default: return nil
        }
        let ids = world.catalog.ids
        guard let name = names.first(where: { !ids.contains($0) }) else { return nil }
        // `order alice 2 prod-1`: a count written before the product, as English has it.
        let count = name.allSatisfy(\.isASCIIDigit) ? "; a quantity follows its product, like prod-1x\(name)" : ""
        return "unknown product \(quoted(name))\(Suggest.hint(name, in: ids)); products: \(ids.joined(separator: ", "))\(count)"
    }

    /// The largest total one order may come to: $1,000,000,000.00. Sums over every order
    /// (revenue, payments, points) then stay far inside a 64-bit count of cents, whatever a
    /// session places.
    public static let maxOrderTotal = 100_000_000_000

    /// The error for an order whose total would pass `maxOrderTotal` at today's prices,
    /// checked before anything is applied.
    func orderTooLarge(in command: Command) -> String? {
        let items: [OrderItem]
        switch command {
        case .order(_, let ordered, _), .orderRange(_, let ordered): items = ordered
        default: return nil
        }
        var total = 0
        var overflows = false
        for item in items where !overflows {
            let (line, lineOverflow) = (world.catalog.price(of: item.product) ?? 0).multipliedReportingOverflow(by: item.quantity)
            let (sum, sumOverflow) = total.addingReportingOverflow(line)
            overflows = lineOverflow || sumOverflow
            total = sum
        }
        guard overflows || total > Session.maxOrderTotal else { return nil }
        let comes = overflows ? "far more" : money(total)
        return "an order's total must be at most \(money(Session.maxOrderTotal)), not \(comes); order fewer or cheaper items"
    }

    /// The script `save` writes: the seed, then every accepted command.
    public var scriptText: String {
        (["# sagalab script: replay with `sagalab run FILE`", "seed \(initialSeed)"] + script).joined(separator: "\n") + "\n"
    }

    func trimmed(_ line: String) -> String {
        guard let first = line.firstIndex(where: { !$0.isWhitespace }),
              let last = line.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(line[first...last])
    }

    mutating func apply(_ command: Command, to world: inout World, traceStart: Int, watch: CommandWatch = .none) throws -> String {
        var views: Views { Views(world, style: style) }
        let traceLines = TraceLines(style: style)
        func produced() -> String { replaying ? "" : traceLines.lines(world.trace[traceStart...]) }
        switch command {
        case .help(let topic):
            return Help.text(topic, style: style)
        case .seed(nil):
            return "seed \(world.seed)"
        case .seed(let n?):
            world = World(seed: n)
            return "seed \(n): a fresh world"
        case .reset:
            world = World(seed: world.seed)
            return "a fresh world (seed \(world.seed))"
        case .save(let path, _):
            return "saved \(script.count + 1) command\(script.isEmpty ? "" : "s") to \(path)"
        case .quit:
            return ""
        case .order(let customer, let items, let key):
            let response = world.placeOrder(customer: customer, items: items, key: key)
            let answer: String
            switch response {
            case .created(let id, let total): answer = style.paint("201 Created: \(id) PENDING (\(money(total)))", .green)
            case .failed(let status, let reason): answer = style.paint("\(status): \(reason)", .red)
            case .noResponse(let id): answer = style.paint("no response: the connection dropped (yet \(id) was saved)", .red)
            case .replayed, .refused: answer = views.keyAnswer(response) ?? ""
            }
            return produced() + "\n" + answer
        case .orderRange(let range, let items):
            return try placeOrders(range, items: items, in: &world, watch: watch)
        case .step(let n):
            let stride = world.step(n, watch: watch)
            lastSteps = stride.steps
            if stride.stopped { throw interruption(after: stride.steps, in: world, traceStart: traceStart, outgrew: stride.outgrew) }
            let steps = stride.steps
            if steps == 0 { return "nothing to do: \(world.idleReason)" }
            let ending = steps < n ? "(\(steps) step\(steps == 1 ? "" : "s"); then \(world.idleReason))" : nil
            let out = replaying ? "" : try drawn(world.trace[traceStart...], of: world, traceStart: traceStart, steps: steps,
                                ending: ending ?? "ran \(steps) step\(steps == 1 ? "" : "s"); now \(VirtualTime.stamp(world.now))", watch: watch)
            return ending.map { out + "\n" + $0 } ?? out
        case .run(let quiet):
            let stride = world.run(watch: watch)
            lastSteps = stride.steps
            if stride.stopped { throw interruption(after: stride.steps, in: world, traceStart: traceStart, outgrew: stride.outgrew) }
            let steps = stride.steps
            let ending = "ran \(steps) step\(steps == 1 ? "" : "s"); now \(VirtualTime.stamp(world.now)); \(world.idleReason)"
            guard world.trace.count > traceStart, !replaying else { return ending }
            if quiet {
                let broken = world.trace.invariantEntries(from: traceStart)
                return broken.isEmpty ? ending : traceLines.lines(broken) + "\n" + ending
            }
            return try drawn(world.trace[traceStart...], of: world, traceStart: traceStart, steps: steps, ending: ending,
                             watch: watch) + "\n" + ending
        case .advance(let d):
            guard d <= VirtualTime.latest - world.now else {
                let left = VirtualTime.latest - world.now
                throw WorldError("virtual time ends at \(VirtualTime.stamp(VirtualTime.latest)); it is "
                                 + "\(VirtualTime.stamp(world.now)), so `advance` goes at most \(VirtualTime.duration(left)) further")
            }
            let stride = world.advance(by: d, watch: watch)
            lastSteps = stride.steps
            if stride.stopped { throw interruption(after: stride.steps, in: world, traceStart: traceStart, outgrew: stride.outgrew) }
            let ending = "now \(VirtualTime.stamp(world.now))"
            guard world.trace.count > traceStart, !replaying else { return ending }
            return try drawn(world.trace[traceStart...], of: world, traceStart: traceStart, steps: stride.steps,
                             ending: ending, watch: watch) + "\n" + ending
        case .publish(let service):
            var out: [String] = []
            for s in service.map({ [$0] }) ?? ServiceName.publishers {
                let start = world.trace.count
                let who = world.publishers == .ownProcess ? s.publisherName : "\(s.rawValue) publisher"
                switch world.poll(s) {
                case .nothingToPublish: out.append("\(who): nothing to publish")
                case .notRunning(let why): out.append("\(who): nothing sent (\(why))")
                case .published, .crashed: out.append(traceLines.lines(world.trace[start...]))
                }
            }
            world.announceInvariants()
            let tail = traceLines.lines(world.trace.invariantEntries(from: traceStart))
            return (out + (tail.isEmpty ? [] : [tail])).joined(separator: "\n")
        case .show(let topic):
            // A table of hundreds of thousands of rows takes seconds: Ctrl-C stops it.
            var stopped = false
            var watched = views
            watched.shouldStop = {
                if !stopped { stopped = watch.shouldStop() }
                return stopped
            }
            let text = try show(topic, watched)
            if stopped { throw Interrupted(steps: 0, text: "show interrupted; nothing shown") }
            return text
        case .trace(let filter):
            if let order = filter.order, world.orders.order(named: order) == nil {
                throw WorldError("no order \(quoted(order))\(world.orders.hint(for: order))")
            }
            return try TraceDiagram(world, style: style, width: width).render(filter, until: watch.shouldStop)
        case .log(let filter):
            if let order = filter.order, world.orders.order(named: order) == nil {
                throw WorldError("no order \(quoted(order))\(world.orders.hint(for: order))")
            }
            return try views.log(filter, until: watch.shouldStop)
        case .check:
            // A million orders' invariants take seconds to judge: Ctrl-C stops it.
            var stopped = false
            var watched = views
            watched.shouldStop = {
                if !stopped { stopped = watch.shouldStop() }
                return stopped
            }
            let text = watched.check()
            if stopped { throw Interrupted(steps: 0, text: "check interrupted; nothing shown") }
            return text
        case .crash(let service, nil):
            try world.crashNow(service)
            return produced()
        case .crash(let service, let point?):
            try world.arm(service, at: point)
            return produced()
        case .restart(let service):
            try world.restart(service)
            return produced()
        case .crashPublisher(let service, nil):
            try world.crashPublisher(service)
            return produced()
        case .crashPublisher(let service, let point?):
            try world.armPublisher(service, at: point)
            return produced()
        case .restartPublisher(let service):
            try world.restartPublisher(service)
            return produced()
        case .publishers(nil):
            return views.publishers()
        case .restarts(nil):
            return "restarts \(world.settings.restartsAtOnce ? "auto" : "manual")"
        case .restarts(let auto?):
            world.setRestarts(auto: auto)
            return produced()
        case .publishers(let deployment?):
            try world.setPublishers(deployment)
            return produced()
        case .message(let kind, let selector):
            try world.messageFault(kind, selector)
            return produced()
        case .partition(let service):
            try world.partition(service)
            return produced()
        case .heal:
            try world.heal()
            return produced()
        case .fail(let service, let mode):
            world.setFailure(service, mode)
            return produced()
        case .failHandler(let service, let mode):
            world.setHandlerError(service, mode)
            return produced()
        case .injectPoison(let type):
            try world.injectPoison(type)
            return produced()
        case .retry(let change):
            guard let change, !change.isEmpty else { return views.retryPolicies(change?.target) }
            world.changeRetries(change)
            return produced()
        case .redrive(let service, let id):
            try world.redrive(service, id: id)
            return produced()
        case .product(let name, let price, let stock):
            try world.setProduct(name, price: price, stock: stock)
            world.announceInvariants()
            return produced()
        case .stock(let product, let quantity):
            try world.setStock(product, quantity)
            world.announceInvariants()
            return produced()
        case .outbox(let on, let service):
            world.setOutbox(on, for: service.map { [$0] } ?? ServiceName.publishers)
            return produced()
        case .idempotency(let mode, let service):
            world.setIdempotency(mode, for: service.map { [$0] } ?? ServiceName.allCases)
            return produced()
        case .recipe(let service, let type, let choice):
            let recipe: Recipe
            switch choice {
            case .steps(let steps): recipe = steps
            case .named(let mode): recipe = Recipe.named(mode, outbox: !service.emitsEvents || world.patterns.usesOutbox(service))
            }
            try world.setRecipe(recipe, for: service, type: type)
            return produced()
        case .concurrency(let service, let n):
            try world.setConcurrency(service, n)
            return produced()
        case .keyValidation(let on):
            world.setKeyValidation(on)
            return produced()
        case .flow(nil):
            return "flow \(world.flow.rawValue): " + world.flow.steps.map(\.rawValue).joined(separator: " -> ") + " -> confirmation"
        case .flow(let flow?):
            world.setFlow(flow)
            return produced()
        case .subscribe(let service, let type):
            try world.subscribe(service, to: type)
            return produced()
        case .unsubscribe(let service, let type):
            try world.unsubscribe(service, from: type)
            return produced()
        case .set(let name, let value):
            try world.set(name, value)
            return produced()
        case .rollback(nil):
            return "rollback \(world.rollback.rawValue)"
        case .rollback(let rollback?):
            world.setRollback(rollback)
            return produced()
        case .design(nil):
            return views.designs()
        case .design(let design?):
            var preset = world
            preset.adopt(design)
            if let problem = world.deploymentProblem(preset.publishers) { throw WorldError(problem) }
            world = preset
            return produced()
        case .mode(nil):
            return "mode \(world.mode.rawValue)"
        case .mode(let mode?):
            world.setMode(mode)
            return produced()
        case .durableTimers(let on):
            world.setDurableTimers(on)
            return produced()
        case .fence(let on):
            world.setFence(on)
            return produced()
        case .allPatternsOn:
            world.setAllPatternsOn()
            return produced()
        case .slow(let service, let extra):
            world.setSlowness(service, extra)
            return produced()
        case .compare(let n):
            let comparison = Comparison(world, orders: n, until: watch.shouldStop)
            if comparison.wasStopped { throw Interrupted(steps: 0, text: "compare interrupted; this world is unchanged") }
            return views.compare(comparison)
        case .pick(let n):
            let pending = world.pending
            guard !pending.isEmpty else { throw WorldError("nothing is pending: \(world.idleReason)") }
            guard n <= pending.count else {
                let listed = pending.count == 1 ? "lists one, number 1" : "numbers them 1 to \(pending.count)"
                throw WorldError("no pending action \(n); `show pending` \(listed)")
            }
            world.pick(pending[n - 1])
            return produced()
        case .explore(let request):
            return try explore(request, from: world, watch: watch)
        case .export(let request):
            return try exportFile(request).text
        case .compensate(let order):
            try world.compensate(order)
            return produced()
        case .rebuild(let service):
            // Five million stored events take seconds to replay: Ctrl-C stops it, and the
            // projection stays as it was.
            let before = world
            do {
                try world.rebuild(service, until: watch.shouldStop)
            } catch is World.RebuildStopped {
                world = before
                throw Interrupted(steps: 0, text: "rebuild interrupted; \(service.rawValue) is as it was")
            }
            return views.rebuilt(world.trace[traceStart...])
        case .chapter, .chapterRun, .lessons, .lesson, .next, .back, .hint:
            throw WorldError("the handbook and lessons are not available in this session")
        case .undo, .redo, .history, .goto, .branch, .branches, .switchBranch:
            return try travel(command) ?? ""
        }
    }

    /// Runs `explore`, remembering a counterexample for `explore save`.
    mutating func explore(_ request: ExploreRequest, from world: World, watch: CommandWatch) throws -> String {
        let views = Views(world, style: style)
        let started = watch.clock?()
        func rate(_ states: Int) -> Double? {
            guard let started, let now = watch.clock?(), now > started else { return nil }
            return Double(states) / (now - started)
        }
        switch request {
        case .save(let path, _):
            guard counterexampleScript != nil else {
                throw WorldError("nothing to save yet: `explore` has not found a broken invariant in this session")
            }
            return "saved the schedule to \(path); `sagalab run \(path)` replays it"
        case .search(let budget):
            var excess: MemoryCeiling.Excess?
            // Asked at every state and every step of a settling: the memory is read from
            // the system once in 256 askings.
            var asked = 0
            let outgrown = { () -> Bool in
                asked += 1
                guard asked % 256 == 1 else { return false }
                excess = watch.memory?.check()
                return excess != nil
            }
            let report = Explorer(budget: budget).explore(world, until: { watch.shouldStop() || outgrown() }) { report in
                watch.progress(CommandProgress(steps: 0, world: world,
                                               search: "\(report.explored) states (\(report.distinct) distinct), depth \(report.depth)"))
            }
            if case .broken(let example) = report.ending { remember(example, from: world) }
            return views.exploration(report, budget, rate: rate(report.explored), outgrew: excess)
        case .random(let count, let budget):
            let swarm = Swarm(schedules: count, budget: budget)
            let report = swarm.play(from: world, until: watch.shouldStop) { report in
                watch.progress(CommandProgress(steps: 0, world: world,
                                               search: "\(report.played) of \(count) schedules, \(report.actions) actions"))
            }
            if case .broken(let example, _) = report.ending { remember(example, from: world) }
            return views.swarm(report, swarm)
        }
    }

    private mutating func remember(_ example: Counterexample, from world: World) {
        let lines = Views.scheduleCommands(example, from: world)
        var text = scriptText + "# the schedule `explore` found: \(example.title)\n"
        text += lines.schedule.joined(separator: "\n") + "\n"
        if !lines.settling.isEmpty {
            text += "# every fault healed, then the world runs to the end\n" + lines.settling.joined(separator: "\n") + "\n"
        }
        counterexampleScript = text + "check\n"
        lastCounterexample = ExploredCounterexample(example: example, world: world, scriptCount: script.count)
    }

    func exploreReply(_ request: ExploreRequest, text: String) -> Reply {
        guard case .save(let path, let replacing) = request, let contents = counterexampleScript else { return Reply(text) }
        return Reply(text, effect: .writing(path, contents, replacing: replacing))
    }

    /// What a command stopped between two steps says: the invariants it broke on the way
    /// and one line on how far it got. `log` shows everything else it did.
    /// `outgrew`: the memory the world held when the ceiling, not Ctrl-C, stopped the command.
    func interruption(after steps: Int, in world: World, traceStart: Int, outgrew: MemoryCeiling.Excess? = nil) -> Interrupted {
        guard steps > 0 else { return Interrupted(steps: 0, text: "interrupted before the first step; nothing changed") }
        let views = Views(world, style: style)
        let broken = world.trace.invariantEntries(from: traceStart)
        let orders = world.orders.orders
        let pending = orders.reduce(0) { $1.status == .pending ? $0 + 1 : $0 }
        let left = orders.isEmpty ? "no orders placed" : "\(pending) of \(orders.count) order\(orders.count == 1 ? "" : "s") PENDING"
        var line = "interrupted after \(steps) step\(steps == 1 ? "" : "s"); now \(VirtualTime.stamp(world.now)); \(left)"
        if let outgrew { line = Session.outgrewText(outgrew, after: "\(steps) step\(steps == 1 ? "" : "s")") + "; \(left)" }
        let text = style.paint(TextWrap.wrap(line, width: style.proseWidth, hanging: "  "), .yellow)
        return Interrupted(steps: steps, text: broken.isEmpty ? text : views.lines(broken) + "\n" + text)
    }

    /// The lines of what a command's steps did, drawn until Ctrl-C. A run of a million
    /// orders writes millions of lines, and drawing them takes longer than the steps did:
    /// stopped there, the steps stay taken (the command is kept whole: it finished) and
    /// the reply gives the invariants they broke, `ending` (what the command says last)
    /// and where the lines can be read.
    func drawn(_ entries: some Sequence<TraceEntry>, of world: World, traceStart: Int, steps: Int, ending: String,
               watch: CommandWatch) throws -> String {
        let traceLines = TraceLines(style: style)
        // The lines take memory too, about two thirds of what the world's rows took.
        var outgrew: MemoryCeiling.Excess?
        let stop = {
            if watch.shouldStop() { return true }
            outgrew = watch.memory?.check()
            return outgrew != nil
        }
        do {
            return try traceLines.lines(entries, until: stop, interruption: Interrupted(steps: steps, text: ""))
        } catch is Interrupted {
            let broken = world.trace.invariantEntries(from: traceStart)
            let lines = "\(world.trace.count - traceStart) lines of what happened are not shown"
            let stopped = (outgrew.map { "The \(lines): drawn, they would outgrow the \(Views.bytes($0.limit)) this machine can safely give the lab" }
                ?? "Ctrl-C: the \(lines)") + "; `log` shows them, narrowed to an order, services or a time (`help log`)"
            let text = (broken.isEmpty ? [] : [traceLines.lines(broken)]) + [ending, style.paint(stopped, .yellow)]
            throw Interrupted(steps: steps, text: text.joined(separator: "\n"), finished: true)
        }
    }

    func show(_ topic: ShowTopic, _ views: Views) throws -> String {
        switch topic {
        case .orders: return views.orders()
        case .order(let id): return try views.order(id)
        case .saga(let id): return try views.saga(id)
        case .outbox(let service): return views.outbox(service)
        case .stock: return views.stock()
        case .payments: return views.payments()
        case .points: return views.points()
        case .analytics: return views.analytics()
        case .processed(let service): return views.processed(service)
        case .events: return views.events()
        case .rules: return views.rules()
        case .metrics: return views.metrics()
        case .alarms: return views.alarms()
        case .settings: return views.settings()
        case .faults: return views.faults()
        case .execution(let id): return try views.execution(id)
        case .sagaDefinition: return views.sagaDefinition()
        case .idempotency: return views.idempotencyKeys()
        case .dlq(let service): return views.deadLetters(service)
        case .pending: return views.pending()
        case .sagas(let only): return views.sagas(only)
        case .recipe(let service): return views.recipes(service)
        case .consumers: return views.consumers()
        case .fence: return views.fence()
        case .eventStore(let filter): return try views.eventStore(filter)
        case .publishers: return views.publishers()
        }
    }
}

/// Thrown by a long command that the host's watch stopped: the whole steps it took (its
/// world is kept when there are any) and what to tell the learner.
extension Session {
    /// The line that says the memory ceiling stopped a command after `done` (`1200 steps`).
    static func outgrewText(_ excess: MemoryCeiling.Excess, after done: String) -> String {
        "stopped after \(done): the lab grew to \(Views.bytes(excess.inUse)), past the \(Views.bytes(excess.limit)) "
            + "this machine can safely give it"
    }
}

struct Interrupted: Error {
    var steps: Int
    var text: String
    /// The command that did what was done before the stop, for `save` (nil: as `step N`).
    var recorded: String? = nil
    /// The command did all it was asked; only showing what it did was stopped. It is kept
    /// as typed.
    var finished = false
}
