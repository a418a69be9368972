/// The end of every explored schedule: every fault is healed and the world runs until
/// nothing is left to do, so that the eventual invariants can be judged.
///
/// TigerBeetle's simulator calls this switching to liveness mode: while faults are
/// active nothing has to converge; once they are gone, everything must.
extension World {
    /// Heals every partition, restarts every crashed service and runs to quiet, again
    /// while a crash armed earlier fires on the way. Returns what it did, as a schedule.
    @discardableResult
    public mutating func settle() -> [ScheduleAction] {
        var done: [ScheduleAction] = []
        for _ in 0...CrashPoint.allCases.count * ServiceName.allCases.count {
            if ServiceName.allCases.contains(where: { node($0).isPartitioned }) {
                perform(.heal)
                done.append(.heal)
            }
            for service in ServiceName.allCases where !node(service).isUp {
                perform(.restart(service))
                done.append(.restart(service))
            }
            perform(.run)
            done.append(.run)
            if ServiceName.allCases.allSatisfy({ node($0).isReachable }) { break }
        }
        return done
    }

    /// The first invariant that does not hold: a safety one at any moment, any one once
    /// the world is quiet.
    public var firstBroken: (any Invariant)? {
        let judged = hasWork ? Invariants.safety : Invariants.all
        return judged.first { !$0.holds(in: self) }
    }
}
