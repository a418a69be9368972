@testable import SagaKernel
@testable import SagaLab
import Testing

/// An outbox that has held more than `Outbox.compactFrom` rows keeps a published row as its
/// event's id alone: every read must answer as the table kept whole does, and equality must
/// not see the form.
@Suite struct OutboxCompactTests {
    /// A row as the test expects it.
    struct Expected: Equatable {
        var id: Int32
        var publishedAt: Millis?
        var publishes: Int
    }

    static func event(_ n: Int32) -> Event {
        Event(id: EventId(number: n), type: EventType.allCases[Int(n) % EventType.allCases.count],
              orderId: OrderId(number: n / 2 + 1), amount: Int(n), createdAt: Millis(n))
    }

    static func resolve(_ id: EventId) -> Event? { event(id.number) }

    static func agree(_ outbox: Outbox, _ model: [Expected], firstWaiting: Int) {
        #expect(outbox.count == model.count)
        #expect(outbox.unpublishedCount == model.count - firstWaiting)
        #expect(outbox.nextToPublish?.id.number == (firstWaiting < model.count ? model[firstWaiting].id : nil))
        let rows = outbox.rows(events: resolve)
        #expect(rows.map { Expected(id: $0.event.id.number, publishedAt: $0.publishedAt, publishes: $0.publishCount) } == model)
        #expect(rows.allSatisfy { $0.event == event($0.event.id.number) }, "a compact row's event is read from the bus")
        #expect(rows.map(\.published) == model.indices.map { $0 < firstWaiting })
        #expect(outbox.eventIds.map(\.number) == model.map(\.id))
        #expect(outbox.oldestPublishedAt == (firstWaiting > 0 ? model[0].publishedAt : nil))
        for probe in stride(from: Int32(0), to: (model.last?.id ?? 0) + 3, by: 5) {
            let expected = model.first { $0.id == probe }
            let row = outbox.row(EventId(number: probe), events: resolve)
            #expect(row.map { Expected(id: $0.event.id.number, publishedAt: $0.publishedAt, publishes: $0.publishCount) } == expected)
        }
    }

    @Test(arguments: [UInt64(7), 8, 9])
    func aCompactOutboxAnswersAsTheWholeOneDoes(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var outbox = Outbox()
        var model: [Expected] = []
        var firstWaiting = 0
        var nextId: Int32 = 1
        var now: Millis = 0
        var sawCompact = false
        for step in 0..<8_000 {
            now += Millis(generator.next() % 50)
            switch generator.next() % 1_000 {
            case 0..<450:
                outbox.append(OutboxCompactTests.event(nextId))
                model.append(Expected(id: nextId, publishedAt: nil, publishes: 0))
                nextId += Int32(1 + generator.next() % 3)
            case 450..<550:
                guard !model.isEmpty else { break }
                let index = Int(generator.next() % UInt64(model.count))
                outbox.recordSend(EventId(number: model[index].id))
                model[index].publishes += 1
            case 550..<995:
                guard firstWaiting < model.count else { break }
                outbox.recordSend(EventId(number: model[firstWaiting].id))
                model[firstWaiting].publishes += 1
                outbox.markPublished(EventId(number: model[firstWaiting].id), at: now)
                model[firstWaiting].publishedAt = now
                firstWaiting += 1
            default:
                let ttl = Millis(generator.next() % 400_000)
                var gone = 0
                while gone < firstWaiting, let at = model[gone].publishedAt, at + ttl <= now { gone += 1 }
                #expect(outbox.expire(now: now, ttl: ttl) == gone)
                model.removeFirst(gone)
                firstWaiting -= gone
            }
            sawCompact = sawCompact || outbox.isCompact
            if step % 400 == 0 || step == 7_999 { OutboxCompactTests.agree(outbox, model, firstWaiting: firstWaiting) }
        }
        #expect(sawCompact)
    }

