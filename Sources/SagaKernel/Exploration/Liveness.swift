/// The end of every explored schedule: every fault is healed and the world runs until
/// nothing is left to do, so that the eventual invariants can be judged.
///
/// TigerBeetle's simulator calls this switching to liveness mode: while faults are
/// active nothing has to converge; once they are gone, everything must. Healing here is
/// what the shop's operators would do: restart what crashed, end the partitions, and send
/// every dead letter back once its cause is gone, since a saga step or compensation that
/// failed for good waits for exactly that.
extension World {
    /// Heals every partition, restarts every crashed service and publisher and runs to quiet; then sends
    /// the dead letters back and runs again, twice at most: a letter that fails again has
    /// a cause no healing removed (a handler set to fail always). Returns what it did, as
    /// a schedule.
    @discardableResult
    public mutating func settle() -> [ScheduleAction] {
        settle(until: { false })!
    }

    /// `settle()`, asking `shouldStop` between steps of its runs: nil, the world left
    /// part way, when it says stop. The world of a search with a million orders waiting
    /// takes seconds to settle, and Ctrl-C must not wait for it.
    public mutating func settle(until shouldStop: () -> Bool) -> [ScheduleAction]? {
        var stopped = false
        func runToEnd() -> Bool {
            _ = run(until: {
                stopped = stopped || shouldStop()
                return stopped
            })
            return !stopped
        }
        var done: [ScheduleAction] = []
        var redrives = 0
        for _ in 0...CrashPoint.allCases.count * ServiceName.allCases.count {
            if ServiceName.allCases.contains(where: { node($0).isPartitioned }) {
                perform(.heal)
                done.append(.heal)
            }
            for service in ServiceName.allCases where !node(service).isUp {
                perform(.restart(service))
                done.append(.restart(service))
            }
            for service in ServiceName.publishers where publishers == .ownProcess && !node(service).publisherUp {
                perform(.restartPublisher(service))
                done.append(.restartPublisher(service))
            }
            guard runToEnd() else { return nil }
            done.append(.run)
            guard ServiceName.allCases.allSatisfy({ node($0).isReachable && node($0).publisherReachable }) else { continue }
            let letters = ServiceName.allCases.filter { !node($0).deadLetters.isEmpty }
            guard !letters.isEmpty, redrives < 2 else { break }
            redrives += 1
            for service in letters {
                perform(.redrive(service))
                done.append(.redrive(service))
            }
            guard runToEnd() else { return nil }
            done.append(.run)
            if ServiceName.allCases.allSatisfy({ node($0).deadLetters.isEmpty && node($0).isReachable }) { break }
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
