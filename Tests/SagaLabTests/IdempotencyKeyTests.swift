@testable import SagaKernel
@testable import SagaLab
import Testing

/// API idempotency keys on the orders API (the Step Functions shop, with AWS Lambda Powertools' record
/// lifecycle): every rule is checked on the world's state, not on the text it prints.
@Suite struct IdempotencyKeyTests {
    static let items = [Lab.item("prod-1", 2)]

    /// Places an order with a key for alice (prod-1x2 unless told otherwise).
    @discardableResult
    static func keyed(_ w: inout World, _ key: String = "k1", _ customer: String = "alice",
                      _ items: [OrderItem] = items) -> OrderResponse {
        w.placeOrder(customer: customer, items: items, key: key)
    }

    static func record(_ w: World, _ key: String = "k1") -> IdempotencyRecord? {
        w.orders.idempotency.record(key)
    }

    static func outboxRows(_ w: World) -> Int { w.node(.orders).outbox.count }

    // MARK: - First use and replay

    @Test func firstUseCreatesTheOrderAndCompletesTheRecord() throws {
        var w = World()
        #expect(Self.keyed(&w) == .created(orderId: "ord-1", total: 2_000))
        let record = try #require(Self.record(w))
        #expect(record.status == .completed)
        #expect(record.payload == "alice prod-1x2")
        #expect(record.response == StoredOrderResponse(orderId: "ord-1", status: .pending, total: 2_000))
        #expect(record.expiresAt == 10 * VirtualTime.minute, "the Step Functions shop: ten minutes")
        #expect(record.inProgressExpiresAt == 30 * VirtualTime.second)
        #expect(w.orders.idempotency.ordersByKey["k1"]?.map(\.orderId) == ["ord-1"])
    }

