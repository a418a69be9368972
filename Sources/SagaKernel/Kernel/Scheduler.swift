/// Moving the world forward: one agenda item at a time, in (time, sequence) order.
///
/// Publisher polls that find nothing to do run silently and do not count as a step,
/// so `step` always shows something happening and `run` stops when only idle polls remain.
extension World {
    /// Whether anything would happen if time moved on: a delivery is scheduled, or a
    /// running, connected publisher has unpublished rows. Inlined, as every small
    /// question the kernel asks itself in a step is: a call of a non-mutating method from
    /// a mutating one copies the whole world first.
    @inline(__always)
    public var hasWork: Bool {
        agenda.hasWork || !pollsAreIdle
    }

    /// Whether an agenda item can still move `order` on: a delivery about it, a call or
    /// answer of its saga, or one of its execution's timers.
    public func concerns(_ action: Agenda.Action, order: OrderId) -> Bool {
        switch action {
        case .deliver(let delivery): return delivery.event.orderId == order
        case .call(let call): return call.order.orderId == order
        case .reply(let reply): return reply.call.order.orderId == order
        case .timer(let timer): return orders.execution(timer.executionId)?.orderId == order
        case .stage(let run): return run.orderId == order
        case .poll, .report: return false
        }
    }

    /// Why nothing is happening, for `step` and `run` to tell the learner.
    public var idleReason: String {
        var waiting: [String] = []
        for service in ServiceName.allCases {
            let node = node(service)
            // Held by the bus, or in the consumer's queue: a consumer cut off takes none.
            let held = node.isReachable ? 0 : parked.filter { $0.target == service }.count + node.queue.count
            let rows = node.publisherReachable ? 0 : node.outbox.unpublishedCount
            let deliveries = "\(held) deliver\(held == 1 ? "y" : "ies") waiting"
            let unpublished = "\(rows) unpublished outbox row\(rows == 1 ? "" : "s")"
            let state = node.isUp ? "partitioned" : "down"
            if publishers == .ownProcess && rows > 0 {
                // The publisher is a process of its own: its state is told apart from its service's.
                if held > 0 { waiting.append("\(service.rawValue) is \(state) with \(deliveries)") }
                waiting.append("\(service.publisherName) is \(node.publisherUp ? "partitioned" : "down") with \(unpublished)")
                continue
            }
            guard held > 0 || rows > 0 else { continue }
            var what: [String] = []
            if held > 0 { what.append(deliveries) }
            if rows > 0 { what.append(unpublished) }
            waiting.append("\(service.rawValue) is \(state) with \(what.joined(separator: " and "))")
        }
        return (waiting.isEmpty ? "nothing left to do" : "nothing can happen: " + waiting.joined(separator: "; ")) + deadLetterNote
    }

    /// Performs agenda items until one of them does something visible. Returns false,
    /// leaving the world unchanged, when there is no work.
    ///
    /// A plain delivery's path through the consumer (taking the item, the stages, the
    /// marks, counts and outbox rows, the trace entries, the publisher's sends) is compiled
    /// into this one function: the small functions it calls a million times a run are
    /// `@inline(__always)`. Called, each cost 15 to 55 instructions more (registers saved
    /// and restored, arguments passed through memory), and the compiler left them called
    /// once their callers had grown past its size limit: some 6 % of a run.
    @discardableResult
    public mutating func step() -> Bool {
        guard hasWork else { return false }
        while let next = agenda.next {
            if next.isPoll, pollsAreIdle, let work = agenda.nextWorkTime, next.time < work {
                skipIdlePolls(before: work)
                continue
            }
            var following: PrefetchHint?
            let item = agenda.take(next, following: &following)
            // Through a pointer: called on `self` from this mutating method, a non-mutating
            // method the compiler does not inline takes a copy of the whole world.
            if let following { withUnsafeMutablePointer(to: &self) { $0.pointee.prefetchRows(for: following) } }
            let before = trace.count
            perform(item)
            if trace.count > before { return true }
        }
        return true
    }

    /// Steps until nothing is left to do, however long that takes, or until `shouldStop`,
    /// asked before each step, says to stop: the world is then exactly as after `step`
    /// that many times. Returns the steps taken.
    @discardableResult
    public mutating func run(until shouldStop: () -> Bool = { false }) -> Int {
        var steps = 0
        while true {
            if shouldStop() { return steps }
            guard step() else { break }
            steps += 1
        }
        announceInvariants()
        return steps
    }

