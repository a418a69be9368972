/// How much memory the host lets the lab hold, so that a long command stops before the
/// system kills the lab.
///
/// A search keeps every state it has still to expand and a fingerprint of every state it
/// has seen; with a large budget (`explore states=30000000`) that can be more than the
/// machine has, and so can a world of tens of millions of orders. The terminal program
/// measures the machine and passes a ceiling; `explore`, `run`, `advance`, `step N` and an
/// `order` range stop below it, as Ctrl-C would, and say why. Transcripts, lessons and
/// tests pass none, so no reply of theirs depends on the machine.
public struct MemoryCeiling {
    /// What the process holds past its ceiling, in bytes, and the ceiling; nil while it is within.
    public struct Excess: Equatable, Sendable {
        public var inUse: Int
        public var limit: Int

        public init(inUse: Int, limit: Int) {
            self.inUse = inUse
            self.limit = limit
        }
    }

    /// Measures the process now: nil while it is within the ceiling.
    public var check: () -> Excess?
    /// Whether `bytes` more of address space, reserved and not yet touched, stay within the
    /// ceiling: room made ahead (`World.makeRoom`) takes address space, which `ulimit -v`
    /// may limit, before it takes memory.
    public var allowsReserving: (Int) -> Bool

    public init(check: @escaping () -> Excess?, allowsReserving: @escaping (Int) -> Bool = { _ in true }) {
        self.check = check
        self.allowsReserving = allowsReserving
    }
}
