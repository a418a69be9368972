@testable import SagaKernel
@testable import SagaLab
import Testing

/// A processed-events table past `ProcessedEvents.compactFrom` marks keeps an event's mark
/// as its time alone: it must answer every read as the table kept whole does, and a world
/// whose consumers hold thousands of marks must behave as before.
@Suite struct ProcessedCompactTests {
    /// What a table should hold: each key's time and, for an event, its type and order,
    /// with the order the marks were written in.
    struct Model {
        var marks: [ProcessedKey: (at: Millis, written: Int)] = [:]
        var writes = 0

        mutating func mark(_ key: ProcessedKey, at time: Millis) {
            writes += 1
            marks[key] = (time, writes)
        }

        mutating func dropEvents() {
            marks = marks.filter { if case .event = $0.key { return false } else { return true } }
        }
    }

    static let events = 3_000

    static func event(_ n: Int) -> Event {
        Event(id: EventId(number: Int32(n)), type: EventType.allCases[n % EventType.allCases.count],
              orderId: OrderId(number: Int32(n / 3 + 1)), amount: 10, createdAt: 0)
    }

    static func resolve(_ id: EventId) -> Event? {
        id.number >= 1 && Int(id.number) <= events ? event(Int(id.number)) : nil
    }

    static func call(_ n: Int, again: Bool) -> TaskCall {
        TaskCall(executionId: ExecutionId(number: Int32(n)), task: SagaTask.allCases[n % SagaTask.allCases.count],
                 attempt: 1, order: event(n), run: again ? 2 : 1)
    }

    /// Times a mark may carry: small ones, ones past what four bytes hold, and ones below 0.
    static func time(_ generator: inout SeededGenerator) -> Millis {
        switch generator.next() % 10 {
        case 0: Millis(UInt32.max) - 2 + Millis(generator.next() % 4)
        case 1: -Millis(generator.next() % 5)
        default: Millis(generator.next() % 1_000_000)
        }
    }

