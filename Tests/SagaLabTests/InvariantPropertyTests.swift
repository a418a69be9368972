@testable import SagaKernel
@testable import SagaLab
import Testing

/// The invariants the world maintains incrementally must say exactly what the reference
/// (every row read from scratch) says, in every state of many random worlds: random
/// orders, faults, pattern switches and steps, driven by a seeded generator.
struct InvariantPropertyTests {
    static let services = ["orders", "inventory", "payment", "rewards", "analytics"]
    static let commands: [@Sendable (inout SeededGenerator) -> String] = [
        { r in "order \(["alice", "bob", "carol", "dave"][r.int(in: 0...3)]) prod-\(r.int(in: 1...3))x\(r.int(in: 1...3))" },
        { r in "order \(["alice", "bob"][r.int(in: 0...1)]) prod-\(r.int(in: 1...3))" },
        { r in "step \(r.int(in: 1...6))" },
        { r in "advance \(r.int(in: 1...90))s" },
        { _ in "run" },
        { r in "crash \(services[r.int(in: 0...4)])" },
        { r in "restart \(services[r.int(in: 0...4)])" },
        { r in "crash \(["inventory", "payment"][r.int(in: 0...1)]) at \(["after-effect", "mid-compensation"][r.int(in: 0...1)])" },
        { r in "crash orders at \(["before-commit", "after-commit", "after-publish", "mid-compensation"][r.int(in: 0...3)])" },
        { r in "\(["duplicate", "drop"][r.int(in: 0...1)]) next" },
        { r in "delay next \(r.int(in: 1...90))s" },
        { r in "duplicate evt-\(r.int(in: 1...12))" },
        { r in "pattern idempotency \(["on", "off", "check-then-act"][r.int(in: 0...2)]) \(services[r.int(in: 0...4)])" },
        { r in "pattern outbox \(["on", "off"][r.int(in: 0...1)]) \(["orders", "inventory", "payment"][r.int(in: 0...2)])" },
        { r in "fail \(["payment", "inventory"][r.int(in: 0...1)]) \(r.int(in: 0...60))%" },
        { r in "fail \(services[r.int(in: 0...4)]) error next" },
        { r in "partition \(services[r.int(in: 0...4)])" },
        { _ in "heal" },
        { r in "stock prod-\(r.int(in: 1...3)) \(r.int(in: 0...4))" },
        { r in "mode \(["choreography", "orchestration"][r.int(in: 0...1)])" },
        { r in "flow \(["inventory-first", "payment-first"][r.int(in: 0...1)])" },
        { r in "\(["subscribe", "unsubscribe"][r.int(in: 0...1)]) rewards \(["order.confirmed", "order.cancelled", "order.created"][r.int(in: 0...2)])" },
        { r in "redrive \(services[r.int(in: 0...4)])" },
        { r in "set processed-ttl \(r.int(in: 1...120))s" },
    ]

    @Test func maintainedInvariantsAgreeWithTheReferenceOnRandomWorlds() {
        var states = 0
        var broken = 0
        for seed in UInt64(1)...150 {
            var r = SeededGenerator(seed: seed)
            var session = Session(seed: seed)
            for _ in 0..<40 {
                let line = Self.commands[r.int(in: 0...(Self.commands.count - 1))](&r)
                _ = session.execute(line)
                let w = session.world
                let maintained = Invariants.evaluate(w)
                let reference = Invariants.reference(w)
                #expect(maintained == reference, "seed \(seed), after `\(line)`")
                var judged = w
                #expect(withUnsafePointer(to: &judged) { Invariants.firstBrokenSafety(at: $0) }
                        == Invariants.firstBroken(of: Invariants.safety, in: w),
                        "the step's judgement disagrees with the registry's, seed \(seed), after `\(line)`")
                for invariant in Invariants.all where !invariant.isEventual || !w.hasWork {
                    let whole = invariant.reference(in: w)
                    #expect(invariant.holds(in: w) == whole.isEmpty,
                            "\(invariant.id): holds disagrees with the reference, seed \(seed), after `\(line)`")
                    let cut = invariant.evidence(in: w, upTo: 2)
                    #expect(cut.lines == Array(whole.prefix(2)) && cut.count == whole.count,
                            "\(invariant.id): the cut evidence disagrees with the reference, seed \(seed), after `\(line)`")
                }
                states += 1
                broken += reference.filter { $0.status == .broken }.count
            }
        }
        #expect(states == 6_000)
        #expect(broken > 100, "the random worlds must break invariants often enough to test the evidence")
    }
}

/// Worlds that hold the same facts are equal and hash alike, whatever order the facts
/// arrived in: exploration will rely on it to recognise a state it has seen.
struct WorldIdentityTests {
    @Test func theApplicationsInstrumentIsEqualWhateverOrderItCounted() {
        var a = Applications()
        var b = Applications()
        a.add(.analytics, .event("evt-1"))
        a.add(.analytics, .event("evt-2"))
        b.add(.analytics, .event("evt-2"))
        b.add(.analytics, .event("evt-1"))
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        b.add(.analytics, .event("evt-2"))
        #expect(a != b)
    }

    @Test func aCopiedWorldIsEqualAndHashesAlikeUntilOneMoves() {
        var (session, _) = Lab.session(["order alice prod-1x2", "duplicate next", "order bob prod-3", "run"])
        let snapshot = session.world
        #expect(snapshot == session.world)
        #expect(snapshot.hashValue == session.world.hashValue)
        _ = session.execute("order carol prod-2")
        #expect(snapshot != session.world)
    }
}
