/// One business truth a correct saga keeps, checked against the world's real state.
///
/// Each invariant is judged two ways. `evidence(in:)` reads the aggregates the services'
/// databases keep up to date as they change (units reserved per product, money captured
/// and refunded, orders per status, events applied more than once), so judging a safety
/// invariant after every step costs O(1). `reference(in:)` recomputes the same evidence
/// from scratch, row by row: it is the definition, and a property test holds the two
/// equal on many random worlds. Adding an invariant is one file and one line in
/// `Invariants.all` (a safety invariant, one more in `Invariants.judgedEveryStep` and
/// `Invariants.firstBrokenSafety`).
public protocol Invariant: Sendable {
    /// An invariant holds no state of its own: its judgement reads the world alone, so the
    /// registry can judge one without keeping an instance.
    init()
    /// A stable name: `stock-conserved`.
    var id: String { get }
    /// What must hold, as `check` prints it.
    var title: String { get }
    /// Eventual invariants may be briefly false while events are in flight, so they are
    /// judged only when the world is quiet.
    var isEventual: Bool { get }
    /// Whether it holds, from the maintained aggregates. Defaults to `evidence(in:).isEmpty`.
    func holds(in world: World) -> Bool
    /// The same for the world at `world`, read in place: how a step judges its own world
    /// (`Invariants.firstBrokenSafety`). Defaults to `holds(in:)` on that world.
    static func holds(at world: UnsafePointer<World>) -> Bool
    /// The evidence against it from the maintained aggregates (empty: it holds).
    func evidence(in world: World) -> [String]
    /// The first line of that evidence, for the one trace line that says it broke.
    /// Defaults to `evidence(in:).first`; an invariant whose evidence grows with the
    /// world stops at its first line instead.
    func firstEvidence(in world: World) -> String?
    /// The first `limit` lines of that evidence and how many lines it holds in all: what
    /// `check` shows of an invariant broken for hundreds of thousands of customers.
    /// Defaults to cutting `evidence(in:)`; an invariant whose evidence grows with the
    /// world counts the rest without writing it.
    func evidence(in world: World, upTo limit: Int) -> (lines: [String], count: Int)
    /// The same evidence recomputed from every row: the reference.
    func reference(in world: World) -> [String]
}

extension Invariant {
    public var isEventual: Bool { true }
    public func holds(in world: World) -> Bool { evidence(in: world).isEmpty }
    public static func holds(at world: UnsafePointer<World>) -> Bool { Self().holds(in: world.pointee) }
    public func firstEvidence(in world: World) -> String? { evidence(in: world).first }
    public func evidence(in world: World, upTo limit: Int) -> (lines: [String], count: Int) {
        let all = evidence(in: world)
        return (Array(all.prefix(limit)), all.count)
    }
}
