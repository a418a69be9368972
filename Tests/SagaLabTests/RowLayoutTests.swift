@testable import SagaKernel
@testable import SagaLab
import Testing

/// The rows a world keeps one of per event or more: a million orders leave tens of millions,
/// so a byte of padding in one is tens of megabytes, and memory is time on this machine.
@Suite struct RowLayoutTests {
    @Test func aTraceEntryTakes48BytesAndKeepsItsIds() {
        // A million orders keep 25 million entries: a case of `Happening` that grows past
        // 24 bytes inline, or an id stored as an optional, makes every entry 56 or 64.
        #expect(MemoryLayout<TraceEntry>.stride == 48)
        var entry = TraceEntry(time: 5, service: .payment, orderId: OrderId(number: 0), what: .recorded(.note, text: "n"))
        #expect(entry.orderId == OrderId(number: 0) && entry.eventId == nil)
        entry.eventId = EventId(number: 7)
        entry.orderId = nil
        #expect(entry.orderId == nil && entry.eventId == EventId(number: 7))
        let same = TraceEntry(time: 5, service: .payment, orderId: nil, eventId: EventId(number: 7), what: .recorded(.note, text: "n"))
        #expect(entry == same && entry.hashValue == same.hashValue)
        // No order is not order `-` (number 0, a malformed event's).
        #expect(entry != TraceEntry(time: 5, service: .payment, orderId: OrderId(number: 0), eventId: EventId(number: 7),
                                    what: .recorded(.note, text: "n")))
    }

    @Test func aPublicationIsItsEventAndTheFewPublishedAgainCountApart() {
        // Some five million events reach the bus after a range of a million orders.
        #expect(MemoryLayout<Event>.stride == 24)
        func event(_ n: Int32) -> Event {
            Event(id: EventId(number: n), type: .orderCreated, orderId: OrderId(number: n), amount: 1, createdAt: 0)
        }
        var published = Publications()
        published.append(event(1))
        published.append(event(2), count: 3)
        published.append(event(3))
        #expect(published.map(\.count) == [1, 3, 1] && published.map(\.event.id.number) == [1, 2, 3])
        #expect(published.publishAgain(at: 0) == 2 && published.publishAgain(at: 0) == 3)
        #expect(published.map(\.count) == [3, 3, 1] && published[2] == World.Publication(event: event(3), count: 1))
        var same = Publications()
        same.append(event(1), count: 3)
        same.append(event(2), count: 3)
        same.append(event(3))
        #expect(same == published && same.hashValue == published.hashValue)
    }

    @Test func anEventKeepsEveryFieldIn24Bytes() {
        // The fields share two words: each must come back as written, at the ends of its
        // range too, whatever the others hold.
        let reasons: [Reason?] = [nil, Reason(number: 0), Reason(number: 0xFFFF), Reason(number: 0x1_0000), Reason(number: UInt32.max)]
        let amounts = [0, 1, -1, 1_000_000_000_00, Event.amountRange.lowerBound, Event.amountRange.upperBound]
        let times: [Millis] = [0, 1, -1, 86_400_000 * 10_000, Event.timeRange.lowerBound, Event.timeRange.upperBound]
        var seen = Set<Event>()
        for (n, type) in EventType.allCases.enumerated() {
            for why in reasons {
                for amount in amounts {
                    for time in times {
                        for flags in 0..<4 {
                            let event = Event(id: EventId(number: Int32(n)), type: type, orderId: OrderId(number: Int32(-n)), amount: amount,
                                              why: why, createdAt: time, orchestrated: flags & 1 != 0, isMalformed: flags & 2 != 0)
                            #expect(event.type == type && event.why == why && event.amount == amount && event.createdAt == time)
                            #expect(event.orchestrated == (flags & 1 != 0) && event.isMalformed == (flags & 2 != 0))
                            #expect(event.id.number == Int32(n) && event.orderId.number == Int32(-n))
                            seen.insert(event)
                        }
                    }
                }
            }
        }
        #expect(seen.count == EventType.allCases.count * reasons.count * amounts.count * times.count * 4, "no two tell alike")
        // Writing one field leaves the others as they were.
        var event = Event(id: EventId(number: 1), type: .paymentFailed, orderId: OrderId(number: 2), amount: -5, why: Reason(number: UInt32.max),
                          createdAt: -7, orchestrated: true, isMalformed: true)
        event.why = nil
        event.amount = 9
        event.createdAt = Event.timeRange.upperBound
        #expect(event == Event(id: EventId(number: 1), type: .paymentFailed, orderId: OrderId(number: 2), amount: 9, why: nil,
                               createdAt: Event.timeRange.upperBound, orchestrated: true, isMalformed: true))
        // Past its range a field keeps the nearest end of it.
        event.amount = Int.max
        event.createdAt = Millis.min
        #expect(event.amount == Event.amountRange.upperBound && event.createdAt == Event.timeRange.lowerBound)
        #expect(Session.maxOrderTotal <= Event.amountRange.upperBound, "every order's total fits")
    }

    @Test func aReservationTakes32BytesAndAnOrdersOneIsHeldInPlace() {
        // An order's one reservation sits in the inventory's table, a row of 40 bytes, where
        // an array of one took 64 bytes on the heap besides the table's 8.
        #expect(MemoryLayout<InventoryDB.Reservation>.stride == 32)
        #expect(MemoryLayout<HeldReservations>.stride == 40)
        let items = [OrderItem(product: "prod-1", quantity: 2)]
        let reservations = (1...3).map {
            InventoryDB.Reservation(orderId: OrderId(number: 4), items: items, eventId: EventId(number: Int32($0)), at: 7,
                                    sequence: Int32($0))
        }
        var held: HeldReservations = []
        #expect(held.isEmpty && held == HeldReservations())
        for reservation in reservations { held.append(reservation) }
        #expect(Array(held) == reservations && held.count == 3 && held[2].eventId == EventId(number: 3))
        held[0].isSold = true
        held[2].isSold = true
        #expect(held.map(\.isSold) == [true, false, true])
        var again: HeldReservations = [reservations[0], reservations[1], reservations[2]]
        #expect(again != held)
        again[0].isSold = true
        again[2].isSold = true
        #expect(again == held && again.hashValue == held.hashValue, "the same reservations are held the same way")
        var digest = DigestHasher(seed: 1)
        held.digest(into: &digest)
        var arrayDigest = DigestHasher(seed: 1)
        Array(held).digest(into: &arrayDigest)
        #expect(digest.value == arrayDigest.value, "the explorer hashes them as it hashed an array of them")
    }

    @Test func anAgendaItemIsADeliveryWideAndPlainBytes() {
        // Every message in flight waits as an item, and the explorer lists and copies them
        // at every state: an answer to a call fits in a delivery's width, and no item holds
        // a reference, so copying and dropping items copies and drops bytes, with nothing
        // to retain or release.
        #expect(MemoryLayout<Agenda.Action>.size <= MemoryLayout<Delivery>.stride)
        #expect(MemoryLayout<TaskReply>.size <= MemoryLayout<Delivery>.stride)
        #expect(_isPOD(Agenda.Item.self) && _isPOD(World.Move.self) && _isPOD(ScheduleAction.self))
        let call = TaskCall(executionId: ExecutionId(number: 2), task: .processPayment, attempt: 3,
                            order: Event(id: EventId(number: 1), type: .orderCreated, orderId: OrderId(number: 1), amount: 10, createdAt: 0),
                            run: 2)
        #expect(call.attempt == 3 && call.run == 2)
        let outcome = TaskOutcome(error: .paymentDeclined, detail: "card declined")
        #expect(outcome.detail == "card declined" && outcome == TaskOutcome(error: .paymentDeclined, detail: "card declined"))
        #expect(outcome != TaskOutcome(error: .paymentDeclined, detail: "insufficient funds"))
    }

    @Test func aBucketsSlotIsADeliverysFieldsIn32Bytes() {
        // A million orders' batches keep millions of slots in the agenda's buckets: a slot
        // holds a plain delivery's event (24 bytes), its sequence as an offset from the
        // bucket's first, its target, handler, attempt and flags, where it held the whole
        // item (64 bytes, its time and sequence included; 88 once).
        #expect(MemoryLayout<Delivery>.stride == 48)
        #expect(MemoryLayout<Agenda.Item>.stride == 64 && MemoryLayout<Agenda.Bucket.Slot>.stride == 32)
        let delivery = Delivery(event: Event(id: EventId(number: 3), type: .orderCreated, orderId: OrderId(number: 2), amount: 1,
                                             createdAt: 0),
                                target: .payment, handler: .chargePayment, attempt: 1, isCopy: false)
        var bucket = Agenda.Bucket(Agenda.Item(time: 5, sequence: 7, action: .deliver(delivery)))
        bucket.append(Agenda.Item(time: 5, sequence: 9, action: .poll(.orders)))
        let hint = bucket.firstHint
        #expect(hint?.event == EventId(number: 3) && hint?.order == OrderId(number: 2) && hint?.target == .payment)
        #expect(bucket.remove(sequence: 7)?.sequence == 7)
        #expect(bucket.firstHint == nil, "a poll reads no rows")
        #expect(bucket.remove(sequence: 7) == nil, "a taken slot keeps its bytes, not its item")
        #expect(bucket.live.map(\.sequence) == [9])
    }

    @Test func anOutboxRowTakes40BytesAndKeepsItsTimes() {
        #expect(MemoryLayout<Outbox.Row>.stride == 40)
        var outbox = Outbox()
        outbox.append(Event(id: EventId(number: 1), type: .orderCreated, orderId: OrderId(number: 1), amount: 10, createdAt: 0))
        #expect(outbox.rows { _ in nil }[0].publishedAt == nil && outbox.rows { _ in nil }[0].publishCount == 0 && !outbox.rows { _ in nil }[0].published)
        outbox.markPublished(EventId(number: 1), at: 0)
        #expect(outbox.rows { _ in nil }[0].publishedAt == 0, "published at time 0 is not never published")
    }

    @Test func anApplicationsCountTakesTwoBitsAndCountsOnPastThem() {
        // Five counts an event for some five million events: an event's counts share two
        // bytes, and one that reaches 3 goes on counting beside the calls' counts.
        #expect(MemoryLayout.size(ofValue: Applications().eventCounts.first ?? 0) == 2)
        var counted = Applications()
        var other = Applications()
        for _ in 0..<300 { counted.add(.analytics, .event("evt-2")) }
        counted.add(.payment, .event("evt-2"))
        other.add(.payment, .event("evt-2"))
        for _ in 0..<300 { other.add(.analytics, .event("evt-2")) }
        #expect(counted.count(.analytics, .event("evt-2")) == 300 && counted.count(.payment, .event("evt-2")) == 1)
        #expect(counted == other && counted.hashValue == other.hashValue)
        #expect(counted.countedMoreThanOnce == 1)
        #expect(counted.moreThanOnce == [Applications.Key(service: .analytics, id: .event("evt-2"))])
        #expect(counted.all.count == 2, "a count kept past its byte is listed once")
        counted.add(.analytics, .event("evt-2"))
        #expect(counted.count(.analytics, .event("evt-2")) == 301 && counted != other)
        counted.forgetEvents(of: .analytics)
        #expect(counted.count(.analytics, .event("evt-2")) == 0 && counted.countedMoreThanOnce == 0)
        #expect(counted.callCounts.isEmpty, "forgetting a count forgets it where it was kept")
        // Each service's count is its own, below and past its bits, and a twice-counted
        // key is counted once among those counted more than once.
        var each = Applications()
        for (index, service) in ServiceName.allCases.enumerated() {
            for _ in 0..<(index + 1) { each.add(service, .event("evt-7")) }
        }
        #expect(ServiceName.allCases.enumerated().allSatisfy { each.count($1, .event("evt-7")) == $0 + 1 })
        #expect(each.countedMoreThanOnce == ServiceName.allCases.count - 1 && each.count(.orders, .event("evt-6")) == 0)
        each.forgetEvents(of: .payment)
        #expect(each.count(.payment, .event("evt-7")) == 0 && each.count(.inventory, .event("evt-7")) == 2)
        #expect(each.countedMoreThanOnce == ServiceName.allCases.count - 2)
    }

    @Test func anOrderAndARewardsEntryStoreTheirWidestFieldsFirst() {
        // One order and one or two ledger entries for each order a million orders place.
        #expect(MemoryLayout<Order>.stride == 64)
        // The reason and the time it settled read back as written.
        var order = Order(id: OrderId(number: 1), customer: "ann", items: [], total: 0, status: .pending, reason: nil,
                          createdAt: 0, settledAt: nil, sagaId: SagaId(number: 1))
        #expect(order.reason == nil && order.settledAt == nil)
        order.reason = "Payment failed: card declined"
        order.settledAt = 0
        #expect(order.reason == "Payment failed: card declined" && order.settledAt == 0, "settled at 0 is not never settled")
        #expect(MemoryLayout<RewardsDB.Entry>.stride == 40)
    }

    @Test func aProcessedMarkTakes24Bytes() {
        #expect(MemoryLayout<ProcessedEvents.Mark>.stride == 24)
        var processed = ProcessedEvents()
        let call = TaskCall(executionId: ExecutionId(number: 1), task: .releaseInventory, attempt: 1,
                            order: Event(id: EventId(number: 1), type: .orderCreated, orderId: OrderId(number: 1), amount: 10, createdAt: 0),
                            run: 3)
        processed.mark(call, TaskOutcome(error: nil, detail: "released"), at: 5)
        let row = processed.row(call.token, now: 5, ttl: VirtualTime.day) { _ in nil }
        #expect(row?.eventId == "ord-1:release-inventory:3" && row?.orderId == OrderId(number: 1) && row?.processedAt == 5)
    }

    @Test func aSagaStateKeepsItsSixRecordsIn88Bytes() {
        #expect(MemoryLayout<SagaState>.stride == 88)
        // Every name, outcome and reason (none, the first, a far one) comes back as written.
        let far = Reason(number: (1 << 28) - 2)
        var saga = SagaState(sagaId: SagaId(number: 1), orderId: OrderId(number: 1), at: 3)
        var written = [SagaState.StepRecord(name: .created, succeeded: true, at: 3)]
        for (n, name) in SagaStepName.allCases.dropFirst().enumerated() {
            var record = SagaState.StepRecord(name: name, succeeded: n % 2 == 0, at: Millis.max - Millis(n))
            record.why = [nil, Reason(number: 0), far][n % 3]
            written.append(record)
        }
        saga.steps = written
        #expect(saga.steps == written)
        saga.update(.created, succeeded: false, at: 9, error: "again")
        #expect(saga.steps.map(\.name) == Array(SagaStepName.allCases.dropFirst()) + [.created])
        #expect(saga.record(.created)?.error == "again" && saga.record(.created)?.at == 9)
    }
}
