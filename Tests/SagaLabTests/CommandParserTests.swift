@testable import SagaLab
import Testing

/// The command language: every form `help` documents parses, bad forms are one clear line.
@Suite struct CommandParserTests {
    static func item(_ p: String, _ q: Int = 1) -> OrderItem { OrderItem(product: p, quantity: q) }

    // MARK: - Help lists what the parser accepts

    /// Command names as `help` (what `printf 'help\n' | sagalab` prints) lists them.
    static var namesInHelp: [String] {
        var session = Session()
        let text = session.execute("help").text
        return text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            guard line.hasPrefix("  "), let word = line.split(separator: " ").first else { return nil }
            return String(word)
        }
    }

    @Test func helpListsEveryCatalogCommand() {
        let listed = Self.namesInHelp
        #expect(!listed.isEmpty)
        #expect(Set(listed) == Set(CommandCatalog.names).subtracting(["exit"]))
        #expect(listed.count == Set(listed).count, "no command is listed twice")
    }

    @Test(arguments: CommandCatalog.names)
    func everyHelpedCommandsExampleParses(_ name: String) throws {
        var session = Session()
        let reply = session.execute("help \(name)")
        #expect(!reply.isError)
        let lines = reply.text.split(separator: "\n").map { String($0.drop(while: { $0 == " " })) }
        let usage = try #require(lines.first { $0.hasPrefix("usage: ") })
        #expect(usage.contains(name))
        let example = try #require(lines.first { $0.hasPrefix("example: ") }).dropFirst("example: ".count)
        guard case .command = CommandParser.parse(String(example)) else {
            Issue.record("`help \(name)` example `\(example)` does not parse: \(CommandParser.parse(String(example)))")
            return
        }
    }

    static let accepted: [(String, Command)] = [
        ("help", .help(nil)),
        ("help crash", .help("crash")),
        ("HELP Crash", .help("crash")),
        ("?", .help(nil)),
        ("? undo", .help("undo")),
        ("seed", .seed(nil)),
        ("seed 7", .seed(7)),
        ("seed 18446744073709551615", .seed(UInt64.max)),
        ("reset", .reset),
        ("save my-session.lab", .save("my-session.lab")),
        ("save ~/runs/my-session.lab --force", .save("~/runs/my-session.lab", replacing: true)),
        ("save --FORCE x.lab", .save("x.lab", replacing: true)),
        ("quit", .quit),
        ("exit", .quit),
        ("order alice prod-1x2 prod-3", .order(customer: "alice", items: [item("prod-1", 2), item("prod-3")])),
        ("order Bob PROD-2X3", .order(customer: "Bob", items: [item("prod-2", 3)])),
        ("order a prod-1x10000", .order(customer: "a", items: [item("prod-1", 10_000)])),
        ("  order   alice   prod-1   # a comment", .order(customer: "alice", items: [item("prod-1")])),
        ("order 'alice' \"prod-1\"", .order(customer: "alice", items: [item("prod-1")])),
        ("order\talice\tprod-1", .order(customer: "alice", items: [item("prod-1")])),
        ("order user-1..1000 prod-1", .orderRange(CustomerRange(prefix: "user-", first: 1, last: 1000), items: [item("prod-1")])),
        ("order 7..7 prod-2x2", .orderRange(CustomerRange(prefix: "", first: 7, last: 7), items: [item("prod-2", 2)])),
        ("order a..b prod-1", .order(customer: "a..b", items: [item("prod-1")])),
        ("step", .step(1)),
        ("step 3", .step(3)),
        ("step 10000", .step(10_000)),
        ("step 1000000000", .step(1_000_000_000)),
        ("run", .run(quiet: false)),
        ("run quiet", .run(quiet: true)),
        ("advance 8d", .advance(8 * VirtualTime.day)),
        ("advance 1m30s", .advance(90_000)),
        ("advance 30", .advance(30_000)),
        ("advance 10000d", .advance(10_000 * VirtualTime.day)),
        ("advance 864000000", .advance(10_000 * VirtualTime.day)),
        ("publish", .publish(nil)),
        ("publish orders", .publish(.orders)),
        ("publish payment", .publish(.payment)),
        ("show orders", .show(.orders)),
        ("show order ord-1", .show(.order("ord-1"))),
        ("show order ORD-1", .show(.order("ord-1"))),
        ("show saga saga-1", .show(.saga("saga-1"))),
        ("show saga ord-1", .show(.saga("ord-1"))),
        ("show outbox", .show(.outbox(nil))),
        ("show outbox inventory", .show(.outbox(.inventory))),
        ("show stock", .show(.stock)),
        ("show payments", .show(.payments)),
        ("show points", .show(.points)),
        ("show analytics", .show(.analytics)),
        ("show processed", .show(.processed(nil))),
        ("show processed rewards", .show(.processed(.rewards))),
        ("show events", .show(.events)),
        ("show rules", .show(.rules)),
        ("show metrics", .show(.metrics)),
        ("show alarms", .show(.alarms)),
        ("show settings", .show(.settings)),
        ("show faults", .show(.faults)),
        ("trace", .trace(TraceFilter())),
        ("trace ord-1", .trace(TraceFilter(order: "ord-1"))),
        ("log", .log(TraceFilter())),
        ("log ord-1", .log(TraceFilter(order: "ord-1"))),
        ("trace ord-3 quiet", .trace(TraceFilter(order: "ord-3", hidden: [.analytics, .rewards]))),
        ("trace INVENTORY payment inventory", .trace(TraceFilter(services: [.inventory, .payment]))),
        ("log -analytics from 01:00 to 02:00", .log(TraceFilter(hidden: [.analytics], from: 60_000, to: 120_000))),
        ("log to 00:30.042 ord-2", .log(TraceFilter(order: "ord-2", to: 30_042))),
        ("log from 01:30", .log(TraceFilter(from: 90_000))),
        ("check", .check),
        ("crash orders", .crash(.orders, nil)),
        ("crash orders at before-commit", .crash(.orders, .beforeCommit)),
        ("crash orders at after-commit", .crash(.orders, .afterCommit)),
        ("crash payment at after-publish", .crash(.payment, .afterPublish)),
        ("crash inventory at after-effect", .crash(.inventory, .afterEffect)),
        ("crash orders at mid-compensation", .crash(.orders, .midCompensation)),
        ("CRASH Inventory AT After-Effect", .crash(.inventory, .afterEffect)),
        ("restart orders", .restart(.orders)),
        ("crash orders-publisher", .crashPublisher(.orders, nil)),
        ("crash Inventory-Publisher at after-publish", .crashPublisher(.inventory, .afterPublish)),
        ("restart payment-publisher", .restartPublisher(.payment)),
        ("publishers", .publishers(nil)),
        ("restarts", .restarts(auto: nil)),
        ("restarts auto", .restarts(auto: true)),
        ("restarts manual", .restarts(auto: false)),
        ("publishers own-process", .publishers(.ownProcess)),
        ("publishers IN-SERVICE", .publishers(.inService)),
        ("show publishers", .show(.publishers)),
        ("duplicate next", .message(.duplicate, .next(nil))),
        ("duplicate next order.created", .message(.duplicate, .next(.orderCreated))),
        ("duplicate evt-3", .message(.duplicate, .event("evt-3"))),
        ("drop next", .message(.drop, .next(nil))),
        ("drop next inventory.reserved", .message(.drop, .next(.inventoryReserved))),
        ("drop EVT-3", .message(.drop, .event("evt-3"))),
        ("delay 2m next order.created", .message(.delay(120_000), .next(.orderCreated))),
        ("delay 30s next", .message(.delay(30_000), .next(nil))),
        ("delay 500ms evt-2", .message(.delay(500), .event("evt-2"))),
        ("partition inventory", .partition(.inventory)),
        ("heal", .heal),
        ("pick 2", .pick(2)),
        ("design", .design(nil)),
        ("rollback", .rollback(nil)),
        ("rollback Any-Step", .rollback(.anyStep)),
        ("design Kafka", .design(.kafka)),
        ("design step-functions", .design(.stepFunctions)),
        ("product laptop 1299.99", .product(name: "laptop", price: 129_999, stock: nil)),
        ("product Monitor $349.9 20", .product(name: "monitor", price: 34_990, stock: 20)),
        ("product prod-1 12", .product(name: "prod-1", price: 1_200, stock: nil)),
        ("compensate ORD-1", .compensate("ord-1")),
        ("rebuild analytics", .rebuild(.analytics)),
        ("undo", .undo),
        ("redo", .redo),
        ("history", .history(all: false)),
        ("history all", .history(all: true)),
        ("goto 3", .goto(.entry(3))),
        ("goto 01:30", .goto(.time(90_000))),
        ("goto 00:30.042", .goto(.time(30_042))),
        ("branch", .branch(nil)),
        ("branch no-outbox", .branch("no-outbox")),
        ("branches", .branches),
        ("switch main", .switchBranch("main")),
        ("rebuild Rewards", .rebuild(.rewards)),
        ("rebuild inventory", .rebuild(.inventory)),
        ("show event-store", .show(.eventStore(nil))),
        ("show event-store ORD-3", .show(.eventStore(.order("ord-3")))),
        ("show event-store payment", .show(.eventStore(.service(.payment)))),
        ("show event-store payment.failed", .show(.eventStore(.type(.paymentFailed)))),
        ("show sagas", .show(.sagas(nil))),
        ("show sagas stuck", .show(.sagas(.stuck))),
        ("show sagas compensating", .show(.sagas(.compensating))),
        ("show pending", .show(.pending)),
        ("explore", .explore(.search(Explorer.Budget()))),
        ("explore faults=2 depth=9 states=50 beyond-promise",
         .explore(.search(Explorer.Budget(depth: 9, states: 50, faults: 2, beyondPromise: true)))),
        ("explore random 500", .explore(.random(500, Swarm(schedules: 500).budget))),
        ("explore random 10 faults=0", .explore(.random(10, Explorer.Budget(depth: 400, faults: 0)))),
        ("explore save found.lab", .explore(.save("found.lab"))),
        ("explore save found.lab --force", .explore(.save("found.lab", replacing: true))),
        ("fail payment 30%", .fail(.payment, .percent(30))),
        ("fail inventory 20", .fail(.inventory, .percent(20))),
        ("fail payment next", .fail(.payment, .next)),
        ("fail payment off", .fail(.payment, .never)),
        ("fail inventory 0%", .fail(.inventory, .never)),
        ("fail inventory 100%", .fail(.inventory, .percent(100))),
        ("fail rewards error next", .failHandler(.rewards, .next)),
        ("fail inventory error always", .failHandler(.inventory, .always)),
        ("inject poison order.created", .injectPoison(.orderCreated)),
        ("redrive inventory", .redrive(.inventory, nil)),
        ("redrive inventory DL-2", .redrive(.inventory, "dl-2")),
        ("retry", .retry(nil)),
        ("retry consumers immediate=2 delayed=1 delay=30s", .retry(.consumers(immediate: 2, delayed: 1, delay: 30_000))),
        ("show dlq", .show(.dlq(nil))),
        ("stock prod-1 1", .stock(product: "prod-1", quantity: 1)),
        ("stock prod-3 0", .stock(product: "prod-3", quantity: 0)),
        ("pattern", .show(.settings)),
        ("set", .show(.settings)),
        ("pattern outbox on", .outbox(on: true, nil)),
        ("pattern outbox off orders", .outbox(on: false, .orders)),
        ("pattern idempotency on", .idempotency(.on, nil)),
        ("pattern idempotency off inventory", .idempotency(.off, .inventory)),
        ("pattern idempotency check-then-act inventory", .idempotency(.checkThenAct, .inventory)),
        ("pattern idempotency on analytics", .idempotency(.on, .analytics)),
        ("recipe inventory check effect publish mark ack",
         .recipe(.inventory, nil, .steps(try! Recipe(parsing: ["check", "effect", "publish", "mark", "ack"], for: .inventory)))),
        ("recipe orders payment.failed on", .recipe(.orders, .paymentFailed, .named(.on))),
        ("recipe", .show(.recipe(nil))),
        ("show recipe payment", .show(.recipe(.payment))),
        ("show consumers", .show(.consumers)),
        ("set concurrency payment 4", .concurrency(.payment, 4)),
        ("flow", .flow(nil)),
        ("flow payment-first", .flow(.paymentFirst)),
        ("mode orchestration", .mode(.orchestration)),
        ("mode", .mode(nil)),
        ("slow payment 10s", .slow(.payment, 10_000)),
        ("slow rewards off", .slow(.rewards, 0)),
        ("compare", .compare(5)),
        ("compare 12", .compare(12)),
        ("pattern durable-timers off", .durableTimers(false)),
        ("show execution ord-1", .show(.execution("ord-1"))),
        ("show execution", .show(.execution(nil))),
        ("show saga-definition", .show(.sagaDefinition)),
        ("flow inventory-first", .flow(.inventoryFirst)),
        ("subscribe rewards order.confirmed", .subscribe(.rewards, .orderConfirmed)),
        ("unsubscribe rewards order.created", .unsubscribe(.rewards, .orderCreated)),
        ("set publish-interval 5s", .set("publish-interval", 5_000)),
        ("set redelivery-delay 1m", .set("redelivery-delay", 60_000)),
        ("set latency-min 10ms", .set("latency-min", 10)),
        ("set latency-max 2s", .set("latency-max", 2_000)),
        ("set processed-ttl 7d", .set("processed-ttl", 7 * VirtualTime.day)),
        ("set window-grace 10s", .set("window-grace", 10_000)),
        ("chapter", .chapter(nil)),
        ("chapter 2", .chapter("2")),
        ("chapter pivot", .chapter("pivot")),
        ("chapter dual write", .chapter("dual write")),
        ("chapter outbox lag", .chapter("outbox lag")),
        ("chapter search outbox lag", .chapter("outbox lag")),
        ("chapter search", .chapter("search")),
        ("chapter 4 run", .chapterRun("4")),
        ("CHAPTER 4 RUN", .chapterRun("4")),
        ("lessons", .lessons),
        ("lesson 1", .lesson("1")),
        ("lesson stop", .lesson("stop")),
        ("lesson REPLAY", .lesson("replay")),
        ("lesson", .lesson(nil)),
        ("lesson ./My-Lesson.md", .lesson("./My-Lesson.md")),
        ("next", .next),
        ("back", .back),
        ("hint", .hint),
        ("export html timeline.html", .export(ExportRequest(format: .html, path: "timeline.html"))),
        ("export mermaid trace.mmd ord-1", .export(ExportRequest(format: .mermaid, path: "trace.mmd", order: "ord-1"))),
        ("export JSON run.json counterexample", .export(ExportRequest(format: .json, path: "run.json", counterexample: true))),
        ("export mermaid t.mmd ord-2 counterexample --force",
         .export(ExportRequest(format: .mermaid, path: "t.mmd", order: "ord-2", counterexample: true, replacing: true))),
    ]

    @Test(arguments: accepted)
    func acceptsDocumentedForm(_ line: String, _ expected: Command) {
        #expect(CommandParser.parse(line) == .command(expected))
    }

    /// A range's customers are named as joining the prefix and the number's digits would
    /// name them, whatever the prefix and however many digits.
    @Test(arguments: ["user-", "", "u", "caf\u{E9}-", "a customer with a long prefix-"])
    func aRangeNamesEachCustomerAsItsPrefixAndNumber(prefix: String) {
        let range = CustomerRange(prefix: prefix, first: 0, last: 1)
        for n in [0, 1, 9, 10, 99, 100, 123_456, 1_000_000, Int(Int32.max), Int.max, -1, -42] {
            #expect(range.name(n) == prefix + String(n))
            #expect(range.name(n).utf8.elementsEqual((prefix + String(n)).utf8))
        }
    }

    @Test func everyCatalogCommandHasAnAcceptedFormAbove() {
        let covered = Set(Self.accepted.compactMap { $0.0.split(whereSeparator: \.isWhitespace).first?.lowercased() })
        for name in CommandCatalog.names {
            #expect(covered.contains(name), "no accepted form for `\(name)`")
        }
    }

    @Test(arguments: ["", "   ", "\t", "# only a comment", "   # indented comment"])
    func blankLinesAreEmpty(_ line: String) {
        #expect(CommandParser.parse(line) == .empty)
    }

    // MARK: - Rejections

    static let rejected: [(String, String)] = [
        ("ordr", "unknown command 'ordr' (did you mean 'order'?)"),
        ("pick", "pick needs the number `show pending` gives an action; usage: pick N"),
        ("rollback always", "usage: rollback [pivot|any-step]"),
        ("rollback any", "unknown rollback 'any' (did you mean 'any-step'?)"),
        ("restarts of", "restarts are auto or manual, not 'of'"),
        ("restarts auto now", "unexpected 'now'; usage: restarts [auto|manual]"),
        ("design stripe", "designs: eventbridge, boong, kafka, step-functions"),
        ("recipe inventory order.creatd check effect mark ack", "unknown event type 'order.creatd' (did you mean 'order.created'?)"),
        ("recipe inventory chek effect mark ack", "no step 'chek' (did you mean 'check'?)"),
        ("design kafka now", "usage: design"),
        ("product laptop", "usage: product NAME PRICE [STOCK]"),
        ("product laptop -3", "PRICE is dollars like 1299.99"),
        ("product laptop 0", "PRICE must be from $0.01"),
        ("product laptop 1.999", "PRICE is dollars like 1299.99"),
        ("product lap!top 5", "unknown product 'lap!top'"),
        ("product laptop 5 x", "STOCK must be a whole number"),
        ("compensate", "usage: compensate ORDER"),
        ("rebuild", "usage: rebuild analytics|rewards"),
        ("rebuild analytics rewards", "unexpected 'rewards'"),
        ("rebuild analytcs", "did you mean 'analytics'?"),
        ("rebuild shop", "services: orders, inventory, payment, rewards, analytics"),
        ("show event-store paymnt", "did you mean 'payment'?"),
        ("show event-store evt-3", "no order, service or event type 'evt-3'; see `help show`"),
        ("show event-store ord-1 payment", "unexpected 'payment'"),
        ("show event-stor", "did you mean 'event-store'?"),
        ("show rewards", "cannot show 'rewards' (did you mean 'points'?)"),
        ("show dead-letters", "cannot show 'dead-letters' (did you mean 'dlq'?)"),
        ("show charges", "cannot show 'charges' (did you mean 'payments'?)"),
        ("show Inventory", "cannot show 'inventory' (did you mean 'stock'?)"),
        ("show sagas late", "show sagas takes stuck or compensating"),
        ("clear", "Ctrl-L clears the screen"),
        ("version", "`sagalab --version` prints it"),
        ("status", "`show orders`, `show pending` and `check`"),
        ("pick 0", "N is the number `show pending` gives"),
        ("pick two", "N is the number"),
        ("explore depth=0", "depth must be a whole number from 1"),
        ("explore faults=9", "faults must be a whole number from 0 to 5"),
        ("explore speed=3", "options are depth=N, states=N, faults=K and beyond-promise"),
        ("explore =", "unexpected '='; options are depth=N"),
        ("explore =5", "unexpected '=5'"),
        ("explore random 3 =", "unexpected '='"),
        ("explore random", "explore random needs a number of schedules"),
        ("explore random 0", "explore random needs a number of schedules"),
        ("explore save", "explore save needs a file name"),
        ("explore save a b", "unexpected 'b'"),
        ("shw orders", "did you mean 'show'?"),
        ("chek", "did you mean 'check'?"),
        ("order", "usage: order CUSTOMER ITEM..."),
        ("order alice", "usage: order CUSTOMER ITEM..."),
        ("order alice prod-1x0", "quantity"),
        ("order alice prod-1x-3", "quantity"),
        ("order alice prod-1x10001", "quantity"),
        ("order al!ce prod-1", "usage: order"),
        ("order user-5..2 prod-1", "runs backwards: write user-2..5"),
        ("order user-1..1000001 prod-1", "at most 1000000 orders"),
        ("order user-1..99999999999999999999 prod-1", "too large"),
        ("order user-1..3 prod-1 key=k1", "key=K names one request"),
        ("order user-1..3", "usage: order"),
        ("order a-very-long-customer-name-of-forty-one-1..10 prod-1", "up to 40"),
        ("step 0", "usage: step [N]"),
        ("step -1", "usage: step [N]"),
        ("step x", "usage: step [N]"),
        ("step 1000000001", "usage: step [N]"),
        ("step 1 2", "unexpected '2'"),
        ("run fast", "usage: run"),
        ("advance", "usage: advance DURATION"),
        ("advance soon", "not a duration"),
        ("advance -5s", "not a duration"),
        ("advance 100000d", "'100000d' is too large: durations go up to 10000d"),
        ("advance 10000d1ms", "is too large: durations go up to 10000d"),
        ("advance 864000001", "is too large"),
        ("advance 99999999999999999999999999s", "is too large"),
        ("set key-expiry 20000d", "'20000d' is too large"),
        ("slow payment 240001h", "is too large"),
        ("delay 99999d next", "is too large"),
        ("advance 5x", "not a duration like 500ms"),
        ("advance 5 years", "usage: advance"),
        ("publish analytics", "no outbox"),
        ("publish nobody", "unknown service 'nobody'"),
        ("show", "show needs a topic, such as orders, stock, outbox or sagas (`help show` lists them all)"),
        ("show order", "usage: show"),
        ("show ordrs", "did you mean 'orders'?"),
        ("show stock now", "show stock takes nothing after it, not 'now'"),
        ("recipe inventory default", "no recipe named 'default'; a recipe is a name (on, off, check-then-act) or steps (check, effect, emit, publish, mark, ack); see `help recipe`"),
        ("recipe inventory of", "no recipe named 'of' (did you mean 'off'?)"),
        ("show outbox rewards", "no outbox"),
        ("show processed nobody", "unknown service"),
        ("trace a b", "usage: trace"),
        ("crash", "usage: crash"),
        ("crash orders at", "usage: crash"),
        ("crash ordres", "did you mean 'orders'?"),
        ("crash orders on after-commit", "expected `at`"),
        ("crash payment after-effect", "the point follows `at`: crash payment at after-effect"),
        ("shop eventbridge", "unknown command 'shop' (did you mean 'design eventbridge', to follow the EventBridge shop?)"),
        ("use Kafka", "unknown command 'use' (did you mean 'design kafka', to follow the Kafka shop?)"),
        ("crash orders-publisher After-Publish", "the point follows `at`: crash orders-publisher at after-publish"),
        ("crash orders at after-comit", "did you mean 'after-commit'?"),
        ("restart", "usage: restart SERVICE"),
        ("crash rewards-publisher", "rewards publishes no events, so it has no publisher"),
        ("restart analytics-publisher", "publishers are: orders-publisher, inventory-publisher, payment-publisher"),
        ("crash orders-publisher at", "usage: crash"),
        ("crash orders-publishr", "unknown publisher 'orders-publishr' (did you mean 'orders-publisher'?)"),
        ("partition orders-publisher", "orders-publisher shares orders' network: `partition orders` cuts both"),
        ("publishers sideways", "usage: publishers [in-service|own-process]"),
        ("publishers own-proces", "did you mean 'own-process'?"),
        ("publishers own-process now", "unexpected 'now'"),
        ("show publishers orders", "show publishers takes nothing after it, not 'orders'; usage: show WHAT"),
        ("show orders ord-5", "show orders takes nothing after it, not 'ord-5' (one order: `show order ord-5`)"),
        ("show orders -", "show orders takes nothing after it, not '-'; usage"),
        ("show sagas SAGA-2", "show sagas takes stuck or compensating, not 'SAGA-2' (one saga: `show saga saga-2`)"),
        ("show sagas ord-2", "(one saga: `show saga ord-2`)"),
        ("partition", "usage: partition SERVICE"),
        ("heal now", "usage: heal"),
        ("check all", "usage: check"),
        ("duplicate", "usage: duplicate"),
        ("duplicate evt-0", "usage: duplicate"),
        ("duplicate evt-x", "usage: duplicate"),
        ("duplicate next order.create", "did you mean 'order.created'?"),
        ("drop later", "usage: drop"),
        ("drop next order.created extra", "usage: drop"),
        ("delay next", "usage: delay"),
        ("delay 0s next", "longer than 0"),
        ("delay soon next", "not a duration"),
        ("delay evt-3 5s", "the duration comes first: `delay 5s evt-3`; usage: delay DURATION"),
        ("delay next order.created 2m", "the duration comes first: `delay 2m next order.created`"),
        ("fail rewards next", "usage: fail"),
        ("fail payment 101", "usage: fail"),
        ("fail payment -5", "usage: fail"),
        ("fail payment sometimes", "usage: fail"),
        ("stock prod-1", "usage: stock PRODUCT N"),
        ("stock prod-1 -1", "usage: stock PRODUCT N"),
        ("stock prod-1 1000001", "usage: stock PRODUCT N"),
        ("pattern outbox maybe", "usage: pattern"),
        ("pattern outbox on analytics", "no outbox"),
        ("pattern idempotency sometimes", "usage: pattern"),
        ("pattern idempotency off for analytics", "name the service without 'for': `pattern idempotency off analytics`"),
        ("pattern Outbox ON for payment", "name the service without 'for': `pattern outbox on payment`"),
        ("pattern saga on", "unknown pattern"),
        ("pattern outbox", "usage: pattern"),
        ("flow sideways", "unknown flow"),
        ("subscribe rewards", "usage: subscribe"),
        ("unsubscribe", "usage: unsubscribe"),
        ("set speed 5s", "unknown setting"),
        ("set latency 100ms", "unknown setting 'latency' (did you mean 'latency-min' or 'latency-max'?)"),
        ("heal payment", "heal ends every partition at once and takes no service, not 'payment'"),
        ("branch my Try", "a branch's name is one word, like `branch my-try`"),
        ("subscribe order.created payment", "the service comes first: `subscribe payment order.created`"),
        ("unsubscribe Order.Created rewards", "the service comes first: `unsubscribe rewards order.created`"),
        ("set concurrency 2 inventory", "the service comes first: `set concurrency inventory 2`"),
        ("set concurrency inventory", "set concurrency needs a service and a number, like `set concurrency inventory 2`"),
        ("order alice prod-1 x2", "'x2' is a quantity without its product; write them together, like prod-1x2"),
        ("set publish-interval fast", "not a duration"),
        ("set publish-interval", "usage: set"),
        ("help ordr", "did you mean 'order'?"),
        ("help a b", "usage: help"),
        ("seed -1", "usage: seed"),
        ("seed 1.5", "usage: seed"),
        ("seed 1 2", "usage: seed"),
        ("reset now", "usage: reset"),
        ("save", "usage: save FILE"),
        ("save a b", "usage: save FILE"),
        ("save --force", "save needs a file name"),
        ("explore save --force", "explore save needs a file name"),
        ("export html --force", "needs a file to write"),
        ("explore depth=5 depth=6", "depth given twice"),
        ("explore beyond-promise beyond-promise", "beyond-promise given twice"),
        ("explore random 2 states=10", "states= is for the full search"),
        ("pattern bogus", "unknown pattern 'bogus'"),
        ("order user-1.. prod-1", "'user-1..' is a range with an end missing"),
        ("order ..5 prod-1", "'..5' is a range with an end missing"),
        ("save \"\"", "save needs a file name, not ''"),
        ("save \" \" --force", "save needs a file name, not ' '"),
        ("explore save \"\"", "explore save needs a file name"),
        ("export json \"\"", "export json needs a file name"),
        ("export html \" \"", "export html needs a file name"),
        ("product prod-1x2 5", "cannot end in x and a number: an order reads 'prod-1x2' as 2 of 'prod-1'"),
        ("product boxx10 5", "cannot end in x and a number"),
        ("quit now", "usage: quit"),
        ("lesson 1 2", "usage: lesson"),
        ("chapter 4 go", "expected `run` after the chapter, not 'go'"),
        ("chapter 4 run now", "unexpected 'now'"),
        ("next 2", "usage: next"),
        ("order \"alice prod-1", "unmatched quote"),
        ("undo 2", "usage: undo"),
        ("history everything", "usage: history [all]"),
        ("goto", "goto needs a history entry number (`history` lists them) or a time like 01:30; usage: goto N"),
        ("goto soon", "neither a history entry number"),
        ("goto 00:61", "usage: goto"),
        ("switch", "`branches` lists them"),
        ("branch a b", "usage: branch [NAME]"),
        ("export", "usage: export"),
        ("export pdf out.pdf", "formats: mermaid, json, html"),
        ("export htm out.html", "did you mean 'html'?"),
        ("export html", "usage: export"),
        ("export html counterexample", "needs a file before `counterexample`"),
        ("export json out.json ord-1", "only `export mermaid` draws one order"),
        ("export mermaid out.mmd alice", "neither an order id like ord-1 nor `counterexample`"),
        ("export mermaid out.mmd ord-1 ord-2", "usage: export"),
        ("trace invetory", "did you mean 'inventory'?"),
        ("trace -invetory", "did you mean '-inventory'?"),
        ("log ord-1 ord-2", "one order at most"),
        ("log from", "`from` needs a time like 01:30"),
        ("log to soon", "'soon' is not a time like 01:30, 00:30.042 or 8d 0:00:00.000"),
        ("trace from 02:00 to 01:00", "from 02:00.000 is after to 01:00.000"),
        ("trace from 01:00 from 02:00", "`from` given twice"),
        ("log payment -payment", "every lane is hidden"),
        ("log alice", "usage: log [ORDER]"),
    ]

    @Test(arguments: rejected)
    func rejectsWithOneClearLine(_ line: String, _ fragment: String) {
        guard case .error(let message) = CommandParser.parse(line) else {
            Issue.record("`\(line)` was not rejected: \(CommandParser.parse(line))")
            return
        }
        #expect(message.contains(fragment), "`\(line)` -> \(message)")
        #expect(!message.contains("\n"))
        #expect(!message.isEmpty)

        var session = Session()
        let reply = session.execute(line)
        #expect(reply.isError)
        #expect(reply.text == "error: \(message)")
        #expect(!reply.text.contains("\n"))
        let helpful = ["usage:", "did you mean", "`help", "services:", "products:", "designs:", "publishers are", "quote", "Ctrl-L clears", "`sagalab --version`", "`show orders`"]
        #expect(helpful.contains { reply.text.contains($0) }, "`\(line)` -> \(reply.text) says neither usage nor a way forward")
    }

    /// Unknown services, products, crash points and settings list the valid ones or quote the
    /// usage; an unknown event type far from every real one says neither.
    @Test(arguments: ["subscribe rewards order.paid", "unsubscribe rewards bogus", "drop next order.paid", "duplicate next zzz",
                      "recipe inventory bogus.type on"])
    func unknownEventTypeSaysWhatIsExpected(_ line: String) {
        var session = Session()
        let reply = session.execute(line)
        #expect(reply.isError)
        #expect(reply.text.contains("usage:") || reply.text.contains("did you mean") || reply.text.contains("order.created"),
                "\(reply.text)")
    }

    @Test func helpCrashListsEveryCrashPointAndService() {
        var session = Session()
        let text = session.execute("help crash").text
        for point in CrashPoint.allCases { #expect(text.contains(point.rawValue), "\(point.rawValue)") }
        for service in ServiceName.allCases { #expect(text.contains(service.rawValue), "\(service.rawValue)") }
    }

    @Test func unknownCommandSaysExactlyWhatTheIssueAsksFor() {
        var session = Session()
        let reply = session.execute("ordr")
        #expect(reply.text.hasPrefix("error: unknown command 'ordr' (did you mean 'order'?)"))
    }

    @Test func longWordsAreShortenedInErrors() {
        let word = String(repeating: "z", count: 500)
        guard case .error(let message) = CommandParser.parse(word) else {
            Issue.record("not rejected")
            return
        }
        #expect(message.count < 200)
        #expect(message.contains("..."))
    }

    // MARK: - Tokenizer and suggestions

    @Test func tokenizerSplitsQuotesAndComments() throws {
        #expect(try Tokenizer.split("a  'b c'  \"d\" # e").get() == ["a", "b c", "d"])
        #expect(try Tokenizer.split("a#b").get() == ["a#b"])
        #expect(try Tokenizer.split("''").get() == [""])
        #expect(throws: WorldError.self) { try Tokenizer.split("'open").get() }
        #expect(throws: WorldError.self) { try Tokenizer.split("bell\u{07}").get() }
        #expect(throws: WorldError.self) { try Tokenizer.split("del\u{7F}").get() }
        #expect(throws: WorldError.self) { try Tokenizer.split("esc\u{1B}[A").get() }
        #expect(throws: WorldError.self) { try Tokenizer.split("c1\u{80}x").get() }
        #expect(throws: WorldError.self) { try Tokenizer.split("nul\u{0}").get() }
    }

    @Test func suggestionsFindNearMissesAndOnlyThen() {
        #expect(Suggest.closest("ordr", in: CommandCatalog.names) == "order")
        #expect(Suggest.closest("rstart", in: CommandCatalog.names) == "restart")
        #expect(Suggest.closest("partit", in: CommandCatalog.names) == "partition")
        #expect(Suggest.closest("xyzzy", in: CommandCatalog.names) == nil)
        #expect(Suggest.closest("", in: CommandCatalog.names) == nil)
        #expect(Suggest.closest(String(repeating: "o", count: 41), in: CommandCatalog.names) == nil)
    }
}
