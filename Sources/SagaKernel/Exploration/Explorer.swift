import CPrefetch

/// `explore`: every schedule reachable from a world, breadth first, so that a safety
/// invariant is found broken by a shortest schedule, and any counterexample is found
/// early; each is then shrunk until no action can be taken out.
///
/// Each state is a world. Its successors are the worlds after each pending item (the bus
/// may deliver in any order), each restart or heal, and, while the budget allows, each
/// fault. A visited set of fingerprints keeps every state to one visit; two worlds that
/// differ only in the order of rows no behaviour reads are one state (`World.Digest`). Safety invariants
/// are judged in every state; where nothing is pending any more, the liveness phase heals
/// every fault and runs to quiet, and every invariant is judged there.
///
/// Sleep sets (Godefroid's partial-order reduction) spare it most interleavings that
/// cannot matter: two messages handled by different services, or by one service about
/// two orders that compete for nothing, touch different rows, so once one order of them
/// has been tried the other is not walked again (`World.commute`). Persistent sets spare
/// it the states in between: once the fault budget is spent, a state where one pending
/// item can be taken alone is expanded by that item only, and a batch of deliveries to
/// analytics by its first beside the restarts and the heal, or by one delivery whose place
/// in the batch changes nothing (`World.persistentSet`). With one fault left, a state
/// where a service's work can come only from what waits there is expanded by that work
/// and the faults that touch it (`World.persistentSetWithAFaultLeft`). A service crashed
/// or cut off that only deliveries to sinks wait for comes back once nothing else is left
/// (`World.comesBackLast`), where its restart could fall anywhere among the others' work.
/// With a fault left, analytics' own faults are tried where a batch of deliveries to it
/// begins, not again between them (`World.analyticsFaultsWaitForTheBatch`).
///
/// A search the budget cuts short ends with most of its last states still queued, never
/// to be expanded. The states the budget will likely end the search before wait as their
/// parent's world and their move, and are made only if taken out after all; the rows
/// their moves wrote are not kept meanwhile, and the unmade states from one parent share
/// one copy of its world (`likelyBeyondBudget`).
public struct Explorer: Sendable {
    /// How far the search may go.
    public struct Budget: Hashable, Sendable {
        /// The longest schedule explored, in actions.
        public var depth = 60
        /// The most states generated.
        public var states = 2_000_000
        /// The most faults in one schedule.
        public var faults = 1
        /// Also lose messages for good and hold them past the processed-events TTL.
        public var beyondPromise = false

        public init(depth: Int = 60, states: Int = 2_000_000, faults: Int = 1, beyondPromise: Bool = false) {
            self.depth = depth
            self.states = states
            self.faults = faults
            self.beyondPromise = beyondPromise
        }
    }

    /// How a search ended.
    public enum Ending: Hashable, Sendable {
        /// Every state within the budget's faults was visited and nothing broke.
        case exhausted
        /// The depth or state budget cut the search short; nothing broke before.
        case budgetReached
        /// The host stopped it (Ctrl-C).
        case stopped
        case broken(Counterexample)
    }

    /// What a search found, with its counts.
    public struct Report: Hashable, Sendable {
        /// States reached: the start, and every successor of every state expanded (one
        /// reached again counts again), so never fewer than `distinct`.
        public var explored = 0
        /// Distinct states visited.
        public var distinct = 0
        /// The longest schedule reached.
        public var depth = 0
        public var ending: Ending = .exhausted
        /// The classes of alike orders the search counted up to renaming (`OrderSymmetry`).
        public var alike: [[OrderId]] = []
    }

