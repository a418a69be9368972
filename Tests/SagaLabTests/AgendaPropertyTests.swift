@testable import SagaKernel
@testable import SagaLab
import Testing

/// The bucketed agenda must hand out exactly what a plain list sorted by (time, sequence)
/// would, through any mix of scheduling, taking and removing.
struct AgendaPropertyTests {
    @Test func theAgendaAgreesWithASortedListOnRandomOperations() {
        for seed in UInt64(1)...40 {
            var r = SeededGenerator(seed: seed)
            var agenda = Agenda()
            var reference: [Agenda.Item] = []
            var sequence = 0
            var now: Millis = 0
            for _ in 0..<600 {
                switch r.int(in: 0...10) {
                case 0...4:
                    let time = now + r.int(in: 0...40)
                    let action: Agenda.Action
                    switch r.int(in: 0...5) {
                    case 0: action = .poll(ServiceName.publishers[r.int(in: 0...2)])
                    case 1, 2: action = .timer(SagaTimer(executionId: ExecutionId(number: Int32(r.int(in: 1...9))), kind: .deadline))
                    default: action = .deliver(AgendaPropertyTests.randomDelivery(&r))
                    }
                    if case .deliver(let d) = action, d.attempt == 1, d.retry == nil, d.immediateRetries == 0,
                       r.int(in: 0...1) == 0 {
                        // The bus's way in for a first try, which must wait exactly where the other would.
                        agenda.scheduleFirstTry(d.event, to: d.target, handler: d.handler, isCopy: d.isCopy, at: time)
                    } else {
                        agenda.schedule(action, at: time)
                    }
                    reference.append(Agenda.Item(time: time, sequence: sequence, action: action))
                    sequence += 1
                case 5...7:
                    reference.sort { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
                    let expected = reference.isEmpty ? nil : reference.removeFirst()
                    #expect(agenda.next.map(\.time) == expected?.time, "seed \(seed)")
                    let popped = agenda.popFirst()
                    #expect(popped == expected, "seed \(seed)")
                    if let popped { now = popped.time }
                case 8:
                    let victim = ExecutionId(number: Int32(r.int(in: 1...9)))
                    let picks: (Agenda.Item) -> Bool = {
                        if case .timer(let t) = $0.action { return t.executionId == victim } else { return false }
                    }
                    let removed = agenda.remove(where: picks)
                    let expected = reference.filter(picks).sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
                    reference.removeAll(where: picks)
                    #expect(removed == expected, "seed \(seed)")
                case 9:
                    guard !reference.isEmpty else { continue }
                    let victim = reference[r.int(in: 0...(reference.count - 1))]
                    let taken = agenda.remove(at: victim.time, sequence: victim.sequence)
                    if victim.action.isPoll {
                        #expect(taken == nil, "polls are not taken by time and sequence")
                    } else {
                        #expect(taken == victim, "seed \(seed)")
                        reference.removeAll { $0 == victim }
                        #expect(agenda.remove(at: victim.time, sequence: victim.sequence) == nil, "taken once only")
                    }
                default:
                    #expect(agenda.items == reference.sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) })
                    #expect(agenda.count == reference.count)
                    #expect(agenda.hasWork == reference.contains { !$0.action.isPoll })
                }
            }
        }
    }

    /// A delivery as the bus sends one (its slot in a bucket holds its fields alone), or as
    /// a retry, a redrive or a long run of redeliveries sends one (it waits whole).
    static func randomDelivery(_ r: inout SeededGenerator) -> Delivery {
        let event = Event(id: EventId(number: Int32(r.int(in: 1...500))), type: .orderCreated,
                          orderId: OrderId(number: Int32(r.int(in: 1...200))), amount: r.int(in: 0...900), createdAt: 0)
        var delivery = Delivery(event: event, target: .payment, handler: .chargePayment, attempt: 1,
                                isCopy: r.int(in: 0...3) == 0)
        switch r.int(in: 0...7) {
        case 0: delivery.attempt = r.int(in: 2...300)
        case 1: delivery.immediateRetries = r.int(in: 1...3)
        case 2: delivery.retry = .delayed(Int32(r.int(in: 1...3)))
        case 3: delivery.retry = .redrive(DeadLetterId(number: Int32(r.int(in: 1...9))))
        default: break
        }
        return delivery
    }

    @Test func aBucketKeepsPlainDeliveriesAsTheirFieldsAndEverythingElseWhole() {
        let plain = Delivery(event: Event(id: EventId(number: 3), type: .paymentCompleted, orderId: OrderId(number: 2),
                                          amount: 40, createdAt: 9),
                             target: .inventory, handler: .reserveStock, attempt: 1, isCopy: true)
        var retried = plain
        retried.retry = RetryCause.immediate(1)
        retried.immediateRetries = 1
        let timer = Agenda.Action.timer(SagaTimer(executionId: ExecutionId(number: 1), kind: .deadline))
        let items = [Agenda.Item(time: 7, sequence: 10, action: .deliver(plain)),
                     Agenda.Item(time: 7, sequence: 11, action: timer),
                     Agenda.Item(time: 7, sequence: 12, action: .deliver(retried)),
                     Agenda.Item(time: 7, sequence: 13, action: .deliver(plain))]
        var bucket = Agenda.Bucket(items[0], room: 2)
        for item in items.dropFirst() { bucket.append(item) }
        #expect(bucket.live == items)
        #expect(bucket.item(sequence: 12) == items[2] && bucket.item(sequence: 14) == nil)
        #expect(bucket.remove(sequence: 11) == items[1])
        #expect(bucket.live == [items[0], items[2], items[3]])
        var emptied = false
        #expect(bucket.popFirst(emptied: &emptied) == items[0] && !emptied)
        #expect(bucket.firstHint?.event == EventId(number: 3), "a delivery kept whole still hints at its rows")
        // The taken slots before the head are dropped when an append would grow the array,
        // the whole items behind them with them.
        var sequence = 14
        while bucket.capacity > bucket.live.count + 2 {
            bucket.append(Agenda.Item(time: 7, sequence: sequence, action: sequence % 2 == 0 ? timer : .deliver(plain)))
            sequence += 1
        }
        let before = bucket.live
        bucket.append(Agenda.Item(time: 7, sequence: sequence, action: timer))
        bucket.append(Agenda.Item(time: 7, sequence: sequence + 1, action: .deliver(retried)))
        #expect(bucket.live == before + [Agenda.Item(time: 7, sequence: sequence, action: timer),
                                         Agenda.Item(time: 7, sequence: sequence + 1, action: .deliver(retried))])
        #expect(bucket == Agenda.Bucket(bucket.live), "only the items waiting count for equality")
    }

    @Test func anItemFourBillionSequencesAfterTheBucketsFirstIsStillFound() {
        let delivery = Delivery(event: Event(id: EventId(number: 1), type: .orderCreated, orderId: OrderId(number: 1),
                                             amount: 1, createdAt: 0),
                                target: .payment, handler: .chargePayment, attempt: 1, isCopy: false)
        let far = 5_000_000_000
        let items = [Agenda.Item(time: 3, sequence: 1, action: .deliver(delivery)),
                     Agenda.Item(time: 3, sequence: far, action: .deliver(delivery)),
                     Agenda.Item(time: 3, sequence: far + 2, action: .deliver(delivery))]
        var bucket = Agenda.Bucket(items)
        #expect(bucket.live == items)
        #expect(bucket.item(sequence: far + 2) == items[2] && bucket.item(sequence: far + 1) == nil)
        #expect(bucket.remove(sequence: far) == items[1])
        var emptied = false
        #expect(bucket.popFirst(emptied: &emptied) == items[0] && !emptied)
        #expect(bucket.popFirst(emptied: &emptied) == items[2] && emptied)
    }

    @Test func agendasHoldingTheSameItemsAreEqualHoweverTheyGotThere() {
        let x = Agenda.Action.timer(SagaTimer(executionId: "exec-1", kind: .deadline))
        let y = Agenda.Action.timer(SagaTimer(executionId: "exec-2", kind: .deadline))
        // a takes x from the front of the bucket at 5; b never had x in that bucket.
        var a = Agenda()
        a.schedule(x, at: 5)
        a.schedule(y, at: 5)
        _ = a.popFirst()
        var b = Agenda()
        b.schedule(x, at: 4)
        b.schedule(y, at: 5)
        _ = b.popFirst()
        #expect(a.items.map(\.sequence) == [1])
        #expect(a == b, "the same items waiting make equal agendas")
        #expect(a.hashValue == b.hashValue)
        var c = b
        c.schedule(x, at: 5)
        #expect(c != b)
        // A cancelled item leaves no trace either.
        var d = Agenda()
        d.schedule(x, at: 5)
        d.schedule(y, at: 5)
        #expect(d.remove(at: 5, sequence: 0) != nil)
        #expect(d == b)
        #expect(d.hashValue == b.hashValue)
    }

    /// A few items wait in one array and more in buckets (`Agenda.fewLimit`): an agenda
    /// that grows past the limit and drains below it again, over and over, still hands out
    /// what a sorted list would.
    @Test func theAgendaAgreesWithASortedListAcrossTheLimitOfFewItems() {
        let sorted: ([Agenda.Item]) -> [Agenda.Item] = { $0.sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) } }
        for seed in UInt64(1)...20 {
            var r = SeededGenerator(seed: seed)
            var agenda = Agenda()
            var reference: [Agenda.Item] = []
            var sequence = 0
            var now: Millis = 0
            for _ in 0..<6 {
                let high = Agenda.fewLimit * 2 + r.int(in: 0...10)
                // A publisher's batch gives new buckets room: the order stays the list's.
                agenda.expect(r.int(in: 0...2_000), over: r.int(in: 1...40), from: now + r.int(in: 0...20))
                while reference.count < high {
                    let time = now + r.int(in: 0...40)
                    let action: Agenda.Action = r.int(in: 0...7) == 0
                        ? .poll(ServiceName.publishers[r.int(in: 0...2)])
                        : .timer(SagaTimer(executionId: ExecutionId(number: Int32(r.int(in: 1...9))), kind: .deadline))
                    agenda.schedule(action, at: time)
                    reference.append(Agenda.Item(time: time, sequence: sequence, action: action))
                    sequence += 1
                }
                #expect(agenda.items == sorted(reference), "seed \(seed)")
                let low = r.int(in: 0...8)
                while reference.count > low {
                    if r.chance(percent: 60) {
                        reference = sorted(reference)
                        let expected = reference.removeFirst()
                        let popped = agenda.popFirst()
                        #expect(popped == expected, "seed \(seed)")
                        now = expected.time
                    } else {
                        let victim = reference[r.int(in: 0...(reference.count - 1))]
                        guard !victim.action.isPoll else { continue }
                        #expect(agenda.remove(at: victim.time, sequence: victim.sequence) == victim, "seed \(seed)")
                        reference.removeAll { $0 == victim }
                    }
                    #expect(agenda.count == reference.count, "seed \(seed)")
                    #expect(agenda.first == sorted(reference).first, "seed \(seed)")
                }
                #expect(agenda.items == sorted(reference), "seed \(seed)")
            }
        }
    }

    @Test func aBatchsBucketsStartWithRoomForItEvenWhenItsFirstItemsWaitedInFew() {
        // A batch of 3 000 deliveries over 10 times, onto an empty agenda: its first items
        // wait in the array of few, then move to buckets that must have the batch's room,
        // or each doubles a dozen times on the way, copying its items.
        var agenda = Agenda()
        agenda.expect(3_000, over: 10, from: 100)
        var r = SeededGenerator(seed: 4)
        for _ in 0..<(Agenda.fewLimit + 1) {
            agenda.schedule(.timer(SagaTimer(executionId: ExecutionId(number: 1), kind: .deadline)), at: 100 + r.int(in: 0...9))
        }
        for time in Millis(100)..<110 {
            guard let room = agenda.bucketRoom(at: time) else { continue }
            #expect(room >= 300, "the bucket at \(time) has room for \(room)")
        }
        // The whole batch, then a second at the same moment: the buckets already there get
        // room for its items too.
        var atFirstTime = 0
        for _ in 0..<3_000 {
            let time = 100 + r.int(in: 0...9)
            if time == 100 { atFirstTime += 1 }
            agenda.schedule(.timer(SagaTimer(executionId: ExecutionId(number: 1), kind: .deadline)), at: time)
        }
        agenda.expect(3_000, over: 10, from: 100)
        #expect((agenda.bucketRoom(at: 100) ?? 0) >= atFirstTime + 300)
        agenda.expect(0, over: 1)
    }

    /// Whether items wait in one array or in buckets follows from how many wait: the same
    /// items make equal agendas whether or not more waited in between.
    @Test func theSameItemsAreEqualAgendasOnEitherSideOfTheLimit() {
        for kept in [Agenda.fewLimit - 2, Agenda.fewLimit + 6] {
            var crossed = Agenda()
            var never = Agenda()
            let total = kept * 2 + 2
            for index in 0..<total {
                let action = Agenda.Action.timer(SagaTimer(executionId: ExecutionId(number: Int32(index + 1)), kind: .deadline))
                let time = Millis(100 - index % 7)
                crossed.schedule(action, at: time)
                never.schedule(action, at: time)
                if index % 2 == 1 { #expect(never.remove(at: time, sequence: index) != nil) }
            }
            for index in stride(from: 1, to: total, by: 2) {
                #expect(crossed.remove(at: Millis(100 - index % 7), sequence: index) != nil)
            }
            #expect(crossed.count == never.count)
            #expect(crossed == never, "\(kept) items left")
            #expect(crossed.hashValue == never.hashValue)
        }
    }

    /// The scheduler hints the processor at the rows of the delivery after the one it takes
    /// (`World.prefetchRows`): the hint must name that delivery, or the hint is wasted.
    @Test func takingAnItemTellsOfTheDeliveryAfterIt() {
        var session = Session(seed: 3)
        for line in ["stock prod-1 500", "order user-1..500 prod-1", "advance 30s"] {
            #expect(!session.execute(line).isError, "\(line)")
        }
        var agenda = session.world.agenda
        var hinted = 0
        while let next = agenda.next {
            var following: PrefetchHint?
            _ = agenda.take(next, following: &following)
            guard let following else { continue }
            hinted += 1
            guard let item = agenda.first, case .deliver(let delivery) = item.action else {
                Issue.record("a hint with no delivery after it")
                return
            }
            #expect(item.time == next.time)
            #expect(following.target == delivery.target && following.event == delivery.event.id
                    && following.order == delivery.event.orderId)
        }
        #expect(hinted > 500, "a publisher's batch leaves deliveries at the same instant")
    }
}
