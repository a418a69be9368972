/// The lab's own instrument, outside every service: how often each consumer changed
/// business state for each event (or each orchestrator call, by its token). The
/// once-per-event invariant reads it; no service can see it. It counts the applications the
/// service's current state holds: a `rebuild` replaces a projection's counts with the
/// replay's, since the state the earlier ones built was thrown away.
///
/// Counts for events sit in one array indexed by the event's number and then the service
/// (one row of five counts per event), since event ids are handed out in sequence: one
/// buffer to copy when a snapshot changes, and an event's counts side by side. A count
/// takes a byte there: a million orders make some five million events, and four bytes a
/// count was 100 MB of the run's memory for counts that are 0 or 1 but for a fault. A
/// count that reaches 255 (`beyondByte`) moves beside the calls' counts, in a dictionary
/// keyed as they are, and its byte says so. The few call tokens sit in that dictionary.
public struct Applications: Hashable, Sendable {
    /// One consumer's changes for one event or call.
    public struct Key: Hashable, Sendable {
        public var service: ServiceName
        /// An event (`evt-3`) or a call's token (`ord-1:process-payment`).
        public var id: ProcessedKey
    }

    /// Counts per event number, then per service: at `number * services + service.index`;
    /// `beyondByte` for a count kept in `perToken`.
    private var perEvent: [UInt8] = []
    private static let services = ServiceName.allCases.count
    /// The byte of a count of 255 or more, which `perToken` holds.
    static let beyondByte = UInt8.max
    /// The counts for calls, and for events counted 255 times or more.
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
        guard slot < perEvent.count else { return 0 }
        let byte = perEvent[slot]
        return byte == Applications.beyondByte ? perToken[Key(service: service, id: id)] ?? 0 : Int(byte)
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
            let byte = perEvent[slot]
            if byte < Applications.beyondByte - 1 {
                perEvent[slot] = byte + 1
                total = Int(byte) + 1
            } else {
                perEvent[slot] = Applications.beyondByte
                let key = Key(service: service, id: id)
                perToken[key, default: Int(byte)] += 1
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
        for slot in stride(from: service.index, to: perEvent.count, by: Applications.services) {
            if perEvent[slot] > 1 { countedMoreThanOnce -= 1 }
            if perEvent[slot] == Applications.beyondByte {
                perToken[Key(service: service, id: .event(EventId(number: Int32(slot / Applications.services))))] = nil
            }
            perEvent[slot] = 0
        }
    }

    /// The counts for events by event number and service (`beyondByte` for one kept with
    /// the calls'), and the counts for calls: what the explorer's fingerprint hashes.
    var eventCounts: [UInt8] { perEvent }
    var callCounts: [Key: Int] { perToken }

    /// The keys counted more than once, read from the counts.
    public var moreThanOnce: [Key] { all.filter { $0.count > 1 }.map(\.key) }

    /// Every count, read from scratch: what the reference invariant checks.
    public var all: [(key: Key, count: Int)] {
        var out: [(key: Key, count: Int)] = []
        for service in ServiceName.allCases {
            for slot in stride(from: service.index, to: perEvent.count, by: Applications.services) where perEvent[slot] > 0 {
                let key = Key(service: service, id: .event(EventId(number: Int32(slot / Applications.services))))
                out.append((key, perEvent[slot] == Applications.beyondByte ? perToken[key] ?? 0 : Int(perEvent[slot])))
            }
        }
        for (key, count) in perToken {
            if case .event = key.id { continue }
            out.append((key, count))
        }
        return out
    }
}