    public var budget: Budget
    /// Whether states are expanded by a persistent set when one exists, and a service
    /// that only sinks' deliveries wait for comes back last (off only to check that the
    /// reductions lose nothing).
    var reduces = true
    /// Whether two states that differ only in the order of rows no behaviour reads
    /// (`Digest`) are kept apart (on only to check that merging them loses nothing).
    var everyRowInOrder = false
    /// Whether a state and its copy with alike orders swapped count as one state
    /// (`OrderSymmetry`; off only to check that the symmetry loses nothing).
    var symmetric = true
    /// Whether analytics' own faults wait asleep across a batch of its deliveries while a
    /// fault is left (`World.analyticsFaultsWaitForTheBatch`; off only to check that it
    /// loses nothing). `reduces` off turns it off too.
    var analyticsFaultsFirst = true

    /// Which queued states wait unmade, as their parent's world and their move: those the
    /// budget will likely end the search before (`likelyBeyondBudget`); every one or none
    /// only for the tests that check that a state made when it is taken out is the state
    /// it was.
    enum Unmade: Sendable { case likelyBeyondBudget, every, none }
    var unmade = Unmade.likelyBeyondBudget

    public init(budget: Budget = Budget()) { self.budget = budget }

    private struct Frontier {
        /// The state's world; or, while `made` is false, the world of the state it came
        /// from, on which its move (its step's) is made when it is taken out. Kept behind
        /// one reference (an array of exactly one), which the unmade states from one parent
        /// share: a search cut short by its budget leaves hundreds of thousands of them
        /// queued, and each held a kilobyte's copy of its parent, retaining every table.
        var world: [World]
        /// What its successors' fingerprints are made from (`Lineage`).
        var lineage: Lineage
        var depth: Int32
        var faults: Int32
        /// Where the schedule that reached it ends in `steps`.
        var step: Int32
        /// Whether `world` is the state's own (see above).
        var made: Bool
        /// Whether the state it came from could still take a fault: which moves it had.
        var cameWithFaultsLeft: Bool
        /// Actions already covered by a sibling's schedule: not tried from here.
        var sleep: [ScheduleAction]
    }

    /// What a queued state keeps for its successors' fingerprints: its digest, from which
    /// theirs are made; or, where it was named up to its alike orders (`OrderSymmetry`),
    /// what its nodes' tables added to its fingerprint (`SymmetricNodeTerms`), and its
    /// successors make a digest from scratch if they cannot be named so. One or the other:
    /// each is some 170 bytes, and a queue holds a million states.
    private enum Lineage {
        case digest(World.Digest)
        case named(SymmetricNodeTerms)

        var digest: World.Digest? { if case .digest(let digest) = self { return digest } else { return nil } }
        var nodeTerms: SymmetricNodeTerms? { if case .named(let terms) = self { return terms } else { return nil } }
    }

    /// How the search reached a state: the state it came from and the move it made there,
    /// by its place among that state's moves. Eight bytes where the move's action would
    /// take eighty: a search keeps one for every state it queues, millions of them, and
    /// reads them only to write out a counterexample, by playing the moves again.
    private struct Step {
        var parent: Int32
        var move: UInt32
    }

