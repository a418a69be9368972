/// The lab's own instrument, outside every service: how often each consumer changed
/// business state for each event (or each orchestrator call, by its token). The
/// once-per-event invariant reads it; no service can see it. It counts the applications the
/// service's current state holds: a `rebuild` replaces a projection's counts with the
/// replay's, since the state the earlier ones built was thrown away.
///
/// Counts for events sit in one array indexed by the event's number, since event ids are
/// handed out in sequence: one buffer to copy when a snapshot changes. An event's five
/// counts, one per service, share one 16-bit word, two bits each: a million orders make
/// some five million events, and counts are 0 or 1 but for a fault (four bytes a count was
/// 100 MB of the run's memory, a byte 30 MB). A count that reaches 3 (`beyondBits`) moves
/// beside the calls' counts, in a dictionary keyed as they are, and its bits say so. The
/// few call tokens sit in that dictionary.
public struct Applications: Hashable, Sendable {
    /// One consumer's changes for one event or call.
    public struct Key: Hashable, Sendable {
        public var service: ServiceName
        /// An event (`evt-3`) or a call's token (`ord-1:process-payment`).
        public var id: ProcessedKey
    }

    /// Counts per event number: at `number`, two bits per service from the lowest, the
    /// count or `beyondBits` for a count kept in `perToken`.
    private var perEvent: [UInt16] = []
    /// The bits of a count of 3 or more, which `perToken` holds.
    static let beyondBits: UInt16 = 3
    /// The counts for calls, and for events counted 3 times or more.
    private var perToken: [Key: Int] = [:]
    /// How many keys are counted more than once, kept as the counts change: the
    /// once-per-event invariant holds while none is, and asks after every step. (A number,
    /// not the set of keys: a world holds no reference for it, and the counts name them.)
    public private(set) var countedMoreThanOnce = 0

    public init() {}

    /// How often `service` changed business state for `id`.
    public func count(_ service: ServiceName, _ id: ProcessedKey) -> Int {
        guard case .event(let event) = id else { return perToken[Key(service: service, id: id)] ?? 0 }
        let n = Int(event.number)
        guard n >= 0 else { return perToken[Key(service: service, id: id)] ?? 0 }
        guard n < perEvent.count else { return 0 }
        let bits = Applications.bits(perEvent[n], service)
        return bits == Applications.beyondBits ? perToken[Key(service: service, id: id)] ?? 0 : Int(bits)
    }

    /// The bits of `service`'s count in an event's word.
    @inline(__always)
    static func bits(_ word: UInt16, _ service: ServiceName) -> UInt16 { word >> (2 * service.index) & 3 }

    /// Hints at the count `add` will change for `event` at `service` (`World.prefetchRows`).
    @inline(__always)
    func prefetch(_ service: ServiceName, _ event: EventId) {
        perEvent.prefetch(Int(event.number))
    }

    /// Makes room for the counts of events numbered up to `lastEvent`.
    mutating func makeRoom(lastEvent: Int) {
        perEvent.reserveCapacity(lastEvent + 1)
    }

    @inline(__always)
    mutating func add(_ service: ServiceName, _ id: ProcessedKey) {
        let total: Int
        if case .event(let event) = id, event.number >= 0 {
            let n = Int(event.number)
            // Room for the next event's counts too, in the copy a shared table gets.
            if n >= perEvent.count - 1 { perEvent.makeRoom(for: 2) }
            perEvent.grow(toInclude: n, with: 0)
            let shift = 2 * service.index
            let bits = Applications.bits(perEvent[n], service)
            if bits < Applications.beyondBits - 1 {
                perEvent[n] += 1 << shift
                total = Int(bits) + 1
            } else {
                perEvent[n] |= Applications.beyondBits << shift
                let key = Key(service: service, id: id)
                perToken[key, default: Int(bits)] += 1
                total = perToken[key] ?? 0
            }
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
        let shift = 2 * service.index
        for n in perEvent.indices {
            let bits = Applications.bits(perEvent[n], service)
            if bits > 1 { countedMoreThanOnce -= 1 }
            if bits == Applications.beyondBits { perToken[Key(service: service, id: .event(EventId(number: Int32(n))))] = nil }
            perEvent[n] &= ~(3 << shift)
        }
    }

    /// The counts for events by event number, two bits a service (`beyondBits` for one kept
    /// with the calls'), and the counts for calls: what the explorer's fingerprint hashes.
    var eventCounts: [UInt16] { perEvent }
    var callCounts: [Key: Int] { perToken }

    /// The keys counted more than once, read from the counts.
    public var moreThanOnce: [Key] { all.filter { $0.count > 1 }.map(\.key) }

    /// Every count, read from scratch: what the reference invariant checks.
    public var all: [(key: Key, count: Int)] {
        var out: [(key: Key, count: Int)] = []
        for service in ServiceName.allCases {
            for n in perEvent.indices {
                let bits = Applications.bits(perEvent[n], service)
                guard bits > 0 else { continue }
                let key = Key(service: service, id: .event(EventId(number: Int32(n))))
                out.append((key, bits == Applications.beyondBits ? perToken[key] ?? 0 : Int(bits)))
            }
        }
        for (key, count) in perToken {
            if case .event = key.id { continue }
            out.append((key, count))
        }
        return out
    }
}
