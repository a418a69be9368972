/// `explore random N`: many random schedules, each from its own seeded generator, each
/// ending with the liveness phase (TigerBeetle's VOPR works this way).
///
/// Where the breadth-first search is exhaustive but shallow, the swarm goes deep: each
/// schedule picks a random pending item at every step, now and then injects a random
/// fault or brings a crashed service back, and runs until nothing is pending.
public struct Swarm: Sendable {
    /// How many schedules to play.
    public var schedules: Int
    /// The longest schedule and the most faults in one; `states` is not used.
    public var budget: Explorer.Budget

    public init(schedules: Int, budget: Explorer.Budget = Explorer.Budget(depth: 400, faults: 2)) {
        self.schedules = schedules
        self.budget = budget
    }

    public enum Ending: Hashable, Sendable {
        /// Every schedule kept every invariant.
        case held
        /// The host stopped it (Ctrl-C).
        case stopped
        /// Schedule `number` (from 1) broke an invariant.
        case broken(Counterexample, number: Int)
    }

    public struct Report: Hashable, Sendable {
        /// Schedules played to their end.
        public var played = 0
        /// Actions performed over all of them.
        public var actions = 0
        public var ending: Ending = .held
    }

    /// The generator of schedule `number`: derived from the world's seed, so the same world
    /// always plays the same schedules.
    static func generator(for root: World, number: Int) -> SeededGenerator {
        var mixer = SeededGenerator(seed: root.seed ^ 0x5357_4152_4D00_0000 ^ UInt64(number))
        return SeededGenerator(seed: mixer.next())
    }

    /// Plays the schedules from `root`; `progress` is told how far it got before each one,
    /// and `shouldStop` is asked before each action and between the steps of settling and
    /// shrinking. Stopped, the report counts the schedules played to their end.
    public func play(from root: World, until shouldStop: () -> Bool = { false },
                     progress: (Report) -> Void = { _ in }) -> Report {
        var report = Report()
        for number in 1...max(1, schedules) {
            if shouldStop() {
                report.ending = .stopped
                return report
            }
            progress(report)
            var rng = Swarm.generator(for: root, number: number)
            var world = root
            world.trace = .countingOnly
            world.eventStore = .keepingNothing
            var schedule: [ScheduleAction] = []
            var faults = 0
            var misses = 0
            while schedule.count < budget.depth && misses < 64 {
                if shouldStop() {
                    report.ending = .stopped
                    return report
                }
                let moves = world.moves(faults: faults < budget.faults, beyondPromise: budget.beyondPromise, sinksBackLast: false)
                let picks = moves.filter { if case .pick = $0.action { return true } else { return false } }
                let repairs = moves.filter { $0.action == .heal || $0.action.isRestart }
                let injections = moves.filter(\.action.isFault)
                let move: World.Move
                if !injections.isEmpty, rng.chance(percent: 8) {
                    move = injections[rng.int(in: 0...injections.count - 1)]
                } else if !repairs.isEmpty, picks.isEmpty || rng.chance(percent: 20) {
                    move = repairs[rng.int(in: 0...repairs.count - 1)]
                } else if !picks.isEmpty {
                    move = picks[rng.int(in: 0...picks.count - 1)]
                } else {
                    break
                }
                guard world.make(move) else {
                    misses += 1
                    continue
                }
                world.trace.removeAll()
                schedule.append(move.action)
                report.actions += 1
                if move.action.isFault { faults += 1 }
                if let broken = world.brokenSafety {
                    let example = Counterexample(broken, in: world, schedule: schedule, settling: [])
                    report.ending = .broken(example.shrunk(from: root, until: shouldStop), number: number)
                    report.played += 1
                    return report
                }
            }
            let found: Counterexample.Break?
            do {
                found = try Counterexample.replay([], on: world, until: shouldStop)
            } catch {
                report.ending = .stopped
                return report
            }
            report.played += 1
            if let found {
                let example = Counterexample(found.invariant, in: found.world, schedule: schedule, settling: found.settling)
                report.ending = .broken(example.shrunk(from: root, until: shouldStop), number: number)
                return report
            }
        }
        return report
    }
}
