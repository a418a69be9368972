@testable import SagaKernel
@testable import SagaLab
import Testing

/// The trace's storage: its index of invariant lines agrees with its entries.
@Suite struct TraceLogTests {
    @Test func theInvariantLinesAQuietRunShowsAreTheOnesAScanFinds() {
        var rng = SeededGenerator(seed: 7)
        var log = TraceLog()
        var reference: [TraceEntry] = []
        for step in 0..<3_000 {
            if rng.chance(percent: 3), !reference.isEmpty {
                let k = rng.int(in: 1...min(40, reference.count))
                log.removeLast(k)
                reference.removeLast(k)
                continue
            }
            let broken = rng.chance(percent: 5)
            let what: Happening = broken ? .invariantBroken(title: "t\(step)", evidence: "e")
                : rng.chance(percent: 2) ? .recorded(.invariant, text: "r\(step)") : .recorded(.note, text: "n\(step)")
            let entry = TraceEntry(time: Millis(step), service: nil, what: what)
            log.append(entry)
            reference.append(entry)
        }
        #expect(Array(log) == reference)
        for start in [0, 1, 500, reference.count / 2, reference.count - 1, reference.count] {
            #expect(log.invariantEntries(from: start) == reference[start...].filter { $0.kind == .invariant })
        }
    }
}
