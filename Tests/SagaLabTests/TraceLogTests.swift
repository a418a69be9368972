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
        var fresh = TraceLog()
        for entry in reference { fresh.append(entry) }
        #expect(fresh == log && fresh.hashValue == log.hashValue, "the same entries, however they came, make equal traces")
        for start in [0, 1, 500, reference.count / 2, reference.count - 1, reference.count] {
            #expect(log.invariantEntries(from: start) == reference[start...].filter { $0.kind == .invariant })
        }
    }

    /// Entries are kept in chunks, the last one apart: appending and removing across the
    /// edge of a chunk must keep every entry in its place.
    @Test func entriesKeepTheirPlacesAcrossTheEdgeOfAChunk() {
        let size = TraceLog.chunkSize
        let entries = (0..<(2 * size + 3)).map { TraceEntry(time: Millis($0), service: nil, what: .recorded(.note, text: "n")) }
        var log = TraceLog()
        for entry in entries { log.append(entry) }
        #expect(log.count == entries.count && log[size - 1] == entries[size - 1] && log[size] == entries[size])
        log.removeLast(5)
        #expect(Array(log) == Array(entries.prefix(2 * size - 2)))
        log.removeLast(size - 2)
        #expect(log.count == size && log.last == entries[size - 1])
        log.append(entries[size])
        log.removeLast(size + 1)
        #expect(log.isEmpty)
        for entry in entries.prefix(size + 1) { log.append(entry) }
        var same = TraceLog()
        for entry in entries.prefix(size + 1) { same.append(entry) }
        #expect(log == same && Array(log) == Array(entries.prefix(size + 1)))
    }
}
