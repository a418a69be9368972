@testable import SagaKernel
@testable import SagaLab
import Testing

/// The trace keeps its full chunks packed into bytes: every entry must read back equal to
/// the one recorded, whatever happened, and the packing must cover what a saga records
/// most, or a million orders no longer fit.
@Suite struct PackedTraceTests {
    /// Every entry of `trace`, packed in chunks as the trace packs them and read back two
    /// ways: one by one, and all at once.
    private func expectRoundTrip(_ entries: [TraceEntry], _ what: String) {
        var start = 0
        while start < entries.count {
            let chunk = Array(entries[start..<min(start + TraceLog.chunkSize, entries.count)])
            let packed = PackedTraceChunk(chunk)
            let readBack = packed.entries == chunk
            #expect(readBack, "\(what): chunk at \(start) reads back different")
            for (offset, entry) in chunk.enumerated() where packed.entry(at: offset) != entry {
                Issue.record("\(what): entry \(start + offset) reads back as \(packed.entry(at: offset)), not \(entry)")
                return
            }
            // Sealed, it keeps one start in sixteen and finds the others from the lengths.
            let sealed = packed.sealed
            #expect(sealed.startsKept == (chunk.count + PackedTraceChunk.sealedStartsEvery - 1) / PackedTraceChunk.sealedStartsEvery)
            #expect(sealed.entries == chunk, "\(what): the sealed chunk at \(start) reads back different")
            for (offset, entry) in chunk.enumerated()
            where sealed.entry(at: offset) != entry || sealed.orderId(at: offset) != entry.orderId {
                Issue.record("\(what): entry \(start + offset) of a sealed chunk reads back as \(sealed.entry(at: offset))")
                return
            }
            #expect(sealed.reopened == packed, "\(what): the chunk at \(start) reopened is not the chunk never sealed")
            // Entries dropped from the end (undo, goto) leave the chunk those before them make,
            // found by stepping from the start it keeps before them.
            for dropped in [1, 5, 16, 17, chunk.count - 1] where dropped > 0 && dropped < chunk.count {
                var cut = packed
                cut.removeLast(dropped)
                #expect(cut == PackedTraceChunk(Array(chunk.dropLast(dropped))),
                        "\(what): the chunk at \(start) less its last \(dropped) is not the chunk of the others")
            }
            start += TraceLog.chunkSize
        }
    }

    @Test func everyEntryOfManyRandomWorldsReadsBackEqual() {
        for seed in UInt64(1)...120 {
            var r = SeededGenerator(seed: seed)
            var session = Session(seed: seed)
            _ = session.execute(["mode orchestration", "pattern all on", "flow payment-first", "pattern all off"][Int(seed % 4)])
            for _ in 0..<40 {
                _ = session.execute(InvariantPropertyTests.commands[r.int(in: 0...(InvariantPropertyTests.commands.count - 1))](&r))
            }
            _ = session.execute("run")
            expectRoundTrip(Array(session.world.trace), "seed \(seed)")
        }
    }

    /// A world that packs its trace from the first entry logs a delivery's arrival, an
    /// event's publication, a step's result and a request without a key through their own
    /// paths (`logReceived`, `logPublished`, `TraceLog.appendStepPacking`, `logRequest`),
    /// which pack them
    /// without making the happening: its trace must hold the entries a world keeping them
    /// as values holds, and pack to the bytes the general path packs.
    @Test(arguments: [UInt64(3), 8, 40, 55])
    func arrivalsAndStepsPackedFromTheirFieldsAreTheEntriesLogged(seed: UInt64) {
        var r = SeededGenerator(seed: seed)
        var lines = [["mode orchestration", "pattern all on", "flow payment-first", "pattern all off"][Int(seed % 4)],
                     "order user-1..30 prod-1", "duplicate next order.created"]
        for _ in 0..<40 { lines.append(InvariantPropertyTests.commands[r.int(in: 0...(InvariantPropertyTests.commands.count - 1))](&r)) }
        lines.append("run")
        var values = Session(seed: seed)
        var packing = Session(seed: seed)
        packing.world.trace = TraceLog(unpackedChunks: 0)
        for line in lines {
            _ = values.execute(line)
            _ = packing.execute(line)
        }
        let entries = Array(values.world.trace)
        #expect(entries.count > 200)
        #expect(Array(packing.world.trace) == entries, "seed \(seed): the packed trace reads back other entries")
        var general = TraceLog(unpackedChunks: 0)
        for entry in entries { general.append(entry) }
        #expect(packing.world.trace == general, "seed \(seed): the entries pack to other bytes")
        let arrivals = entries.filter { if case .message(.received) = $0.what { true } else { false } }
        let publications = entries.filter { if case .message(.published) = $0.what { true } else { false } }
        let steps = entries.filter { if case .step = $0.what { true } else { false } }
        let requests = entries.filter { if case .api(.request(_, _, nil)) = $0.what { true } else { false } }
        #expect(!arrivals.isEmpty && !publications.isEmpty && !steps.isEmpty && !requests.isEmpty)
    }

    @Test func theSagaAMillionOrdersRunPacksToAboutTenBytesAnEntry() {
        var session = Session(seed: 7)
        for line in ["flow payment-first", "fail payment 30%", "fail inventory 20%", "stock prod-1 400",
                     "order user-1..400 prod-1", "run quiet"] {
            _ = session.execute(line)
        }
        let entries = Array(session.world.trace)
        #expect(entries.count > 8_000)
        expectRoundTrip(entries, "the Kafka shop's saga")
        let packed = PackedTraceChunk(Array(entries[2_048..<2_048 + TraceLog.chunkSize]))
        #expect(packed.wholeCount == 0, "entries a saga records most are kept whole")
        #expect(packed.byteCount <= 10 * TraceLog.chunkSize, "\(packed.byteCount) bytes for \(TraceLog.chunkSize) entries")
    }

    @Test func anEntryWhoseTextsDoNotFitItsRoomIsKeptWhole() {
        // The longest customer name the lab takes and thirty lines: the request's texts
        // need more than the room an entry is packed into.
        let customer = String(repeating: "c", count: 40)
        let items = (1...30).map { "prod-\($0 % 3 + 1)x\($0)" }.joined(separator: " ")
        var session = Session(seed: 5)
        for line in ["order \(customer) \(items)", "order bob prod-2x2", "run"] { _ = session.execute(line) }
        let entries = Array(session.world.trace)
        #expect(entries.contains { if case .api(.request(customer, _, _)) = $0.what { true } else { false } })
        let packed = PackedTraceChunk(entries)
        #expect(packed.wholeCount >= 1, "the request of thirty lines is kept whole")
        let readBack = packed.entries == entries
        #expect(readBack)
    }

    /// Past `repackFrom` entries the chunks kept as values are packed too: every read must
    /// give the same entries, and a trace cut back below it must be the trace that never
    /// reached it.
    @Test func aLongTracePacksItsFirstChunksAndUnpacksThemWhenCutBack() {
        var session = Session(seed: 4)
        for line in ["order alice prod-1", "order bob prod-2x2", "run"] { _ = session.execute(line) }
        let entries = Array(session.world.trace)
        var long = TraceLog(unpackedChunks: 2, repackFrom: 3_000)
        var reference: [TraceEntry] = []
        while long.count < 3_500 {
            for entry in entries {
                long.append(entry)
                reference.append(entry)
                #expect(long.packsEveryChunk == (long.count >= 3_000))
            }
        }
        #expect(long.packedChunkStarts.first == 0)
        #expect(Array(long) == reference && long.indices.allSatisfy { long.orderId(at: $0) == reference[$0].orderId })
        var walked: [OrderId?] = []
        long.forEachOrderId { _, order in walked.append(order) }
        #expect(walked == reference.map(\.orderId))
        var same = TraceLog(unpackedChunks: 2, repackFrom: 3_000)
        for entry in reference { same.append(entry) }
        #expect(same == long && same.hashValue == long.hashValue)
        for keep in [3_200, 3_000, 2_999, 1_100, 10] {
            var cut = long
            cut.removeLast(long.count - keep)
            var fresh = TraceLog(unpackedChunks: 2, repackFrom: 3_000)
            for entry in reference.prefix(keep) { fresh.append(entry) }
            #expect(cut == fresh && Array(cut) == Array(reference.prefix(keep)), "keeping \(keep)")
            #expect(cut.packsEveryChunk == (keep >= 3_000))
        }
    }

    @Test func droppingEntriesAcrossAPackedChunkLeavesTheTraceAsIfTheyWereNeverAppended() {
        var session = Session(seed: 3)
        for line in ["order alice prod-1", "order bob prod-2x2", "order carol prod-3", "run"] { _ = session.execute(line) }
        let entries = Array(session.world.trace)
        var long = TraceLog(unpackedChunks: 2)
        var reference: [TraceEntry] = []
        while long.count < 2 * TraceLog.chunkSize + 4 * PackedTraceChunk.byteCapacity / 8 {
            for entry in entries { long.append(entry); reference.append(entry) }
        }
        // The packed chunks hold what fits in their bytes: a few, each of many entries.
        let starts = long.packedChunkStarts
        #expect(starts.count >= 3 && starts[0] == 2 * TraceLog.chunkSize && starts[1] - starts[0] > TraceLog.chunkSize)
        #expect(Array(long) == reference && long.indices.allSatisfy { long[$0] == reference[$0] })
        #expect(long.indices.allSatisfy { long.orderId(at: $0) == reference[$0].orderId })
        var walked: [OrderId?] = []
        long.forEachOrderId { position, order in
            #expect(position == walked.count)
            walked.append(order)
        }
        #expect(walked == reference.map(\.orderId), "the walk reads every entry's order, in order")
        for keep in [long.count - 1, starts[2] + 3, starts[2] + 1, starts[2], starts[2] - 1, starts[1] + 1, starts[1],
                     2 * TraceLog.chunkSize + 1, 2 * TraceLog.chunkSize, 2 * TraceLog.chunkSize - 1, 7, 0] {
            var dropped = long
            dropped.removeLast(long.count - keep)
            var appended = TraceLog(unpackedChunks: 2)
            for entry in long.prefix(keep) { appended.append(entry) }
            #expect(dropped == appended && dropped.hashValue == appended.hashValue, "keeping \(keep)")
            #expect(Array(dropped) == Array(reference.prefix(keep)))
            dropped.append(entries[0])
            appended.append(entries[0])
            #expect(dropped == appended, "appending after keeping \(keep)")
            #expect(Array(dropped) == Array(reference.prefix(keep)) + [entries[0]], "reading after keeping \(keep)")
        }
    }
}