    /// Every read of `table` against `model`.
    static func agree(_ table: ProcessedEvents, _ model: Model, now: Millis, ttl: Millis) {
        #expect(table.count == model.marks.count)
        #expect(table.isCompact == (model.marks.count > ProcessedEvents.compactFrom))
        #expect(Set(table.keys) == Set(model.marks.keys))
        #expect(table.keys.count == model.marks.count)
        let rows = table.rows(events: resolve)
        #expect(rows.count == model.marks.count)
        for row in rows {
            #expect(model.marks[row.key]?.at == row.processedAt)
            if case .event(let id) = row.key {
                #expect(row.type == resolve(id)!.type.rawValue && row.orderId == resolve(id)!.orderId)
            }
        }
        let written = rows.map { model.marks[$0.key]!.written }
        if table.isCompact {
            #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.processedAt <= $1.processedAt }, "compact rows list by time")
        } else {
            #expect(written == written.sorted(), "a small table lists its rows as they were written")
        }
        #expect(table.live(now: now, ttl: ttl, events: resolve).map(\.key) == rows.filter { now - $0.processedAt < ttl }.map(\.key))
        for n in stride(from: 0, through: events + 2, by: 7) {
            let key = ProcessedKey.event(EventId(number: Int32(n)))
            #expect(table.markedAt(key) == model.marks[key]?.at)
            #expect(table.contains(EventId(number: Int32(n)), now: now, ttl: ttl) == (model.marks[key].map { now - $0.at < ttl } ?? false))
            #expect(table.row(key, now: now, ttl: ttl, events: resolve)?.processedAt
                    == model.marks[key].flatMap { now - $0.at < ttl ? $0.at : nil })
        }
        for key in model.marks.keys where { if case .event = key { return false } else { return true } }() {
            #expect(table.markedAt(key) == model.marks[key]?.at)
            #expect(table.row(key, now: now, ttl: ttl, events: resolve)?.outcome != nil || now - model.marks[key]!.at >= ttl)
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func aTablePastItsLimitAnswersAsTheWholeOneDoes(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var table = ProcessedEvents()
        var model = Model()
        var sawCompact = false
        for step in 0..<6_000 {
            let pick = generator.next() % 1_000
            let at = ProcessedCompactTests.time(&generator)
            if pick < 800 {
                let n = Int(generator.next() % UInt64(ProcessedCompactTests.events)) + 1
                table.mark(ProcessedCompactTests.event(n), at: at)
                model.mark(.event(EventId(number: Int32(n))), at: at)
            } else if pick < 998 {
                let call = ProcessedCompactTests.call(Int(generator.next() % 400) + 1, again: pick % 2 == 0)
                table.mark(call, TaskOutcome(error: nil, detail: "done"), at: at)
                model.mark(call.token, at: at)
            } else {
                table.dropEventMarks()
                model.dropEvents()
            }
            sawCompact = sawCompact || table.isCompact
            if step % 250 == 0 || step == 5_999 {
                ProcessedCompactTests.agree(table, model, now: 600_000, ttl: 300_000)
            }
        }
        #expect(sawCompact)
    }

    @Test func aTableThatComesBackUnderItsLimitIsTheTableWrittenAgain() {
        var compacted = ProcessedEvents()
        var fresh = ProcessedEvents()
        for n in 1...(ProcessedEvents.compactFrom + 10) { compacted.mark(ProcessedCompactTests.event(n), at: Millis(n)) }
        for n in 1...5 {
            let call = ProcessedCompactTests.call(n, again: false)
            compacted.mark(call, TaskOutcome(error: nil, detail: "done"), at: Millis(n))
            fresh.mark(call, TaskOutcome(error: nil, detail: "done"), at: Millis(n))
        }
        #expect(compacted.isCompact)
        compacted.dropEventMarks()
        #expect(!compacted.isCompact)
        #expect(compacted == fresh, "the form is a function of the marks held")
    }

    @Test func aRemarkOfACompactEventMovesItsTimeAndItsFormWithIt() {
        var table = ProcessedEvents()
        for n in 1...(ProcessedEvents.compactFrom + 1) { table.mark(ProcessedCompactTests.event(n), at: 10) }
        #expect(table.isCompact)
        let far = Millis(UInt32.max) + 5
        table.mark(ProcessedCompactTests.event(7), at: far)
        #expect(table.markedAt(.event(EventId(number: 7))) == far && table.count == ProcessedEvents.compactFrom + 1)
        table.mark(ProcessedCompactTests.event(7), at: 20)
        #expect(table.markedAt(.event(EventId(number: 7))) == 20 && table.count == ProcessedEvents.compactFrom + 1)
        #expect(table.rows(events: ProcessedCompactTests.resolve).last?.key == .event(EventId(number: 7)))
    }

    /// A compact table keeps a mark as its distance from its block's base, or apart when
    /// it is far from it: which base and which marks apart follow from the marks, so tables
    /// that hold the same marks are equal however they were written.
    @Test func theSameMarksWrittenInAnyOrderMakeEqualTables() {
        var generator = SeededGenerator(seed: 11)
        let marks = (1...3_000).map { n in
            (n, generator.next() % 4 == 0 ? Millis(generator.next() % 400_000) : Millis(100_000 + generator.next() % 2_000))
        }
        var inOrder = ProcessedEvents()
        for (n, time) in marks { inOrder.mark(ProcessedCompactTests.event(n), at: time) }
        var shuffled = ProcessedEvents()
        var order = marks
        for i in order.indices.reversed() { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
        for (n, time) in order { shuffled.mark(ProcessedCompactTests.event(n), at: time) }
        #expect(inOrder.isCompact && shuffled.isCompact)
        #expect(inOrder == shuffled && inOrder.hashValue == shuffled.hashValue)
        // Moving a block's earliest marks later and back again leaves the table as it was.
        var moved = inOrder
        for (n, time) in marks where n % 5 == 0 { moved.mark(ProcessedCompactTests.event(n), at: time + 500_000) }
        #expect(moved != inOrder)
        for (n, time) in marks where n % 5 == 0 { moved.mark(ProcessedCompactTests.event(n), at: time) }
        #expect(moved == inOrder)
        for (n, time) in marks { #expect(moved.markedAt(.event(EventId(number: Int32(n)))) == time) }
    }

    /// 1 100 orders leave more than a thousand marks at every consumer: their tables are
    /// compact, their rows name each event's type and order, and a duplicate delivered
    /// afterwards is still found processed.
    @Test func aWorldWithThousandsOfMarksReadsAndDeduplicatesThroughTheCompactForm() throws {
        var session = Session(seed: 3)
        _ = session.execute("stock prod-1 2000")
        _ = session.execute("order user-1..1100 prod-1")
        _ = session.execute("run quiet")
        let world = session.world
        for service in [ServiceName.payment, .inventory, .analytics] {
            #expect(world.node(service).processed.isCompact, "\(service)")
            let rows = world.processedRows(of: service)
            #expect(rows.count == world.node(service).processed.count)
            for row in rows {
                guard case .event(let id) = row.key else { continue }
                let event = try #require(world.event(id))
                #expect(row.type == event.type.rawValue && row.orderId == event.orderId)
            }
        }
        let before = session.world.applications
        _ = session.execute("duplicate evt-1")
        _ = session.execute("run quiet")
        #expect(session.world.applications == before, "the duplicate found its mark and changed nothing")
        #expect(session.world.trace.contains { entry in
            switch entry.what {
            case .message(.alreadyProcessed), .message(.markExists): return true
            default: return false
            }
        })
    }

    @Test func aRangeOfThousandsIsTheSameWorldAsItsOrdersOneByOne() {
        var ranged = Session(seed: 5)
        var single = Session(seed: 5)
        _ = ranged.execute("stock prod-1 2000")
        _ = single.execute("stock prod-1 2000")
        _ = ranged.execute("order u-1..1050 prod-1")
        for n in 1...1050 { _ = single.execute("order u-\(n) prod-1") }
        _ = ranged.execute("run quiet")
        _ = single.execute("run quiet")
        #expect(ranged.world.node(.analytics).processed.isCompact)
        #expect(ranged.world == single.world)
    }
}