    @Test func equalityAndHashingDoNotSeeTheForm() {
        var compacted = Outbox()
        var small = Outbox()
        for n in 1...Int32(Outbox.compactFrom + 100) {
            compacted.append(OutboxCompactTests.event(n))
            compacted.markPublished(EventId(number: n), at: Millis(n))
        }
        #expect(compacted.isCompact)
        compacted.expire(now: Millis(Outbox.compactFrom + 50) + 10, ttl: 10)
        for n in Int32(Outbox.compactFrom + 51)...Int32(Outbox.compactFrom + 100) {
            small.append(OutboxCompactTests.event(n))
            small.markPublished(EventId(number: n), at: Millis(n))
        }
        compacted.append(OutboxCompactTests.event(5_000))
        small.append(OutboxCompactTests.event(5_000))
        #expect(!small.isCompact && compacted.count == small.count)
        #expect(compacted == small)
        #expect(compacted.hashValue == small.hashValue)
        small.recordSend(EventId(number: Int32(Outbox.compactFrom + 60)))
        #expect(compacted != small, "a count of sends the two do not share")
    }

    @Test func twoCompactOutboxesWithTheSameRowsAreEqual() {
        // One published rows that then expired; the other only the rows that stayed.
        var expired = Outbox()
        var fresh = Outbox()
        let last = Int32(Outbox.compactFrom + 400)
        for n in 1...last {
            expired.append(OutboxCompactTests.event(n))
            expired.recordSend(EventId(number: n))
            if n % 7 == 0 { expired.recordSend(EventId(number: n)) }
            expired.markPublished(EventId(number: n), at: Millis(n / 3))
        }
        #expect(expired.expire(now: 100 + 10, ttl: 10) == 302)
        for n in 303...last {
            fresh.append(OutboxCompactTests.event(n))
            fresh.recordSend(EventId(number: n))
            if n % 7 == 0 { fresh.recordSend(EventId(number: n)) }
            fresh.markPublished(EventId(number: n), at: Millis(n / 3))
        }
        #expect(expired.isCompact && fresh.isCompact)
        #expect(expired == fresh && expired.hashValue == fresh.hashValue)
        #expect(expired.row(EventId(number: 308), events: OutboxCompactTests.resolve)?.publishCount == 2)
        fresh.recordSend(EventId(number: 400))
        #expect(expired != fresh, "a count of sends the two do not share")
    }

    /// A range that writes more rows than the table keeps whole takes the compact form as
    /// it is placed, in the room made for it: neither the published rows nor the rows
    /// waiting grow their storage row by row.
    @Test func aLargeRangeKeepsTheRoomMadeForItsRows() {
        var session = Session(seed: 1)
        _ = session.execute("order user-1..2000 prod-1")
        let outbox = session.world.node(.orders).outbox
        #expect(outbox.isCompact && outbox.count == 2000)
        #expect(outbox.capacity >= 2000 * World.outboxRowsPerOrder && outbox.wholeCapacity >= 2000 * World.outboxRowsPerOrder)
    }

    /// A poll that publishes every row waiting trims the table once, at its end, and keeps
    /// the room the rows took for the next batch: trimmed as it went, it moved the rows
    /// still waiting to the front again and again, and gave the room back for the next
    /// batch to grow again by doubling.
    @Test func aPollThatPublishesEveryRowKeepsTheRoomForTheNext() {
        var world = World(seed: 1)
        world.makeRoom(forOrders: 3000)
        for n in 1...3000 { _ = world.placeOrder(customer: "user-\(n)", items: [Lab.item("prod-1")]) }
        let room = world.node(.orders).outbox.wholeCapacity
        #expect(world.poll(.orders) == .published(3000))
        let outbox = world.node(.orders).outbox
        #expect(outbox.isCompact && outbox.count == 3000 && outbox.unpublishedCount == 0)
        #expect(room > 8 * 1024 && outbox.wholeCapacity == room, "the room the batch took stays")
        #expect(world.outboxRows(of: .orders).allSatisfy { $0.published })
    }

    /// 1 100 orders write more than a thousand rows in the orders and payment outboxes: the
    /// tables are compact, and the rows read through the world name each event whole.
    @Test func aWorldWithThousandsOfRowsReadsThemThroughTheBus() {
        var session = Session(seed: 2)
        _ = session.execute("stock prod-1 2000")
        _ = session.execute("order user-1..1100 prod-1")
        _ = session.execute("run quiet")
        let world = session.world
        for service in [ServiceName.orders, .payment] {
            #expect(world.node(service).outbox.isCompact, "\(service)")
            let rows = world.outboxRows(of: service)
            #expect(rows.count == world.node(service).outbox.count && rows.allSatisfy(\.published))
            #expect(rows.allSatisfy { $0.event == world.published[world.publishedIndex($0.event.id)!].event })
        }
        #expect(session.execute("show outbox payment").text.contains("payment.completed"))
    }
}
