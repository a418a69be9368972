/// The registry of invariants, and their judgement over a whole world.
///
/// Safety invariants must hold at every moment. Eventual ones (money, points, analytics,
/// nothing left PENDING) may be briefly false while events are in flight, so they are
/// judged only when the world is quiet: when `run` would have nothing left to do.
public enum Invariants {
    public enum Status: Hashable, Sendable { case holds, broken, waiting }

    public struct Result: Hashable, Sendable {
        public var id: String
        public var title: String
        public var status: Status
        public var evidence: [String]
    }

    /// Every invariant, in the order `check` lists them: the registry.
    public static let all: [any Invariant] = [
        StockNeverNegative(),
        StockConserved(),
        OncePerEvent(),
        ReservationsReleased(),
        ReservationExact(),
        MoneyBalanced(),
        PointsConfirmedOnly(),
        AnalyticsAccurate(),
        NoPending(),
        OutboxDrained(),
    ]

    /// The invariants judged after every step, whatever is in flight.
    static let safety: [any Invariant] = safetyPlaces.map { all[$0] }

    /// Where the safety invariants sit in `all`, and every place in it: what a step judges
    /// while something is in flight, and once the world is quiet.
    static let safetyPlaces: [Int] = all.indices.filter { !all[$0].isEventual }
    static let allPlaces: [Int] = Array(all.indices)

    /// Where the first of `judged` that is broken in `world` sits, if any: the common case,
    /// every invariant holding, read without touching anything else of the world.
    static func firstBroken(of judged: [any Invariant], in world: borrowing World) -> Int? {
        judged.indices.first { !judged[$0].holds(in: world) }
    }

    /// The safety invariants, in the registry's order: the ones `firstBrokenSafety` judges.
    /// A safety invariant is listed here as well as in `all`: `InvariantRegistryTests` holds
    /// the two lists together, and `InvariantPropertyTests` the step's judgement to the
    /// registry's on random worlds.
    static let judgedEveryStep: [any Invariant.Type] = [StockNeverNegative.self, StockConserved.self, OncePerEvent.self]

    /// Where the first safety invariant broken in the world at `world` sits among them, if
    /// any, each judged in place through the pointer (`Invariant.holds(at:)`): handing the
    /// world to `holds(in:)` from a mutating method copies all of it (a kilobyte of
    /// fields) first. A step asks after every item, and each is called by its type, which
    /// the compiler inlines to the figure or two it reads: called through the registry's
    /// existentials, one at a time, the three cost some 80 instructions a step, 3 % of a
    /// million orders' run.
    @inline(__always)
    static func firstBrokenSafety(at world: UnsafePointer<World>) -> Int? {
        if !StockNeverNegative.holds(at: world) { return 0 }
        if !StockConserved.holds(at: world) { return 1 }
        if !OncePerEvent.holds(at: world) { return 2 }
        return nil
    }

    /// Invariants by their place in `all`, one bit each: the ones a world has announced as
    /// broken and not yet seen holding again. A set of bits, because a step asks about
    /// them every time and names would be hashed every time.
    public struct Marks: Hashable, Sendable {
        private var bits: UInt64 = 0

        public init() {}

        init(places: [Int]) {
            for place in places { bits |= 1 << UInt64(place) }
        }

        public var isEmpty: Bool { bits == 0 }

        /// Whether the invariant named `id` (`no-pending`) is marked.
        public func contains(_ id: String) -> Bool {
            guard let place = Invariants.all.firstIndex(where: { $0.id == id }) else { return false }
            return contains(place: place)
        }

        func contains(place: Int) -> Bool { bits & (1 << UInt64(place)) != 0 }
        mutating func insert(place: Int) { bits |= 1 << UInt64(place) }
        mutating func remove(place: Int) { bits &= ~(1 << UInt64(place)) }
        mutating func subtract(_ other: Marks) { bits &= ~other.bits }

        static let safety = Marks(places: safetyPlaces)
        static let all = Marks(places: allPlaces)
    }

    public static var titles: [(id: String, title: String)] { all.map { ($0.id, $0.title) } }

    /// Every invariant judged from the aggregates the world maintains.
    public static func evaluate(_ world: World) -> [Result] {
        judge(world) { $0.evidence(in: world) }
    }