    /// Searches from `root`. `shouldStop` is asked before each state and each of its
    /// moves, and between the steps of settling and shrinking a counterexample; `progress`
    /// is told how far the search got every few hundred states expanded or made.
    public func explore(_ root: World, until shouldStop: () -> Bool = { false },
                        progress: (Report) -> Void = { _ in }) -> Report {
        var report = Report()
        report.explored = 1
        report.distinct = 1
        var start = root
        // The search reads no state's trace: its worlds count their entries and keep none.
        // Nor does any schedule rebuild from the event store.
        start.trace = .countingOnly
        start.eventStore = .keepingNothing
        if let broken = start.brokenSafety {
            report.ending = .broken(Counterexample(broken, in: start, schedule: [], settling: []))
            return report
        }
        var steps: [Step] = []
        let naming = symmetric && !everyRowInOrder ? OrderSymmetry(of: start).map(SymmetricNaming.init) : nil
        report.alike = naming?.symmetry.alike ?? []
        /// A state's key in the visited set: its fingerprint, up to which alike order is
        /// which; and its digest, but for a state named up to its alike orders. `parent` is
        /// the world it came from by taking `taken`, whose digest is `parentDigest`.
        func fingerprint(_ world: World, parent: World, _ parentDigest: World.Digest?,
                         taken: Agenda.Item?) -> (fingerprint: Int, lineage: Lineage) {
            if let naming, let print = world.symmetricFingerprint(naming, parent: parent, taken: taken) {
                return (print, .named(naming.kept))
            }
            let digest = parentDigest?.successor(world, of: parent, taken: taken)
                ?? World.Digest(of: world, everyRowInOrder: everyRowInOrder)
            return (digest.fingerprint, .digest(digest))
        }
        naming?.setParent(nil)
        let (rootPrint, rootLineage) = fingerprint(start, parent: start, nil, taken: nil)
        /// The name an action asleep in the state last fingerprinted is kept by.
        func key(_ action: ScheduleAction) -> Int { naming?.key(of: action) ?? SymmetricNaming.exactKey(of: action) }
        // Each state visited, with the actions asleep there that no visit has tried yet.
        var visited: [Visited: [Int]] = [Visited(rootPrint): []]
        var queue = FrontierQueue<Frontier>()
        queue.append(Frontier(world: [start], lineage: rootLineage, depth: 0, faults: 0, step: -1, made: true,
                              cameWithFaultsLeft: false, sleep: []))
        /// States taken from the queue so far.
        var expanded = 0
        var cut = false
        // What is pending in the state expanded, and its moves: listed into the same two
        // arrays at every state.
        var pending: [Agenda.Item] = []
        var moves: [World.Move] = []

        /// The actions that reached the state `step` names, found by playing its moves again
        /// from the start: the same world offers the same moves in the same order.
        func schedule(to step: Int32) -> [ScheduleAction] {
            var path: [UInt32] = []
            var index = step
            while index >= 0 {
                path.append(steps[Int(index)].move)
                index = steps[Int(index)].parent
            }
            var world = start
            var faults = 0
            var actions: [ScheduleAction] = []
            for place in path.reversed() {
                let move = world.moves(faults: faults < budget.faults, beyondPromise: budget.beyondPromise, sinksBackLast: reduces,
                                       pending: world.pending)[Int(place)]
                actions.append(move.action)
                _ = world.make(move)
                world.trace.removeAll()
                if move.action.isFault { faults += 1 }
            }
            return actions
        }

        while !queue.isEmpty {
            if report.explored >= budget.states {
                cut = true
                break
            }
            // Asked at every state: one state of a world with thousands of orders takes
            // milliseconds, and Ctrl-C should not wait for hundreds of them.
            if shouldStop() {
                report.distinct = visited.count
                report.ending = .stopped
                return report
            }
            if expanded % 256 == 0 {
                report.distinct = visited.count
                progress(report)
            }
            guard var state = queue.removeFirst() else { break }
            Explorer.prefetchAhead(in: queue)
            // Read through a constant from here on: a method called on a variable's world
            // copies the whole world first (a kilobyte, and a retain of each table). A made
            // state's world moves out of its box, which nothing else holds.
            let world: World
            if state.made {
                world = state.world.popLast()!
            } else {
                var parent = state.world[0]
                let move = parent.moves(faults: state.cameWithFaultsLeft, beyondPromise: budget.beyondPromise, sinksBackLast: reduces,
                                        pending: parent.pending)[Int(steps[Int(state.step)].move)]
                _ = parent.make(move)
                parent.trace.removeAll()
                world = parent
            }
            expanded += 1
            // What the successors' fingerprints start from: read once, not once a move (each
            // is a few hundred bytes to copy).
            let parentDigest = state.lineage.digest
            naming?.setParent(state.lineage.nodeTerms)
            // This state's world in a box, once a successor waits unmade: they all share it.
            var shared: [World]?
            let faultsLeft = Int(state.faults) < budget.faults
            world.listPending(into: &pending)
            world.listMoves(into: &moves, faults: faultsLeft, beyondPromise: budget.beyondPromise, sinksBackLast: reduces,
                            pending: pending)
            if !moves.contains(where: { if case .pick = $0.action { return true } else { return false } }) {
                let found: Counterexample.Break?
                do {
                    found = try Counterexample.replay([], on: world, until: shouldStop)
                } catch {
                    report.distinct = visited.count
                    report.ending = .stopped
                    return report
                }
                if let found {
                    let example = Counterexample(found.invariant, in: found.world, schedule: schedule(to: state.step),
                                                 settling: found.settling)
                    report.ending = .broken(example.shrunk(from: root, until: shouldStop))
                    report.distinct = visited.count
                    return report
                }
            }
            guard Int(state.depth) < budget.depth else {
                if !moves.isEmpty { cut = true }
                continue
            }
            // Fewer moves may stand for all (a persistent set).
            var chosen: [World.Move]?
            if reduces && moves.count > 1 {
                if !faultsLeft {
                    chosen = world.persistentSet(among: moves, pending: pending)
                } else if Int(state.faults) + 1 == budget.faults {
                    chosen = world.persistentSetWithAFaultLeft(among: moves, pending: pending)
                }
            }
            var done: [ScheduleAction] = []
            let tried = chosen ?? moves
            // Analytics' own faults stay asleep across a batch of its deliveries
            // (`World.analyticsFaultsWaitForTheBatch`).
            let analyticsFaultsWait = reduces && analyticsFaultsFirst && faultsLeft
                && world.analyticsFaultsWaitForTheBatch(pending: pending)
            func staysAsleep(_ action: ScheduleAction, after move: ScheduleAction) -> Bool {
                world.commute(action, move)
                    || (analyticsFaultsWait && action.isAnalyticsOwnFault && move.deliversToAnalytics)
            }
            for (position, move) in tried.enumerated() {
                if !state.sleep.isEmpty && state.sleep.contains(move.action) { continue }
                // A state of a world with many orders has as many moves as deliveries
                // waiting, each costing a walk of its tables: ask between them too.
                if position > 0 && shouldStop() {
                    report.distinct = visited.count
                    report.ending = .stopped
                    return report
                }
                if report.explored % 256 == 0 {
                    report.distinct = visited.count
                    progress(report)
                }
                var next = world
                guard next.make(move) else { continue }
                next.trace.removeAll()
                report.explored += 1
                report.depth = max(report.depth, Int(state.depth) + 1)
                if let broken = next.brokenSafety {
                    let example = Counterexample(broken, in: next, schedule: schedule(to: state.step) + [move.action], settling: [])
                    report.ending = .broken(example.shrunk(from: root, until: shouldStop))
                    report.distinct = visited.count
                    return report
                }
                // What a sibling already covered, and still commutes with this move, stays asleep.
                var sleep: [ScheduleAction] = []
                for action in state.sleep where staysAsleep(action, after: move.action) { sleep.append(action) }
                for action in done where staysAsleep(action, after: move.action) { sleep.append(action) }
                // The last move's siblings are all tried: no one is left to put it to sleep.
                if move.action.canSleep && position < tried.count - 1 { done.append(move.action) }
                let (print, lineage) = fingerprint(next, parent: world, parentDigest, taken: move.item)
                if let seen = visited.index(forKey: Visited(print)) {
                    // Seen before; walk it again only for the picks its visits skipped.
                    let slept = visited.values[seen]
                    guard !slept.isEmpty else { continue }
                    let keys = sleep.map(key)
                    guard slept.contains(where: { !keys.contains($0) }) else { continue }
                    var asleep: [ScheduleAction] = []
                    var asleepKeys: [Int] = []
                    for (index, action) in sleep.enumerated() where slept.contains(keys[index]) {
                        asleep.append(action)
                        asleepKeys.append(keys[index])
                    }
                    sleep = asleep
                    visited.values[seen] = asleepKeys
                } else {
                    visited[Visited(print)] = sleep.map(key)
                }
                let place = chosen == nil ? position : Explorer.place(of: move, in: moves)
                steps.append(Step(parent: state.step, move: UInt32(place)))
                // A state the budget will likely end the search before waits as its parent's
                // world and its move: a search cut short leaves most of its last states
                // queued, and those keep none of the rows their moves wrote.
                let made = switch unmade {
                case .likelyBeyondBudget: !Explorer.likelyBeyondBudget(queued: queue.count, explored: report.explored,
                                                                       expanded: expanded, budget: budget.states)
                case .every: false
                case .none: true
                }
                let box: [World]
                if made {
                    box = [consume next]
                } else {
                    if shared == nil { shared = [world] }
                    box = shared!
                }
                queue.append(Frontier(world: box, lineage: lineage, depth: state.depth + 1,
                                      faults: state.faults + (move.action.isFault ? 1 : 0), step: Int32(steps.count - 1),
                                      made: made, cameWithFaultsLeft: faultsLeft, sleep: sleep))
            }
        }
        report.distinct = visited.count
        report.ending = cut ? .budgetReached : .exhausted
        return report
    }