    /// Moves virtual time forward by `duration`, performing everything due on the way.
    /// `shouldStop` is asked before the first step and after each one (a step ends with
    /// an item that does something visible, as in `step`); when it says to stop, time
    /// stays at the last step, exactly as after `step` that many times. Returns the steps taken.
    @discardableResult
    public mutating func advance(by duration: Millis, until shouldStop: () -> Bool = { false }) -> Int {
        let target = now + duration
        var steps = 0
        var betweenSteps = true
        while let first = agenda.first, first.time <= target {
            if betweenSteps, shouldStop() { return steps }
            betweenSteps = false
            if case .poll = first.action, pollsAreIdle {
                skipIdlePolls(before: min(agenda.nextWorkTime ?? target + 1, target + 1))
                if agenda.first?.time == first.time, agenda.first?.sequence == first.sequence {
                    _ = agenda.popFirst()
                    perform(first)
                }
                continue
            }
            _ = agenda.popFirst()
            let before = trace.count
            perform(first)
            if trace.count > before {
                steps += 1
                betweenSteps = true
            }
        }
        now = target
        announceInvariants()
        return steps
    }

    @inline(__always)
    mutating func perform(_ item: __owned Agenda.Item) {
        now = max(now, item.time)
        let before = trace.count
        switch item.action {
        case .deliver(let delivery): handle(delivery)
        case .poll(let service): scheduledPoll(service)
        case .call(let call): receive(call)
        case .reply(let reply): receive(reply)
        case .timer(let timer): fire(timer)
        case .stage(let run): runStage(run)
        case .report: printAnalyticsReport()
        }
        if trace.count > before { announceInvariants() }
    }

    /// True when no running, connected publisher has a row to send, so every poll finds
    /// nothing until a delivery changes some database.
    @inline(__always)
    var pollsAreIdle: Bool {
        !ServiceName.publishers.contains { nodes[$0.index].publisherReachable && nodes[$0.index].outbox.unpublishedCount > 0 }
    }

    /// Moves each poll due before `limit` to its first tick at or after `limit`. Valid only
    /// while `pollsAreIdle` and nothing else is due before `limit`: the skipped polls would
    /// all have found nothing, so the world is exactly as if they had run. This keeps
    /// `advance 30d` instant instead of performing tens of thousands of empty polls.
    mutating func skipIdlePolls(before limit: Millis) {
        let interval = settings.publishInterval
        let due = agenda.removePolls { $0.time < limit }
        for item in due {
            let ticks = (limit - item.time + interval - 1) / interval
            agenda.schedule(item.action, at: item.time + ticks * interval)
        }
    }

    /// Logs every invariant that has just broken; forgets those that hold again. Safety
    /// invariants are judged every time, eventual ones only when the world is quiet. A
    /// trace that keeps no entries (the explorer's) is told that one broke without the
    /// evidence, which nobody would read.
    public mutating func announceInvariants() {
        let quiet = !hasWork
        // The safety invariants read a figure or two, judged in place at every step; the
        // eventual ones, judged once the world is quiet, read whole tables through the world
        // lent as usual (through the pointer, each would load a copy of every table).
        let found = quiet ? Invariants.firstBroken(of: Invariants.all, in: self)
            : withUnsafeMutablePointer(to: &self) { Invariants.firstBrokenSafety(at: UnsafePointer($0)) }
        guard let firstBroken = found else {
            if !brokenInvariants.isEmpty { brokenInvariants.subtract(quiet ? .all : .safety) }
            return
        }
        let judged = quiet ? Invariants.all : Invariants.safety
        for (index, invariant) in judged.enumerated() {
            let place = quiet ? index : Invariants.safetyPlaces[index]
            if index < firstBroken || invariant.holds(in: self) {
                brokenInvariants.remove(place: place)
            } else if !brokenInvariants.contains(place: place) {
                brokenInvariants.insert(place: place)
                let evidence = trace.keepsEntries ? invariant.firstEvidence(in: self) ?? "" : ""
                log(.invariantBroken(title: invariant.title, evidence: evidence), nil)
            }
        }
    }

    /// Reschedules every publisher's poll after the interval changed.
    mutating func reschedulePolls() {
        _ = agenda.removePolls { _ in true }
        for service in ServiceName.publishers {
            agenda.schedule(.poll(service), at: now + settings.publishInterval)
        }
    }
}
