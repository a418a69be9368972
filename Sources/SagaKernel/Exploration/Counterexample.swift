/// A schedule that breaks an invariant, found by `explore`.
public struct Counterexample: Hashable, Sendable {
    /// The invariant that broke, and the first line of its evidence.
    public var invariantId: String
    public var title: String
    public var evidence: String
    /// What was done, from the explored world, up to the break.
    public var schedule: [ScheduleAction]
    /// The liveness phase that followed, when the break needed it: its restarts, heal
    /// and run. Empty when a safety invariant broke during `schedule`.
    public var settling: [ScheduleAction]

    /// What in the world's set-up made it break, where no pattern could have helped.
    public var causes: [BreakCause]

    /// Whether no single action can be left out of `schedule` with the invariant still
    /// breaking. False when Ctrl-C stopped the shrinking: the schedule still breaks it.
    public var isMinimal = true

    /// The faults in it that the bus promises never to commit.
    public var promisesBroken: [ScheduleAction] { schedule.filter(\.breaksPromise) }

    /// What a replay of a schedule broke.
    struct Break {
        var invariant: any Invariant
        var world: World
        var settling: [ScheduleAction]
    }

    /// Replays `schedule` on `world`, judging the safety invariants after every action,
    /// then settles it and judges them all. Nil when the schedule cannot be performed
    /// there or breaks nothing.
    static func replay(_ schedule: [ScheduleAction], on world: World) -> Break? {
        try! replay(schedule, on: world, until: { false })
    }

    /// Told by a replay that `shouldStop` said stop before it could judge.
    struct Stopped: Error {}

    /// `replay`, asking `shouldStop` between the steps of its settling, the long part
    /// in a large world; throws `Stopped` when it says stop.
    static func replay(_ schedule: [ScheduleAction], on world: World, until shouldStop: () -> Bool) throws -> Break? {
        var world = world
        world.trace = []
        for action in schedule {
            guard world.perform(action) else { return nil }
            if let broken = world.brokenSafety { return Break(invariant: broken, world: world, settling: []) }
        }
        let start = world.trace.count
        guard let settling = world.settle(until: shouldStop) else { throw Stopped() }
        if let broken = world.firstBroken ?? world.announcedBroken(since: start) {
            return Break(invariant: broken, world: world, settling: settling)
        }
        return nil
    }

    /// The same counterexample with every action taken out that it does not need: runs of
    /// actions, halving in length, then single ones, are deleted while the same invariant
    /// still breaks, until no single deletion keeps it (DSLabs minimises its traces this
    /// way; the halving is delta debugging's).
    func shrunk(from world: World) -> Counterexample {
        shrunk(from: world, until: { false })
    }

    /// `shrunk(from:)`, asking `shouldStop` as it replays. Stopped, it gives the shortest
    /// schedule found so far that still breaks the invariant, marked as not minimal.
    func shrunk(from world: World, until shouldStop: () -> Bool) -> Counterexample {
        var schedule = self.schedule
        var best: Break?
        var chunk = max(1, schedule.count / 2)
        // Whether every deletion was tried: only the replay of the result was left.
        var triedAll = false
        do {
            while true {
                var removedAny = false
                var start = schedule.count - chunk
                while start + chunk > 0 {
                    let range = max(0, start)..<min(schedule.count, start + chunk)
                    if !range.isEmpty {
                        var shorter = schedule
                        shorter.removeSubrange(range)
                        if let found = try Counterexample.replay(shorter, on: world, until: shouldStop),
                           found.invariant.id == invariantId {
                            schedule = shorter
                            best = found
                            removedAny = true
                        }
                    }
                    start -= chunk
                }
                if chunk == 1 && !removedAny { break }
                if !removedAny || chunk > 1 { chunk = max(1, chunk / 2) }
            }
            triedAll = true
            guard let found = try Counterexample.replay(schedule, on: world, until: shouldStop) else { return self }
            return Counterexample(found.invariant, in: found.world, schedule: schedule, settling: found.settling)
        } catch {
            var example = self
            if let best { example = Counterexample(best.invariant, in: best.world, schedule: schedule, settling: best.settling) }
            example.isMinimal = triedAll || schedule.isEmpty
            return example
        }
    }

    init(_ invariant: any Invariant, in world: World, schedule: [ScheduleAction], settling: [ScheduleAction]) {
        invariantId = invariant.id
        title = invariant.title
        evidence = invariant.evidence(in: world).first ?? ""
        self.schedule = schedule
        self.settling = settling
        // A message held past the TTL is the schedule's doing, and its note says so already.
        let heldPastTTL = schedule.contains { if case .delay = $0, $0.breaksPromise { return true } else { return false } }
        causes = world.breakCauses().filter { if case .markExpired = $0 { return !heldPastTTL } else { return true } }
    }
}

extension World {
    /// The first safety invariant that does not hold.
    public var brokenSafety: (any Invariant)? {
        Invariants.firstBroken(of: Invariants.safety, in: self).map { Invariants.safety[$0] }
    }

    /// A safety invariant the trace announced as broken since entry `start`, even if it
    /// holds again. (An eventual one may be false on the way; only the end judges it.)
    func announcedBroken(since start: Int) -> (any Invariant)? {
        for entry in trace[start...] {
            if case .invariantBroken(let title, _) = entry.what,
               let invariant = Invariants.safety.first(where: { $0.title == title }) {
                return invariant
            }
        }
        return nil
    }
}
