/// The lab's own instrument, outside every service: how often each consumer changed
/// business state for each event (or each orchestrator call, by its token). The
/// once-per-event invariant reads it; no service can see it. It counts the applications the
/// service's current state holds: a `rebuild` replaces a projection's counts with the
/// replay's, since the state the earlier ones built was thrown away.
///
/// Counts for events sit in one array indexed by the event's number and then the service
/// (one row of five counts per event), since event ids are handed out in sequence: one
/// buffer to copy when a snapshot changes, and an event's counts side by side. The few
/// call tokens sit in a dictionary.
public struct Applications: Hashable, Sendable {
    /// One consumer's changes for one event or call.
    public struct Key: Hashable, Sendable {
        public var service: ServiceName
        /// An event (`evt-3`) or a call's token (`ord-1:process-payment`).
        public var id: ProcessedKey
    }

    /// Counts per event number, then per service: at `number * services + service.index`.
    private var perEvent: [UInt32] = []
    private static let services = ServiceName.allCases.count
    private var perToken: [Key: Int] = [:]
    /// How many keys are counted more than once, kept as the counts change: the
    /// once-per-event invariant holds while none is, and asks after every step. (A number,
    /// not the set of keys: a world holds no reference for it, and the counts name them.)
    public private(set) var countedMoreThanOnce = 0

    public init() {}

    /// How often `service` changed business state for `id`.
    public func count(_ service: ServiceName, _ id: ProcessedKey) -> Int {
        guard case .event(let event) = id else { return perToken[Key(service: service, id: id)] ?? 0 }
        let slot = Int(event.number) * Applications.services + service.index
        return slot < perEvent.count ? Int(perEvent[slot]) : 0
    }

    /// Hints at the count `add` will change for `event` at `service` (`World.prefetchRows`).
    @inline(__always)
    func prefetch(_ service: ServiceName, _ event: EventId) {
        perEvent.prefetch(Int(event.number) * Applications.services + service.index)
    }

    /// Makes room for the counts of events numbered up to `lastEvent`.
    mutating func makeRoom(lastEvent: Int) {
        perEvent.reserveCapacity((lastEvent + 1) * Applications.services)
    }

    mutating func add(_ service: ServiceName, _ id: ProcessedKey) {
        let total: Int
        if case .event(let event) = id {
            let slot = Int(event.number) * Applications.services + service.index
            // Room for the next event's counts too, in the copy a shared table gets.
            if slot >= perEvent.count - Applications.services { perEvent.makeRoom(for: 2 * Applications.services) }
            perEvent.grow(toInclude: slot, with: 0)
            perEvent[slot] += 1
            total = Int(perEvent[slot])
        } else {
            let key = Key(service: service, id: id)
            perToken[key, default: 0] += 1
            total = perToken[key] ?? 0
        }
        if total == 2 { countedMoreThanOnce += 1 }
    }

    /// Forgets every count `service` holds for events: `rebuild` threw away the state those
    /// applications built, and counts the replay's own instead. Counts for calls stay.
    mutating func forgetEvents(of service: ServiceName) {
        for slot in stride(from: service.index, to: perEvent.count, by: Applications.services) {
            if perEvent[slot] > 1 { countedMoreThanOnce -= 1 }
            perEvent[slot] = 0
        }
    }

    /// The counts of `service` for events, by event number, and the counts for calls: what
    /// the explorer's fingerprint hashes, a service's counts apart from the others'.
    var eventCounts: [UInt32] { perEvent }
    var callCounts: [Key: Int] { perToken }

    /// The keys counted more than once, read from the counts.
    public var moreThanOnce: [Key] { all.filter { $0.count > 1 }.map(\.key) }

    /// Every count, read from scratch: what the reference invariant checks.
    public var all: [(key: Key, count: Int)] {
        var out: [(key: Key, count: Int)] = []
        for service in ServiceName.allCases {
            for slot in stride(from: service.index, to: perEvent.count, by: Applications.services) where perEvent[slot] > 0 {
                let n = Int32(slot / Applications.services)
                out.append((Key(service: service, id: .event(EventId(number: n))), Int(perEvent[slot])))
            }
        }
        for (key, count) in perToken { out.append((key, count)) }
        return out
    }
}