    /// A fingerprint as the visited set's key. A fingerprint is already a well-mixed hash,
    /// so the set places it by its own bits (with the table's seed) instead of hashing it
    /// again with SipHash for every state reached.
    private struct Visited: Hashable {
        let fingerprint: Int
        init(_ fingerprint: Int) { self.fingerprint = fingerprint }
        func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }
        func _rawHashValue(seed: Int) -> Int { fingerprint ^ seed }
    }

    /// Whether a state queued behind `queued` others will probably not be expanded: at the
    /// search's branching so far (`explored` states generated by `expanded` expanded), the
    /// states ahead of it would generate what is left of the budget. A guess that decides
    /// only how a state waits; one expanded after all is made then.
    private static func likelyBeyondBudget(queued: Int, explored: Int, expanded: Int, budget: Int) -> Bool {
        queued * explored >= (budget - explored) * Swift.max(1, expanded)
    }

    /// Asks the processor to start loading what the search takes next: the queue entry of
    /// the state three places on, and the world of the state after this one, whose entry
    /// was asked for two states ago. The queue holds up to a gigabyte, each state written
    /// long before it is taken: read cold, moving the entry and then the world out of the
    /// queue took a twelfth of a search of three orders with a fault. A hint only: nothing
    /// is read but the address of the world's box, from an entry already loaded.
    private static func prefetchAhead(in queue: FrontierQueue<Frontier>) {
        queue.withPlace(ahead: 3) { place in
            prefetch(UnsafeRawPointer(place), bytes: MemoryLayout<Frontier?>.size)
        }
        queue.withPlace(ahead: 1) { place in
            // The box is an array of one world: its storage, a header and then the world.
            let box = UnsafeRawPointer(place).load(fromByteOffset: MemoryLayout<Frontier>.offset(of: \.world)!,
                                                   as: UnsafeRawPointer.self)
            prefetch(box, bytes: arrayHeaderBytes + MemoryLayout<World>.size)
        }
    }

    /// What an array's storage holds before its first element on a 64-bit machine: its
    /// class, its reference count, its count and its capacity.
    private static let arrayHeaderBytes = 32

    /// Asks for every cache line (64 bytes) of `bytes` bytes from `start`.
    private static func prefetch(_ start: UnsafeRawPointer, bytes: Int) {
        var line = 0
        while line < bytes {
            sagalab_prefetch(start + line)
            line += 64
        }
    }

    /// Where a move of a persistent set sits among the moves it was chosen from.
    private static func place(of move: World.Move, in moves: [World.Move]) -> Int {
        moves.firstIndex { $0.item?.sequence == move.item?.sequence && $0.action == move.action }!
    }
}