    @Test func replayWithinTheExpiryCreatesNothingAndReturnsTheOriginalPending() throws {
        var w = World()
        Self.keyed(&w)
        w.run()
        #expect(Lab.orderStatus(w, "ord-1") == .confirmed)
        let before = w
        let publishedBefore = w.published.count
        let response = Self.keyed(&w)
        #expect(response == .replayed(StoredOrderResponse(orderId: "ord-1", status: .pending, total: 2_000), key: "k1"),
                "the stored response, not the order's current state")
        #expect(w.orders.orders == before.orders.orders, "no order created or changed")
        #expect(w.orders.sagas == before.orders.sagas)
        #expect(Self.outboxRows(w) == Self.outboxRows(before), "no outbox row")
        #expect(w.published.count == publishedBefore, "no event")
        #expect(w.agenda == before.agenda, "nothing new scheduled")
        #expect(w.orders.idempotency == before.orders.idempotency, "the record is left as it was")
        #expect(w.trace.last?.kind == .skip && w.trace.last?.orderId == "ord-1")
    }

    @Test func withoutAKeyEveryRequestCreatesAnOrderAndNoRecord() {
        var w = World()
        Lab.order(&w)
        Lab.order(&w)
        #expect(w.orders.orders.count == 2)
        #expect(w.orders.idempotency.records.isEmpty)
        #expect(w.orders.idempotency.ordersByKey.isEmpty)
    }

    @Test func aNewKeyMakesANewOrder() {
        var w = World()
        Self.keyed(&w, "k1")
        Self.keyed(&w, "k1")
        #expect(Self.keyed(&w, "k2") == .created(orderId: "ord-2", total: 2_000))
        #expect(w.orders.orders.map(\.id) == ["ord-1", "ord-2"])
        #expect(w.orders.idempotency.records.map(\.key) == ["k1", "k2"])
    }

    // MARK: - Expiry

    @Test func afterTheExpiryTheSameKeyCreatesANewOrder() throws {
        var w = World()
        Self.keyed(&w)
        w.advance(by: 10 * VirtualTime.minute - 1)
        guard case .replayed = Self.keyed(&w) else { Issue.record("one millisecond before the expiry it still replays"); return }
        w.advance(by: 1)
        #expect(Self.keyed(&w) == .created(orderId: "ord-2", total: 2_000), "at the expiry the record no longer answers")
        let record = try #require(Self.record(w))
        #expect(record.status == .completed)
        #expect(record.response?.orderId == "ord-2")
        #expect(record.expiresAt == w.now + 10 * VirtualTime.minute)
        #expect(w.orders.idempotency.records.count == 1, "the expired row was replaced, not added to")
        #expect(w.orders.idempotency.ordersByKey["k1"]?.map(\.orderId) == ["ord-1", "ord-2"])
    }

    @Test func keyExpiryIsASetting() throws {
        var w = World()
        try w.set("key-expiry", VirtualTime.minute)
        Self.keyed(&w)
        #expect(Self.record(w)?.expiresAt == VirtualTime.minute)
        w.advance(by: VirtualTime.minute)
        #expect(Self.keyed(&w) == .created(orderId: "ord-2", total: 2_000))
        #expect(throws: WorldError.self) { try w.set("key-expiry", 0) }
        #expect(throws: WorldError.self) { try w.set("key-in-progress-expiry", 500) }
        #expect(w.settings.keyExpiry == VirtualTime.minute)
    }

    // MARK: - Crashes leave the record INPROGRESS

    @Test func crashAfterCommitLeavesItInProgressAndTheRetryAfterItsExpiryMakesASecondOrder() throws {
        var w = World()
        try w.arm(.orders, at: .afterCommit)
        #expect(Self.keyed(&w) == .noResponse(savedOrderId: "ord-1"))
        let stuck = try #require(Self.record(w))
        #expect(stuck.status == .inProgress)
        #expect(stuck.response == nil)
        #expect(stuck.inProgressExpiresAt == 30 * VirtualTime.second)

        try w.restart(.orders)
        let ordersBefore = w.orders.orders
        guard case .refused(409, _) = Self.keyed(&w) else { Issue.record("a live INPROGRESS record answers 409"); return }
        #expect(w.orders.orders == ordersBefore)
        #expect(Self.record(w) == stuck)

        w.advance(by: 30 * VirtualTime.second - 1)
        guard case .refused(409, _) = Self.keyed(&w) else { Issue.record("still locked a millisecond before"); return }
        w.advance(by: 1)
        #expect(Self.keyed(&w) == .created(orderId: "ord-2", total: 2_000), "Powertools #4759: the lock expired, the order is made again")
        #expect(Self.record(w)?.status == .completed)
        #expect(Self.record(w)?.response?.orderId == "ord-2")
        w.run()
        #expect(w.orders.orders.filter { $0.status == .confirmed }.count == 2, "one key, two confirmed orders")
        #expect(w.payment.charges.count == 2)
    }

    @Test func onlyATakenOverLockCountsAsADuplicateOrder() throws {
        var w = World()
        try w.arm(.orders, at: .afterCommit)
        Self.keyed(&w, "after")
        try w.arm(.orders, at: .beforeCommit)
        try w.restart(.orders)
        Self.keyed(&w, "before")
        try w.restart(.orders)
        Self.keyed(&w, "expiring")
        w.advance(by: 30 * VirtualTime.second)
        Self.keyed(&w, "after")
        Self.keyed(&w, "before")
        w.advance(by: 10 * VirtualTime.minute)
        Self.keyed(&w, "expiring")
        Self.keyed(&w, "before")
        let made = w.orders.idempotency.ordersByKey
        #expect(made["after"]?.map(\.tookOverLock) == [false, true])
        #expect(made["before"]?.map(\.tookOverLock) == [true, false], "its first order came from the taken-over lock")
        #expect(made["expiring"]?.map(\.tookOverLock) == [false, false])
        #expect(w.orders.idempotency.keysWithDuplicateOrders == ["after"])
    }

    @Test func crashBeforeCommitLeavesItInProgressButTheRetryMakesOnlyOneOrder() throws {
        var w = World()
        try w.arm(.orders, at: .beforeCommit)
        guard case .failed(500, _) = Self.keyed(&w) else { Issue.record("the crash answers 500"); return }
        #expect(w.orders.orders.isEmpty)
        #expect(Self.record(w)?.status == .inProgress, "the process died before it could delete the record")
        try w.restart(.orders)
        guard case .refused(409, _) = Self.keyed(&w) else { Issue.record("409 while the lock holds"); return }
        w.advance(by: 30 * VirtualTime.second)
        #expect(Self.keyed(&w) == .created(orderId: "ord-1", total: 2_000))
        #expect(w.orders.orders.count == 1)
    }

    @Test func inProgressExpiryIsASetting() throws {
        var w = World()
        try w.set("key-in-progress-expiry", 2 * VirtualTime.minute)
        try w.arm(.orders, at: .beforeCommit)
        Self.keyed(&w)
        try w.restart(.orders)
        w.advance(by: VirtualTime.minute)
        guard case .refused(409, _) = Self.keyed(&w) else { Issue.record("locked for two minutes"); return }
        w.advance(by: VirtualTime.minute)
        #expect(Self.keyed(&w) == .created(orderId: "ord-1", total: 2_000))
    }

    // MARK: - Failures are never cached

    @Test func aFailedRequestLeavesNoRecordAndTheRetryCreatesTheOrder() {
        var w = World()
        w.setFailure(.orders, .next)
        guard case .failed(500, _) = Self.keyed(&w) else { Issue.record("the injected failure answers 500"); return }
        #expect(w.orders.orders.isEmpty)
        #expect(w.orders.sagas.isEmpty)
        #expect(Self.outboxRows(w) == 0)
        #expect(w.orders.idempotency.records.isEmpty, "failures are never cached")
        #expect(Self.keyed(&w) == .created(orderId: "ord-1", total: 2_000))
        #expect(Self.record(w)?.status == .completed)
    }

    @Test func failOrdersAlsoFailsRequestsWithoutAKey() {
        var w = World()
        w.setFailure(.orders, .next)
        guard case .failed(500, _) = w.placeOrder(customer: "alice", items: Self.items) else {
            Issue.record("the injected failure answers 500"); return
        }
        #expect(w.orders.orders.isEmpty)
        #expect(w.failures[.orders] == .never, "`next` strikes once")
        #expect(Lab.order(&w) == "ord-1", "the failed request used no id")
    }

    @Test func failOrdersByPercentDrawsFromTheSeededGenerator() {
        func failures(seed: UInt64) -> [Bool] {
            var w = World(seed: seed)
            w.setFailure(.orders, .percent(50))
            return (0..<20).map { _ in
                if case .failed = w.placeOrder(customer: "alice", items: Self.items) { return true }
                return false
            }
        }
        #expect(failures(seed: 3) == failures(seed: 3))
        #expect(failures(seed: 3).contains(true) && failures(seed: 3).contains(false))
    }

    @Test func aFailedPublishWithTheOutboxOffDeletesTheRecordSoTheRetryDuplicates() throws {
        var w = World()
        w.setOutbox(false, for: [.orders])
        try w.partition(.orders)
        guard case .failed(500, _) = Self.keyed(&w) else { Issue.record("the publish fails"); return }
        #expect(w.orders.orders.count == 1, "the order was saved before the publish failed")
        #expect(w.orders.idempotency.records.isEmpty)
        try w.heal()
        #expect(Self.keyed(&w) == .created(orderId: "ord-2", total: 2_000))
        #expect(w.orders.orders.count == 2)
    }

    @Test func ordersDownWritesNoRecord() throws {
        var w = World()
        try w.crashNow(.orders)
        guard case .failed(503, _) = Self.keyed(&w) else { Issue.record("503 while orders is down"); return }
        #expect(w.orders.idempotency.records.isEmpty)
        try w.restart(.orders)
        #expect(Self.keyed(&w) == .created(orderId: "ord-1", total: 2_000), "no lock stands in the way")
    }

    // MARK: - A different payload

    @Test func aDifferentPayloadIsRefusedWithValidationOn() throws {
        var w = World()
        Self.keyed(&w)
        let before = w
        guard case .refused(422, let reason) = Self.keyed(&w, "k1", "alice", [Lab.item("prod-3")]) else {
            Issue.record("422 for another payload"); return
        }
        #expect(reason.contains("alice prod-1x2"))
        #expect(w.orders == before.orders, "nothing created, the record untouched")
        #expect(w.published.count == before.published.count)
        #expect(Self.keyed(&w, "k1", "bob") != Self.keyed(&w), "another customer is another payload")
    }

    @Test func validationComesBeforeTheInProgressCheck() throws {
        var w = World()
        try w.arm(.orders, at: .beforeCommit)
        Self.keyed(&w)
        try w.restart(.orders)
        guard case .refused(422, _) = Self.keyed(&w, "k1", "alice", [Lab.item("prod-3")]) else {
            Issue.record("the payload is compared first"); return
        }
    }

    @Test func aDifferentPayloadGetsTheStaleAnswerWithValidationOff() {
        var w = World()
        w.setKeyValidation(false)
        Self.keyed(&w)
        let before = w.orders
        let response = Self.keyed(&w, "k1", "alice", [Lab.item("prod-3", 3)])
        #expect(response == .replayed(StoredOrderResponse(orderId: "ord-1", status: .pending, total: 2_000), key: "k1"),
                "Powertools python #3781: $150.00 asked, $20.00 answered")
        #expect(w.orders == before, "the $150.00 order was never created")
        #expect(!w.orders.orders.contains { $0.items == [Lab.item("prod-3", 3)] })
    }

    // MARK: - Worlds and sessions

    @Test func recordsTakePartInWorldEquality() {
        var a = World()
        var b = World()
        _ = a.placeOrder(customer: "alice", items: Self.items, key: "k1")
        _ = b.placeOrder(customer: "alice", items: Self.items, key: "k2")
        var c = a
        c.orders.idempotency.delete("k1")
        #expect(a != c)
        #expect(a != b)
    }

    @Test func theSameCommandsGiveTheSameWorld() {
        let lines = [
            "crash orders at after-commit", "order bob prod-3 key=pay-7", "restart orders", "order bob prod-3 key=pay-7",
            "advance 30s", "order bob prod-3 key=pay-7", "fail orders 50%", "order carol prod-2 key=c1",
            "order carol prod-2 key=c1", "pattern key-validation off", "order carol prod-1 key=c1", "run",
        ]
        let (first, firstTexts) = Lab.session(lines, seed: 9)
        let (second, secondTexts) = Lab.session(lines, seed: 9)
        #expect(first.world == second.world)
        #expect(firstTexts == secondTexts)
    }

    @Test func theSessionSaysWhatTheClientGot() {
        let (session, texts) = Lab.session([
            "order alice prod-1x2 key=k1", "order alice prod-1x2 key=k1", "order alice prod-3 key=k1",
            "crash orders at after-commit", "order bob prod-1 key=k2", "restart orders", "order bob prod-1 key=k2",
        ])
        #expect(texts[1].hasSuffix("201 Created: ord-1 PENDING ($20.00), replayed for key k1; nothing new was created"))
        #expect(texts[2].split(separator: "\n").last?.hasPrefix("422 Unprocessable: key k1") == true)
        #expect(texts[6].hasSuffix("409 Conflict: a request with key k2 is already in progress; retry later"))
        #expect(session.world.orders.orders.count == 2)
    }

    @Test func settingsViewAndPatternShowTheKeySettings() {
        var session = Session()
        let text = session.execute("pattern").text
        #expect(text.contains("\nkey-expiry              10m\n"))
        #expect(text.contains("\nkey-in-progress-expiry  30s\n"))
        #expect(text.contains("\nkey-validation          on\n"))
        _ = session.execute("pattern key-validation off")
        #expect(session.world.patterns.keyValidation == false)
        #expect(session.execute("show settings").text.contains("\nkey-validation          off\n"))
    }

    @Test func showIdempotencyListsLiveExpiredAndAbandonedRecords() throws {
        var session = Session()
        #expect(session.execute("show idempotency").text.hasPrefix("no idempotency records"))
        for line in ["order alice prod-1 key=old", "advance 10m", "crash orders at after-commit", "order bob prod-2 key=stuck",
                     "restart orders", "order carol prod-3 key=fresh"] {
            #expect(!session.execute(line).isError, "\(line)")
        }
        let rows = session.execute("show idempotency").text.split(separator: "\n").map(String.init)
        #expect(rows.count == 5)
        #expect(rows[2].hasPrefix("old ") && rows[2].hasSuffix("expired"))
        #expect(rows[3].contains("INPROGRESS") && rows[3].contains("10:30.000") && rows[3].hasSuffix("live"))
        #expect(rows[4].contains("ord-3") && rows[4].hasSuffix("live"))
        _ = session.execute("advance 30s")
        let later = session.execute("show idempotency").text
        #expect(later.split(separator: "\n")[3].hasSuffix("abandoned"))
    }

    // MARK: - Parsing

    static let accepted: [(String, Command)] = [
        ("order alice prod-1 key=k1", .order(customer: "alice", items: [Lab.item("prod-1")], key: "k1")),
        ("order alice key=k1 prod-1 prod-2x2", .order(customer: "alice", items: [Lab.item("prod-1"), Lab.item("prod-2", 2)], key: "k1")),
        ("order alice prod-1 KEY=Customer-Order_001.a:b", .order(customer: "alice", items: [Lab.item("prod-1")], key: "Customer-Order_001.a:b")),
        ("order alice prod-1 key=" + String(repeating: "x", count: 64),
         .order(customer: "alice", items: [Lab.item("prod-1")], key: String(repeating: "x", count: 64))),
        ("order alice prod-1", .order(customer: "alice", items: [Lab.item("prod-1")], key: nil)),
        ("pattern key-validation on", .keyValidation(true)),
        ("pattern KEY-VALIDATION Off", .keyValidation(false)),
        ("show idempotency", .show(.idempotency)),
        ("fail orders next", .fail(.orders, .next)),
        ("fail orders 25%", .fail(.orders, .percent(25))),
        ("set key-expiry 1h", .set("key-expiry", VirtualTime.hour)),
        ("set key-in-progress-expiry 15m", .set("key-in-progress-expiry", 15 * VirtualTime.minute)),
    ]

    @Test(arguments: accepted)
    func acceptsTheKeyedForms(_ line: String, _ expected: Command) {
        #expect(CommandParser.parse(line) == .command(expected))
    }

    static let rejected: [(String, String)] = [
        ("order alice prod-1 key=k1 key=k2", "key= appears 2 times; give one key; usage: order CUSTOMER ITEM... [key=K]"),
        ("order alice prod-1 key=k1 key=k1", "key= appears 2 times"),
        ("order alice prod-1 key=", "key= needs a key: 1 to 64 letters, digits or - _ . :; usage: order"),
        ("order alice prod-1 key=k!1", "idempotency keys are 1 to 64 letters, digits or - _ . :; not 'k!1'"),
        ("order alice prod-1 key=k/1", "not 'k/1'"),
        ("order alice prod-1 key=clé", "not 'clé'"),
        ("order alice prod-1 'key=a b'", "not 'a b'"),
        ("order alice prod-1 key=" + String(repeating: "x", count: 65), "idempotency keys are 1 to 64"),
        ("order alice key=k1", "order needs at least one item; usage: order CUSTOMER ITEM... [key=K]"),
        ("order key=k1 prod-1", "key=K comes after the customer"),
        ("order alice prod-1 kye=k1", "unknown product 'kye=k1'"),
        ("pattern key-validation", "pattern key-validation needs on or off"),
        ("pattern key-validation maybe", "key-validation is on or off, not 'maybe'"),
        ("pattern key-validation on orders", "key-validation belongs to the orders API alone; unexpected 'orders'"),
        ("pattern key-valdation on", "did you mean 'key-validation'?"),
        ("show idempotency now", "show idempotency takes nothing after it, not 'now'"),
        ("show idempotncy", "did you mean 'idempotency'?"),
        ("fail ordrs next", "did you mean 'orders'?"),
        ("set key-expiry soon", "not a duration"),
        ("set key-expry 1m", "did you mean 'key-expiry'?"),
    ]

    @Test(arguments: rejected)
    func rejectsWithOneLine(_ line: String, _ fragment: String) {
        guard case .error(let message) = CommandParser.parse(line) else {
            Issue.record("`\(line)` was accepted"); return
        }
        #expect(message.contains(fragment), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test func rejectedKeyedCommandsLeaveTheWorldAsItWas() {
        var (session, _) = Lab.session(["order alice prod-1 key=k1", "crash orders at after-commit", "order bob prod-2 key=k2"])
        let before = session.world
        for line in ["order alice prod-1 key=k1 key=k2", "order alice key=k1", "set key-expiry 0", "set key-in-progress-expiry 10ms",
                     "pattern key-validation on orders", "pattern key-validation maybe", "show idempotency now"] {
            #expect(session.execute(line).isError, "\(line)")
        }
        #expect(session.world == before)
    }

    // MARK: - Completion

    @Test func completionOffersKeysAndKeyValidation() {
        var w = World()
        #expect(Completion.candidates("order alice ", world: w).contains("key="))
        #expect(Completion.candidates("order alice prod-1 k", world: w) == ["key="])
        #expect(!Completion.candidates("order ", world: w).contains("key="), "the customer comes first")
        Self.keyed(&w, "checkout-1")
        #expect(Completion.candidates("order alice prod-1 key=", world: w) == ["key=", "key=checkout-1"])
        #expect(!Completion.candidates("order alice key=k9 prod-1 ", world: w).contains("key="), "one key per request")
        #expect(Completion.candidates("pattern ", world: w) == ["outbox", "idempotency", "durable-timers", "key-validation", "fence", "all"])
        #expect(Completion.candidates("pattern key-validation ", world: w) == ["on", "off"])
        #expect(Completion.candidates("pattern key-validation on ", world: w).isEmpty)
        #expect(Completion.candidates("show idem", world: w) == ["idempotency"])
        #expect(Completion.candidates("fail ", world: w) == ["orders", "inventory", "payment", "rewards", "analytics"])
        #expect(Completion.candidates("set key-", world: w) == ["key-expiry", "key-in-progress-expiry"])
    }
}
