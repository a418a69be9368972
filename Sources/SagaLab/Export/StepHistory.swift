/// The databases at each step of a run, for the page's slider.
///
/// The world keeps its trace, not its past states, so the history is recorded by playing
/// the session's script again from its seed, one step at a time: `step N`, `run` and
/// `advance` are stopped by a watch after every step and resumed, exactly as Ctrl-C and
/// the progress line stop and resume them, so the replay passes through every state the
/// session did. A counterexample's schedule is then performed action by action on top.
/// The replay stops once it has recorded `ExportLimits.entries` trace entries, and is kept
/// only if it wrote the same trace as the run it stands for; otherwise the history is one
/// step holding the final state.
public struct StepHistory: Sendable {
    /// One step: the trace entries it wrote and every database after it.
    public struct Step: Sendable {
        public var entries: Range<Int>
        public var time: Millis
        /// `DatabaseState.lines`, one array per service.
        public var state: [[String]]
    }

    /// `steps[0]` is the start, before the first entry; each later step wrote entries.
    public private(set) var steps: [Step] = []
    /// False when the run could not be replayed: one step then holds every drawn entry.
    public private(set) var isReplayed = true
    /// Trace entries covered: at most `limit`.
    public private(set) var recorded = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// One step that holds the first `limit` entries of `world`'s trace and its final state.
    static func final(_ world: World, limit: Int) -> StepHistory {
        var history = StepHistory(limit: limit)
        history.isReplayed = false
        history.steps = [Step(entries: 0..<0, time: 0, state: DatabaseState.lines(world))]
        let count = min(world.trace.count, limit)
        if count > 0 { history.steps.append(Step(entries: 0..<count, time: world.now, state: DatabaseState.lines(world))) }
        history.recorded = count
        return history
    }

    var isFull: Bool { recorded >= limit }

    /// The step that wrote entry `index`.
    public func step(of index: Int) -> Int? {
        var low = 0
        var high = steps.count
        while low < high {
            let mid = (low + high) / 2
            if steps[mid].entries.upperBound <= index { low = mid + 1 } else { high = mid }
        }
        return low < steps.count && steps[low].entries.contains(index) ? low : nil
    }

    mutating func start(_ world: World) {
        recorded = min(world.trace.count, limit)
        steps = [Step(entries: recorded..<recorded, time: world.now, state: DatabaseState.lines(world))]
    }

    /// Records what `world` wrote since the last note as one step. A trace that shrank
    /// (`reset`, `seed N`) starts the history again; one that did not grow only updates the
    /// state of the last step, as a command that writes nothing can still change a table.
    mutating func note(_ world: World) {
        let count = world.trace.count
        if count < recorded || steps.isEmpty {
            start(world)
            return
        }
        guard !isFull else { return }
        guard count > recorded else {
            steps[steps.count - 1].state = DatabaseState.lines(world)
            return
        }
        let end = min(count, limit)
        steps.append(Step(entries: recorded..<end, time: world.now, state: DatabaseState.lines(world)))
        recorded = end
    }

    // MARK: - Replaying

    /// A watch that lets a long command take one step, then stops it.
    static func oneStep() -> CommandWatch {
        final class Count: @unchecked Sendable { var asked = 0 }
        let count = Count()
        return CommandWatch(shouldStop: {
            count.asked += 1
            return count.asked > 1
        })
    }

    /// Plays `script` from `seed`, recording every step. Returns the session as the replay
    /// left it, or nil when a command the session had accepted was rejected. Asks
    /// `shouldStop` before each command and each step, and throws `Interrupted` when told to.
    mutating func replay(_ script: some Sequence<String>, seed: UInt64, until shouldStop: @escaping () -> Bool) throws -> Session? {
        var session = Session(seed: seed)
        start(session.world)
        for line in script {
            if isFull { break }
            if shouldStop() { throw Interrupted.export }
            guard case .command(let command) = CommandParser.parse(line) else { return nil }
            switch command {
            case .help, .show, .trace, .log, .check, .compare, .explore, .export, .save, .quit:
                // Nothing here changes the world; `compare` and `explore` only cost time.
                continue
            case .step(let n):
                var left = n
                while left > 0, !isFull {
                    if shouldStop() { throw Interrupted.export }
                    let reply = session.execute(.step(left), line: line, watch: StepHistory.oneStep())
                    note(session.world)
                    if reply.isError { return nil }
                    guard reply.isInterrupted else { break }
                    left -= 1
                }
            case .run(let quiet):
                while !isFull {
                    if shouldStop() { throw Interrupted.export }
                    let reply = session.execute(.run(quiet: quiet), line: line, watch: StepHistory.oneStep())
                    note(session.world)
                    guard reply.isInterrupted else { break }
                }
            case .advance(let duration):
                let target = session.world.now + duration
                while !isFull {
                    if shouldStop() { throw Interrupted.export }
                    let reply = session.execute(.advance(target - session.world.now), line: line, watch: StepHistory.oneStep())
                    note(session.world)
                    guard reply.isInterrupted else { break }
                }
            default:
                let reply = session.execute(command, line: line, watch: CommandWatch(shouldStop: shouldStop))
                if reply.isInterrupted { throw Interrupted.export }
                note(session.world)
                if reply.isError { return nil }
            }
        }
        return session
    }

    /// Performs `actions` on `world` (a counterexample's schedule and its healing), one
    /// step at a time: a `run` is taken step by step as `replay` takes one.
    mutating func perform(_ actions: [ScheduleAction], on world: inout World) {
        for action in actions {
            if isFull { return }
            guard action == .run else {
                world.perform(action)
                note(world)
                continue
            }
            while !isFull {
                var asked = 0
                world.run(until: {
                    asked += 1
                    return asked > 1
                })
                note(world)
                if asked <= 1 { break }
            }
        }
    }
}
