/// A state's identity for the explorer's visited set.
///
/// Two worlds reached by different schedules are the same state when they would behave
/// the same from here on. The trace (what happened on the way), the invariants already
/// announced and the agenda's sequence numbers (the order things were scheduled in, which
/// the explorer overrides anyway) do not count, nor the order of the rows of tables no
/// behaviour reads in order (`Digest`). Neither do the times messages are due:
/// the explorer delivers them in every order, and a picked message arrives at once. A
/// message held back past every latency (by the `delay` fault, or a redelivery) is the
/// exception: when it is due decides which timers and polls may come first, so it counts. The
/// seeded generator's state counts only when it decides something (a failure percentage
/// or a retry's jitter); otherwise it draws nothing but those latencies. Nor do the
/// counts the lab keeps for the learner to read and no behaviour reads: how many messages
/// were sent, how often an event was published, when an outbox row was marked published and
/// how often it was sent, how many deliveries were handled before.
/// Like TLC's fingerprints, a 64-bit hash stands for the state within one process.
extension World {
    /// The stored properties a schedule never changes: settings, patterns, wiring and
    /// policies. Every state of one exploration shares them, so the fingerprint skips
    /// them; a test keeps this list and `fingerprint` in step with `World`'s properties.
    static let fixedDuringExploration: Set<String> = [
        "seed", "settings", "patterns", "flow", "mode", "retryPolicies", "slowness", "rules", "catalog", "rollback",
        "publishers",
    ]
    /// The stored properties that are history or derived, never part of a state. The event
    /// store counts as history here: only `rebuild` reads it, and the explorer never
    /// rebuilds, so two worlds that stored the same events in another order behave alike.
    /// The details events carry follow from `orders` too: each order's are kept with its
    /// first event, from the same customer and items as its row.
    /// `messagesSent` is a count that `compare` shows and no behaviour reads. `routes` is
    /// the routing rules by event, made from `rules` whenever they change.
    static let notState: Set<String> = ["trace", "brokenInvariants", "publishedSlot", "timers", "eventStore", "orderDetails",
                                        "messagesSent", "routes"]

    public var fingerprint: Int { Digest(of: self).fingerprint }

    /// The properties `fingerprint` combines, by name: `Digest.update` hashes each one.
    static let fingerprinted: Set<String> = [
        "rng", "now", "agenda", "nodes", "orders", "inventory", "payment", "rewards",
        "analytics", "published", "parked", "armedCrashes", "armedMessageFaults", "failures",
        "applications", "ids",
    ]

    /// Whether the seeded generator decides anything but message latencies.
    var drawsChances: Bool {
        let failing = failures.contains { if case .percent = $0 { return true } else { return false } }
        let throwing = nodes.contains { if case .percent = $0.handlerError { return true } else { return false } }
        // Asked in every state a search reaches: no policy set (the usual case) is no jitter.
        let jitter = !retryPolicies.isEmpty && SagaTask.steps.contains { retryPolicy($0).jitter == .full }
        return failing || throwing || jitter
    }
}

extension Agenda {
    /// A hash of the waiting items that ignores their order, their sequence numbers and,
    /// for messages and handler stages due by `soon`, when they are due: the sum of one
    /// term per item.
    func contentHash(soon: Millis) -> Int { contentHashAndNewest(soon: soon).hash }

    /// `contentHash`, and the highest sequence number of the items waiting.
    func contentHashAndNewest(soon: Millis) -> (hash: Int, newest: Int) {
        var sum = 0
        var newest = Int.min
        forEachUnordered { item in
            sum &+= Agenda.term(item, soon: soon)
            newest = Swift.max(newest, item.sequence)
        }
        return (sum, newest)
    }

    /// The same, from `old`, the hash of `parent` (this agenda's before a step) with the
    /// same `soon`, and `parentNewest`, the highest sequence number among its items: only
    /// the items the step took out or put in are hashed. `taken`, if given, is an item of
    /// `parent` the step took out: when it is the only one, `parent` is not walked.
    ///
    /// An item never changes once scheduled, and its sequence number names it: the items
    /// put in hold numbers above every item of `parent`, and the others are `parent`'s
    /// items with the same numbers.
    func contentHash(soon: Millis, was old: Int, before parent: Agenda, parentNewest: Int,
                     taken: Item? = nil) -> (hash: Int, newest: Int) {
        var sum = old
        var newest = Int.min
        withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { kept in
            var keptCount = 0
            forEachUnordered { item in
                newest = Swift.max(newest, item.sequence)
                if item.sequence > parentNewest {
                    sum &+= Agenda.term(item, soon: soon)
                } else {
                    kept[keptCount] = item.sequence
                    keptCount += 1
                }
            }
            guard keptCount < parent.count else { return }
            var sorted = UnsafeMutableBufferPointer(rebasing: kept[..<keptCount])
            sorted.sort()
            if let taken, keptCount == parent.count - 1, !sorted.contains(sortedSequence: taken.sequence) {
                sum &-= Agenda.term(taken, soon: soon)
                return
            }
            parent.forEachUnordered { item in
                if !sorted.contains(sortedSequence: item.sequence) { sum &-= Agenda.term(item, soon: soon) }
            }
        }
        assert(sum == contentHash(soon: soon), "an agenda item changed in place")
        return (sum, newest)
    }

    /// One item's term in `contentHash`.
    @inline(__always)
    private static func term(_ item: Item, soon: Millis) -> Int {
        var hasher = DigestHasher(seed: 0)
        if !item.action.isUntimed || item.time > soon {
            hasher.combineWord(1)
            hasher.combineWord(UInt64(bitPattern: Int64(item.time)))
        }
        item.action.digest(into: &hasher)
        return hasher.value
    }
}

extension UnsafeMutableBufferPointer<Int> {
    /// Whether `value` is among these numbers, sorted in ascending order: a binary search.
    fileprivate func contains(sortedSequence value: Int) -> Bool {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == value
    }
}

extension Agenda.Action {
    /// An event delivery, an orchestrator's call or its answer (something the network
    /// carries, which may arrive in any order), or a handler's next stage: nothing but a
    /// latency sets when it happens, and no timer waits for it.
    public var isUntimed: Bool {
        switch self {
        case .deliver, .call, .reply, .stage: return true
        case .poll, .timer, .report: return false
        }
    }
}