    /// What `check` shows: every invariant judged from the aggregates, each with at most
    /// `limit` lines of its evidence and how many it has in all. It asks `shouldStop`
    /// before each invariant (in a world of a million orders one takes most of a second)
    /// and gives nil once told to stop.
    public static func evaluate(_ world: World, evidenceUpTo limit: Int,
                                until shouldStop: () -> Bool) -> [(result: Result, evidenceCount: Int)]? {
        let quiet = !world.hasWork
        var results: [(result: Result, evidenceCount: Int)] = []
        for invariant in all {
            if shouldStop() { return nil }
            if invariant.isEventual && !quiet {
                results.append((Result(id: invariant.id, title: invariant.title, status: .waiting, evidence: []), 0))
                continue
            }
            let (lines, count) = invariant.evidence(in: world, upTo: limit)
            results.append((Result(id: invariant.id, title: invariant.title, status: count == 0 ? .holds : .broken,
                                   evidence: lines), count))
        }
        return results
    }

    /// Every invariant judged from scratch: what `evaluate` must always agree with.
    public static func reference(_ world: World) -> [Result] {
        judge(world) { $0.reference(in: world) }
    }

    private static func judge(_ world: World, _ evidence: (any Invariant) -> [String]) -> [Result] {
        let quiet = !world.hasWork
        return all.map { invariant in
            if invariant.isEventual && !quiet {
                return Result(id: invariant.id, title: invariant.title, status: .waiting, evidence: [])
            }
            let found = evidence(invariant)
            return Result(id: invariant.id, title: invariant.title, status: found.isEmpty ? .holds : .broken, evidence: found)
        }
    }

    /// Why nothing moves an order on: a dead letter, a delivery waiting for a service (held by
    /// the bus, or in the consumer's own queue), an unpublished row, or nothing at all.
    static func stuckBecause(_ orderId: OrderId, _ w: World) -> String {
        if let letter = w.deadLetter(aboutOrder: orderId) {
            if case .sagaStep(let execution, let task, _) = letter.message {
                return "(\(execution)'s \(task.rawValue) failed for good and waits in the orders dead-letter queue as \(letter.id))"
            }
            return "(\(letter.typeName) \(letter.eventId) sits in the \(letter.service.rawValue) dead-letter queue as \(letter.id))"
        }
        if let execution = w.orders.execution(forOrder: orderId), execution.isActive {
            let at = "\(execution.id) is at \(execution.current.rawValue)"
            if !w.node(.orders).isUp { return "(\(at); orders is down, so its orchestrator is stopped)" }
            return "(\(at) with no timer left to wake it: its timers were lost with a crash)"
        }
        if let held = w.parked.first(where: { $0.event.orderId == orderId }) {
            let state = w.node(held.target).isUp ? "partitioned" : "down"
            return "(\(held.event.type.rawValue) \(held.event.id) waits for \(held.target.rawValue), which is \(state))"
        }
        for service in ServiceName.allCases {
            if let queued = w.node(service).queue.waiting.first(where: { $0.event.orderId == orderId }) {
                return "(\(queued.event.type.rawValue) \(queued.event.id) waits in the \(service.rawValue) queue; \(service.rawValue) is partitioned)"
            }
        }
        for service in ServiceName.publishers {
            if let row = w.node(service).outbox.unpublished.first(where: { $0.event.orderId == orderId }) {
                let stopped = w.publisherStopped(service) ?? "\(service.rawValue) is partitioned"
                return "(\(row.event.type.rawValue) \(row.event.id) sits unpublished in the \(service.rawValue) outbox; \(stopped))"
            }
        }
        return "with nothing left in flight that could move it on"
    }

    /// The reservations held per order, rebuilt from every row.
    static func heldFromScratch(_ w: World) -> [OrderId: [InventoryDB.Reservation]] {
        var held: [OrderId: [InventoryDB.Reservation]] = [:]
        for reservation in w.inventory.reservations { held[reservation.orderId, default: []].append(reservation) }
        return held
    }

    /// Every order, and those confirmed, as rows: what the reference checks read.
    static func confirmedFromScratch(_ w: World) -> [Order] { w.orders.orders.filter { $0.status == .confirmed } }

    static func confirmedTotalFromScratch(_ w: World) -> Int {
        confirmedFromScratch(w).reduce(0) { $0 + $1.total }
    }
}
