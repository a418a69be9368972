/// Turns one line into a `Command`, or into one clear error line that says what was
/// wrong and what is expected. Nothing here looks at a world: ids are checked when the
/// command is applied.
public enum CommandParser {
    public enum Outcome: Equatable, Sendable {
        /// A blank line or a comment.
        case empty
        case command(Command)
        case error(String)
    }

    /// The most steps one `step N` takes: far more than any world needs, since a `run`
    /// stopped by Ctrl-C is saved as `step N` for the steps it took.
    public static let maxSteps = 1_000_000_000

    /// The patterns `pattern` switches, then `all`.
    public static let patternNames = ["outbox", "idempotency", "durable-timers", "key-validation", "fence", "all"]

    public static func parse(_ line: String) -> Outcome {
        switch Tokenizer.split(line) {
        case .failure(let error): return .error(error.message)
        case .success(let words):
            return parse(words: words)
        }
    }

    static func parse(_ name: String, _ args: [String]) throws -> Command {
        func usage(_ problem: String) -> WorldError {
            WorldError("\(problem); usage: \(CommandCatalog.usage(name))")
        }
        func count(_ range: ClosedRange<Int>) throws {
            if args.count < range.lowerBound { throw usage("\(name) needs more arguments") }
            if args.count > range.upperBound {
                throw usage("unexpected \(quoted(args[range.upperBound]))")
            }
        }
        switch name {
        case "help", "?":
            try count(0...1)
            guard let topic = args.first?.lowercased() else { return .help(nil) }
            guard CommandCatalog.info(topic) != nil else {
                throw WorldError("no command \(quoted(topic))\(Suggest.hint(topic, in: CommandCatalog.names)); `help` lists them")
            }
            return .help(topic)
        case "seed":
            try count(0...1)
            guard let text = args.first else { return .seed(nil) }
            guard let n = UInt64(text) else { throw usage("seed must be a whole number from 0 to \(UInt64.max), not \(quoted(text))") }
            return .seed(n)
        case "reset": try count(0...0); return .reset
        case "undo": try count(0...0); return .undo
        case "redo": try count(0...0); return .redo
        case "history":
            try count(0...1)
            guard let word = args.first else { return .history(all: false) }
            guard word.lowercased() == "all" else { throw usage("expected `all` or nothing, not \(quoted(word))") }
            return .history(all: true)
        case "goto":
            guard !args.isEmpty else {
                throw usage("goto needs a history entry number (`history` lists them) or a time like 01:30")
            }
            // A time past the first day is written as two words: `8d 0:00:00.000`.
            try count(VirtualTime.dayCount(args.first ?? "") == nil ? 1...1 : 1...2)
            if let n = Int(args[0]), n >= 0 { return .goto(.entry(n)) }
            let text = args.joined(separator: " ")
            guard let time = VirtualTime.parseStamp(text) else {
                throw usage("\(quoted(text)) is neither a history entry number (`history`) nor a time like 01:30, 00:30.042 "
                            + "or 8d 0:00:00.000")
            }
            return .goto(.time(time))
        case "branch":
            if args.count > 1 {
                throw usage("a branch's name is one word, like `branch \(args.map { $0.lowercased() }.joined(separator: "-"))`")
            }
            return .branch(args.first)
        case "branches": try count(0...0); return .branches
        case "switch":
            guard args.count == 1 else { throw usage(args.isEmpty ? "say which branch (`branches` lists them)" : "unexpected \(quoted(args[1]))") }
            return .switchBranch(args[0])
        case "save":
            let (words, replacing) = forced(args)
            guard words.count == 1 else {
                throw usage(words.isEmpty ? "save needs a file name" : "unexpected \(quoted(words[1]))")
            }
            return .save(try fileName(words[0], for: "save", usage: usage), replacing: replacing)
        case "quit", "exit": try count(0...0); return .quit
        case "order":
            guard args.count >= 2 else {
                throw usage(args.isEmpty ? "order needs a customer and at least one item" : "order needs at least one item")
            }
            let customer = args[0]
            if isKeyWord(customer) { throw usage("key=K comes after the customer") }
            let range: CustomerRange?
            do { range = try CustomerRange(parsing: customer) } catch let error as WorldError { throw usage(error.message) }
            if let range {
                guard isCustomerName(range.name(range.last)) else {
                    throw usage("customer names are up to 40 letters, digits or - _ . @; not \(quoted(range.name(range.last)))")
                }
                let (key, words) = try orderKey(Array(args.dropFirst()), usage: usage)
                guard key == nil else {
                    throw usage("key=K names one request; a customer range sends \(range.count), so order one customer to use a key")
                }
                guard !words.isEmpty else { throw usage("order needs at least one item") }
                return .orderRange(range, items: try words.map(item))
            }
            guard isCustomerName(customer) else {
                throw usage("customer names are up to 40 letters, digits or - _ . @; not \(quoted(customer))")
            }
            let (key, words) = try orderKey(Array(args.dropFirst()), usage: usage)
            guard !words.isEmpty else { throw usage("order needs at least one item") }
            return .order(customer: customer, items: try words.map(item), key: key)
        case "step":
            try count(0...1)
            guard let text = args.first else { return .step(1) }
            guard let n = Int(text), (1...maxSteps).contains(n) else {
                throw usage("N must be a whole number from 1 to \(maxSteps), not \(quoted(text))")
            }
            return .step(n)
        case "run":
            try count(0...1)
            if let word = args.first {
                guard word.lowercased() == "quiet" else { throw usage("unexpected \(quoted(word))") }
                return .run(quiet: true)
            }
            return .run(quiet: false)
        case "advance":
            try count(1...1)
            return .advance(try duration(args[0], usage: usage))
        case "publish":
            try count(0...1)
            guard let text = args.first else { return .publish(nil) }
            let service = try serviceName(text)
            guard service.emitsEvents else {
                throw WorldError("\(service.rawValue) has no outbox; publishers are: orders, inventory, payment")
            }
            return .publish(service)
        case "show": return .show(try showTopic(args, usage: usage))
        case "trace": return .trace(try traceFilter(args, usage: usage))
        case "log": return .log(try traceFilter(args, usage: usage))
        case "check": try count(0...0); return .check
        case "crash":
            if args.count == 2, CrashPoint(rawValue: args[1].lowercased()) != nil {
                throw usage("the point follows `at`: crash \(args[0]) at \(args[1].lowercased())")
            }
            guard args.count == 1 || args.count == 3 else {
                throw usage(args.isEmpty ? "crash needs a service" : "crash takes a service and optionally `at POINT`")
            }
            let publisher = try publisherName(args[0])
            let service = try publisher ?? serviceName(args[0])
            var point: CrashPoint?
            if args.count == 3 {
                guard args[1].lowercased() == "at" else { throw usage("expected `at`, not \(quoted(args[1]))") }
                point = try crashPoint(args[2])
            }
            return publisher == nil ? .crash(service, point) : .crashPublisher(service, point)
        case "restart":
            try count(1...1)
            if let publisher = try publisherName(args[0]) { return .restartPublisher(publisher) }
            return .restart(try serviceName(args[0]))
        case "partition":
            try count(1...1)
            if let publisher = try publisherName(args[0]) {
                throw usage("\(publisher.publisherName) shares \(publisher.possessive) network: "
                    + "`partition \(publisher.rawValue)` cuts both off the bus")
            }
            return .partition(try serviceName(args[0]))
        case "publishers":
            try count(0...1)
            guard let text = args.first else { return .publishers(nil) }
            guard let deployment = PublisherDeployment(rawValue: text.lowercased()) else {
                throw usage("publishers run in-service or own-process, not \(quoted(text))"
                    + Suggest.hint(text, in: PublisherDeployment.allCases.map(\.rawValue)))
            }
            return .publishers(deployment)
        case "restarts":
            try count(0...1)
            guard let text = args.first else { return .restarts(auto: nil) }
            switch text.lowercased() {
            case "auto": return .restarts(auto: true)
            case "manual": return .restarts(auto: false)
            default: throw usage("restarts are auto or manual, not \(quoted(text))\(Suggest.hint(text, in: ["auto", "manual"]))")
            }
        case "heal":
            if let first = args.first, ServiceName(rawValue: first.lowercased()) != nil {
                throw usage("heal ends every partition at once and takes no service, not \(quoted(first))")
            }
            try count(0...0)
            return .heal
        case "duplicate", "drop":
            try count(1...2)
            let kind: MessageFaultKind = name == "drop" ? .drop : .duplicate
            return .message(kind, try selector(args, usage: usage))
        case "delay":
            try count(2...3)
            if VirtualTime.parseDuration(args[0]) == nil, let last = args.last, VirtualTime.parseDuration(last) != nil {
                throw usage("the duration comes first: `delay \(last) \(args.dropLast().joined(separator: " "))`")
            }
            let d = try duration(args[0], usage: usage)
            guard d > 0 else { throw usage("the delay must be longer than 0") }
            return .message(.delay(d), try selector(Array(args.dropFirst()), usage: usage))
        case "fail":
            if args.count >= 2, args[1].lowercased() == "error" { return try failHandler(args) }
            func usage(_ problem: String) -> WorldError {
                WorldError("\(problem); usage: \(CommandCatalog.failBusinessUsage)")
            }
            guard args.count == 2 else {
                throw usage(args.count < 2 ? "fail needs more arguments" : "unexpected \(quoted(args[2]))")
            }
            guard let service = FailingService(rawValue: args[0].lowercased()) else {
                if let other = ServiceName(rawValue: args[0].lowercased()) {
                    throw usage("\(other.rawValue) has no business step to fail (`fail \(other.rawValue) error next` makes its handler throw)")
                }
                throw usage("\(quoted(args[0])) cannot be made to fail\(Suggest.hint(args[0], in: FailingService.allCases.map(\.rawValue)))")
            }
            return .fail(service, try failureMode(args[1], usage: usage))
        case "inject": return try inject(args, usage: usage)
        case "retry": return try retry(args, usage: usage)
        case "redrive": return try redrive(args, usage: usage)
        case "stock":
            try count(2...2)
            let product = try productName(args[0])
            guard let n = Int(args[1]), (0...1_000_000).contains(n) else {
                throw usage("N must be a whole number from 0 to 1000000, not \(quoted(args[1]))")
            }
            return .stock(product: product, quantity: n)
        case "rollback":
            try count(0...1)
            guard let text = args.first else { return .rollback(nil) }
            guard let rollback = Rollback(rawValue: text.lowercased()) else {
                throw usage("unknown rollback \(quoted(text))\(Suggest.hint(text, in: Rollback.allCases.map(\.rawValue)))")
            }
            return .rollback(rollback)
        case "design":
            try count(0...1)
            guard let text = args.first else { return .design(nil) }
            guard let design = Design(rawValue: text.lowercased()) else {
                let names = Design.allCases.map(\.rawValue)
                throw WorldError("unknown design \(quoted(text))\(Suggest.hint(text.lowercased(), in: names)); designs: \(names.joined(separator: ", "))")
            }
            return .design(design)
        case "product":
            try count(2...3)
            let name = try productName(args[0])
            if let x = name.lastIndex(of: "x"), name.index(after: x) < name.endIndex,
               name[name.index(after: x)...].allSatisfy(\.isASCIIDigit) {
                // An order reads `prod-1x2` as two of prod-1: such a name could never be ordered.
                throw usage("a product's name cannot end in x and a number: an order reads \(quoted(name)) as "
                            + "\(name[name.index(after: x)...]) of \(quoted(String(name[..<x])))")
            }
            let cents = try price(args[1], usage: usage)
            guard args.count == 3 else { return .product(name: name, price: cents, stock: nil) }
            guard let n = Int(args[2]), (0...1_000_000).contains(n) else {
                throw usage("STOCK must be a whole number from 0 to 1000000, not \(quoted(args[2]))")
            }
            return .product(name: name, price: cents, stock: n)
        case "pattern":
            if args.isEmpty { return .show(.settings) }
            if args[0].lowercased() == "key-validation" { return try keyValidation(args, usage: usage) }
            if args[0].lowercased() == "all" {
                try count(2...2)
                guard args[1].lowercased() == "on" else {
                    throw usage("pattern all takes only on; switch a pattern off by its name, not \(quoted(args[1]))")
                }
                return .allPatternsOn
            }
            guard CommandParser.patternNames.contains(args[0].lowercased()) else {
                throw usage("unknown pattern \(quoted(args[0]))\(Suggest.hint(args[0], in: CommandParser.patternNames))")
            }
            // The lab reports "idempotency off for analytics"; the command names the service alone.
            if args.count == 4, args[2].lowercased() == "for" {
                throw usage("name the service without 'for': `pattern \(args[0].lowercased()) \(args[1].lowercased()) \(args[3].lowercased())`")
            }
            try count(2...3)
            let service = try args.count == 3 ? serviceName(args[2]) : nil
            switch args[0].lowercased() {
            case "outbox":
                if let svc = service, !svc.emitsEvents {
                    throw WorldError("\(svc.rawValue) publishes no events, so it has no outbox; publishers are: orders, inventory, payment")
                }
                switch args[1].lowercased() {
                case "on": return .outbox(on: true, service)
                case "off": return .outbox(on: false, service)
                default: throw usage("outbox is on or off, not \(quoted(args[1]))")
                }
            case "durable-timers":
                if let svc = service { throw usage("durable-timers belongs to the orchestrator; unexpected \(quoted(svc.rawValue))") }
                switch args[1].lowercased() {
                case "on": return .durableTimers(true)
                case "off": return .durableTimers(false)
                default: throw usage("durable-timers is on or off, not \(quoted(args[1]))")
                }
            case "fence":
                if let svc = service { throw usage("fence belongs to inventory and payment together; unexpected \(quoted(svc.rawValue))") }
                switch args[1].lowercased() {
                case "on": return .fence(true)
                case "off": return .fence(false)
                default: throw usage("fence is on or off, not \(quoted(args[1]))")
                }
            case "idempotency":
                guard let mode = IdempotencyMode(rawValue: args[1].lowercased()) else {
                    throw usage("idempotency is on, off or check-then-act, not \(quoted(args[1]))\(Suggest.hint(args[1], in: IdempotencyMode.allCases.map(\.rawValue)))")
                }
                return .idempotency(mode, service)
            default:
                throw usage("unknown pattern \(quoted(args[0]))\(Suggest.hint(args[0], in: CommandParser.patternNames))")
            }
        case "flow":
            try count(0...1)
            guard let text = args.first else { return .flow(nil) }
            guard let flow = Flow(rawValue: text.lowercased()) else {
                throw usage("unknown flow \(quoted(text))\(Suggest.hint(text, in: Flow.allCases.map(\.rawValue)))")
            }
            return .flow(flow)
        case "subscribe", "unsubscribe":
            try count(2...2)
            // Written event first, as a rule reads (`order.created -> payment`).
            if ServiceName(rawValue: args[0].lowercased()) == nil, let service = ServiceName(rawValue: args[1].lowercased()) {
                throw usage("the service comes first: `\(name) \(service.rawValue) \(args[0].lowercased())`")
            }
            let service = try serviceName(args[0])
            let type = try eventType(args[1])
            return name == "subscribe" ? .subscribe(service, type) : .unsubscribe(service, type)
        case "recipe": return try recipe(args, usage: usage)
        case "set":
            if args.isEmpty { return .show(.settings) }
            if args.first?.lowercased() == "concurrency" {
                if args.count == 2 { throw usage("set concurrency needs a service and a number, like `set concurrency inventory 2`") }
                try count(3...3)
                if Int(args[1]) != nil, let service = ServiceName(rawValue: args[2].lowercased()) {
                    throw usage("the service comes first: `set concurrency \(service.rawValue) \(args[1])`")
                }
                let service = try serviceName(args[1])
                let range = Settings.concurrencyRange
                guard let n = Int(args[2]), range.contains(n) else {
                    throw usage("N must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(quoted(args[2]))")
                }
                return .concurrency(service, n)
            }
            try count(2...2)
            let setting = args[0].lowercased()
            guard Settings.names.contains(where: { $0.name == setting }) else {
                throw usage("unknown setting \(quoted(args[0]))\(Suggest.hint(setting, in: Settings.names.map(\.name)))")
            }
            if Settings.offWhenZero.contains(setting) {
                if args[1].lowercased() == "off" { return .set(setting, 0) }
                switch VirtualTime.readDuration(args[1]) {
                case .success(let value): return .set(setting, value)
                case .failure(.tooLarge): throw usage(tooLarge(args[1]))
                case .failure(.malformed): throw usage("\(quoted(args[1])) is neither `off` nor a duration like 5s or 1m")
                }
            }
            return .set(setting, try duration(args[1], usage: usage))
        case "mode":
            try count(0...1)
            guard let text = args.first else { return .mode(nil) }
            guard let mode = SagaMode(rawValue: text.lowercased()) else {
                throw usage("unknown mode \(quoted(text))\(Suggest.hint(text, in: SagaMode.allCases.map(\.rawValue)))")
            }
            return .mode(mode)
        case "slow":
            try count(2...2)
            let service = try serviceName(args[0])
            guard service != .orders, service != .analytics else {
                throw usage("only the orchestrator's participants can be slow: inventory, payment, rewards")
            }
            if args[1].lowercased() == "off" { return .slow(service, 0) }
            return .slow(service, try duration(args[1], usage: usage))
        case "compare":
            try count(0...1)
            guard let text = args.first else { return .compare(5) }
            guard let n = Int(text), (1...200).contains(n) else { throw usage("N must be a whole number from 1 to 200, not \(quoted(text))") }
            return .compare(n)
        case "pick":
            guard !args.isEmpty else { throw usage("pick needs the number `show pending` gives an action") }
            try count(1...1)
            guard let n = Int(args[0]), n >= 1 else {
                throw usage("N is the number `show pending` gives an action, not \(quoted(args[0]))")
            }
            return .pick(n)
        case "explore": return .explore(try exploreRequest(args, usage: usage))
        case "export": return .export(try exportRequest(args, usage: usage))
        case "compensate":
            try count(1...1)
            return .compensate(args[0].lowercased())
        case "rebuild":
            try count(1...1)
            return .rebuild(try serviceName(args[0]))
        case "chapter":
            guard args.count >= 2 else { return .chapter(args.first) }
            if args[1].lowercased() == "run" {
                try count(2...2)
                return .chapterRun(args[0].lowercased())
            }
            guard Int(args[0]) == nil else { throw usage("expected `run` after the chapter, not \(quoted(args[1]))") }
            // Words that are no chapter's number: a phrase to search for (`chapter dual write`);
            // `chapter search outbox lag` asks for the same search in words.
            let phrase = args[0].lowercased() == "search" ? Array(args.dropFirst()) : args
            return .chapter(phrase.joined(separator: " "))
        case "lessons": try count(0...0); return .lessons
        case "lesson":
            try count(0...1)
            guard let arg = args.first else { return .lesson(nil) }
            // A file's name keeps its case; a number or a keyword does not need it.
            return .lesson(arg.contains("/") || arg.lowercased().hasSuffix(".md") ? arg : arg.lowercased())
        case "next": try count(0...0); return .next
        case "back": try count(0...0); return .back
        case "hint": try count(0...0); return .hint
        default:
            if args.count == 1, let design = Design(rawValue: args[0].lowercased()) {
                throw WorldError("unknown command \(quoted(name)) (did you mean 'design \(design.rawValue)', to follow \(design.name)?)")
            }
            if let elsewhere = CommandParser.wordsFromElsewhere[name] {
                throw WorldError("unknown command \(quoted(name)); \(elsewhere)")
            }
            let hint = Suggest.hint(name, in: CommandCatalog.names)
            throw WorldError("unknown command \(quoted(name))" + (hint.isEmpty ? "; `help` lists the commands" : hint))
        }
    }

    /// Words a learner brings from shells and other tools, with where the lab does that.
    static let wordsFromElsewhere: [String: String] = [
        "clear": "Ctrl-L clears the screen",
        "cls": "Ctrl-L clears the screen",
        "status": "`show orders`, `show pending` and `check` tell where the world stands",
        "version": "`sagalab --version` prints it",
    ]

    /// Up to 40 letters, digits or `- _ . @`; plain ASCII names are checked byte by byte.
    static func isCustomerName(_ name: String) -> Bool {
        let plain = name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "@")
        }
        if plain { return !name.isEmpty && name.utf8.count <= 40 }
        return !name.isEmpty && name.count <= 40 && name.allSatisfy { $0.isLetter || $0.isNumber || "-_.@".contains($0) }
    }

    static func item(_ text: String) throws -> OrderItem {
        let lower = text.lowercased()
        var product = lower
        var quantity = 1
        if let x = lower.lastIndex(of: "x"), lower[lower.index(after: x)...].allSatisfy(\.isASCIIDigit),
           lower.index(after: x) < lower.endIndex {
            product = String(lower[..<x])
            guard !product.isEmpty else {
                throw WorldError("\(quoted(text)) is a quantity without its product; write them together, like prod-1\(lower); usage: \(CommandCatalog.usage("order"))")
            }
            let digits = String(lower[lower.index(after: x)...])
            guard let n = Int(digits), (1...10_000).contains(n) else {
                throw WorldError("quantity in \(quoted(text)) must be from 1 to 10000; usage: \(CommandCatalog.usage("order"))")
            }
            quantity = n
        } else if let x = lower.lastIndex(of: "x"), lower[lower.index(after: x)...].hasPrefix("-") {
            throw WorldError("quantity in \(quoted(text)) must be from 1 to 10000; usage: \(CommandCatalog.usage("order"))")
        }
        return OrderItem(product: try productName(product), quantity: quantity)
    }

    /// A product's name as written: 1 to 40 letters, digits, - or _. Whether the shop sells
    /// it is the world's to say (`product` adds one).
    static func productName(_ text: String) throws -> String {
        let lower = text.lowercased()
        let allowed = lower.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        guard allowed, (1...40).contains(lower.count) else {
            throw WorldError("unknown product \(quoted(text)): a name is 1 to 40 letters, digits, - or _ (`help product`)")
        }
        return lower
    }

    /// A price in dollars, `1299.99` or `$12`, as cents: more than 0 and at most $1 000 000.
    static func price(_ text: String, usage: (String) -> WorldError) throws -> Int {
        let digits = text.hasPrefix("$") ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts.first.flatMap { Int($0) }
        let fraction = parts.count == 2 && (1...2).contains(parts[1].count) && parts[1].allSatisfy(\.isASCIIDigit)
            ? Int(parts[1].count == 1 ? parts[1] + "0" : String(parts[1])) : (parts.count == 1 ? 0 : nil)
        guard parts.count <= 2, let whole, whole >= 0, let fraction, !digits.hasPrefix("-") else {
            throw usage("PRICE is dollars like 1299.99 or $25, not \(quoted(text))")
        }
        let cents = whole * 100 + fraction
        guard (1...100_000_000).contains(cents) else { throw usage("PRICE must be from $0.01 to $1000000.00, not \(quoted(text))") }
        return cents
    }

    /// `trace` and `log`'s words, in any order: an order, services to show, `-SERVICE` or
    /// `quiet` to hide lanes, `from TIME` and `to TIME`.
    static func traceFilter(_ args: [String], usage: (String) -> WorldError) throws -> TraceFilter {
        var filter = TraceFilter()
        var index = 0
        func time(after word: String) throws -> Millis {
            guard index + 1 < args.count else { throw usage("`\(word)` needs a time like 01:30 or 00:30.042") }
            index += 1
            var text = args[index]
            // A time past the first day is written as two words: `8d 0:00:00.000`.
            if VirtualTime.dayCount(text) != nil, index + 1 < args.count, VirtualTime.parseStamp(args[index + 1]) != nil {
                index += 1
                text += " " + args[index]
            }
            guard let t = VirtualTime.parseStamp(text) else {
                throw usage("\(quoted(text)) is not a time like 01:30, 00:30.042 or 8d 0:00:00.000")
            }
            return t
        }
        while index < args.count {
            let word = args[index].lowercased()
            switch word {
            case "from":
                guard filter.from == nil else { throw usage("`from` given twice") }
                filter.from = try time(after: word)
            case "to":
                guard filter.to == nil else { throw usage("`to` given twice") }
                filter.to = try time(after: word)
            case "quiet":
                for s in [ServiceName.analytics, .rewards] where !filter.hidden.contains(s) { filter.hidden.append(s) }
            default:
                if word.hasPrefix("-"), let service = ServiceName(rawValue: String(word.dropFirst())) {
                    if !filter.hidden.contains(service) { filter.hidden.append(service) }
                } else if let service = ServiceName(rawValue: word) {
                    if !filter.services.contains(service) { filter.services.append(service) }
                } else if OrderId(parsing: word) != nil {
                    guard filter.order == nil else { throw usage("one order at most; \(quoted(args[index])) is a second") }
                    filter.order = word
                } else {
                    let names = ServiceName.allCases.map(\.rawValue)
                    let words = word.hasPrefix("-") ? names.map { "-" + $0 } : names + ["from", "to", "quiet"]
                    throw usage("unexpected \(quoted(args[index]))\(Suggest.hint(word, in: words)): not an order, a service, -SERVICE, quiet, from or to")
                }
            }
            index += 1
        }
        if let from = filter.from, let to = filter.to, from > to {
            throw usage("from \(VirtualTime.stamp(from)) is after to \(VirtualTime.stamp(to))")
        }
        if filter.lanes.isEmpty { throw usage("every lane is hidden") }
        return filter
    }

    static func serviceName(_ text: String) throws -> ServiceName {
        guard let service = ServiceName(rawValue: text.lowercased()) else {
            throw WorldError("unknown service \(quoted(text))\(Suggest.hint(text, in: ServiceName.allCases.map(\.rawValue))); services: \(ServiceName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return service
    }

    /// The service whose publisher `text` names (`orders-publisher`), nil when it names none;
    /// an error for a service that has no publisher.
    static func publisherName(_ text: String) throws -> ServiceName? {
        if let service = ServiceName(publisherName: text) { return service }
        let lower = text.lowercased()
        let names = ServiceName.publishers.map(\.publisherName)
        if lower.hasSuffix("-publisher"), let other = ServiceName(rawValue: String(lower.dropLast("-publisher".count))) {
            throw WorldError("\(other.rawValue) publishes no events, so it has no publisher; publishers are: \(names.joined(separator: ", "))")
        }
        guard lower.contains("-pub"), ServiceName(rawValue: lower) == nil else { return nil }
        throw WorldError("unknown publisher \(quoted(text))\(Suggest.hint(lower, in: names)); publishers are: \(names.joined(separator: ", "))")
    }

    static func crashPoint(_ text: String) throws -> CrashPoint {
        guard let point = CrashPoint(rawValue: text.lowercased()) else {
            throw WorldError("unknown crash point \(quoted(text))\(Suggest.hint(text, in: CrashPoint.allCases.map(\.rawValue))); `help crash` lists them")
        }
        return point
    }

    static func eventType(_ text: String) throws -> EventType {
        guard let type = EventType(rawValue: text.lowercased()) else {
            throw WorldError("unknown event type \(quoted(text))\(Suggest.hint(text, in: EventType.allCases.map(\.rawValue))); event types: \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return type
    }

    static func duration(_ text: String, usage: (String) -> WorldError) throws -> Millis {
        switch VirtualTime.readDuration(text) {
        case .success(let d): return d
        case .failure(.tooLarge): throw usage(tooLarge(text))
        case .failure(.malformed): throw usage("\(quoted(text)) is not a duration like 500ms, 30s, 5m, 2h or 7d")
        }
    }

    /// The error for a well-written duration longer than the lab reads.
    static func tooLarge(_ text: String) -> String {
        let longest = VirtualTime.longestDuration
        return "\(quoted(text.count > 30 ? String(text.prefix(27)) + "..." : text)) is too large: durations go up to \(VirtualTime.duration(longest))"
    }

    static func selector(_ args: [String], usage: (String) -> WorldError) throws -> MessageSelector {
        guard let first = args.first else { throw usage("say which message: `next`, `next EVENT-TYPE` or an event id") }
        if first.lowercased() == "next" {
            guard args.count == 2 else { return .next(nil) }
            return .next(try eventType(args[1]))
        }
        guard args.count == 1 else { throw usage("unexpected \(quoted(args[1]))") }
        let id = first.lowercased()
        guard id.hasPrefix("evt-"), Int(id.dropFirst(4)).map({ $0 > 0 }) == true else {
            throw usage("\(quoted(first)) is neither `next` nor an event id like evt-3")
        }
        return .event(id)
    }

    /// `recipe [SERVICE [EVENT-TYPE] STEPS|NAME]`; without steps it shows the recipes.
    static func recipe(_ args: [String], usage: (String) -> WorldError) throws -> Command {
        guard let first = args.first else { return .show(.recipe(nil)) }
        let service = try serviceName(first)
        var rest = Array(args.dropFirst())
        guard !rest.isEmpty else { return .show(.recipe(service)) }
        var type: EventType?
        // A word with a dot is an event type, never a step: name it as one when it is unknown.
        if rest[0].contains(".") || EventType(rawValue: rest[0].lowercased()) != nil {
            let named = try eventType(rest[0])
            guard Handler.of(service, for: named) != nil else {
                throw WorldError("\(service.rawValue) has no handler for \(named.rawValue)")
            }
            type = named
            rest.removeFirst()
            guard !rest.isEmpty else { throw usage("give the steps or a name (on, off, check-then-act)") }
        }
        if rest.count == 1, let mode = IdempotencyMode(rawValue: rest[0].lowercased()) {
            return .recipe(service, type, .named(mode))
        }
        // One word that is neither a name nor a step: say both what the names and the steps are.
        if rest.count == 1, !rest[0].contains("+"), Recipe.Step(rawValue: rest[0].lowercased()) == nil {
            let names = IdempotencyMode.allCases.map(\.rawValue)
            let steps = Recipe.Step.allCases.map(\.rawValue)
            throw WorldError("no recipe named \(quoted(rest[0]))\(Suggest.hint(rest[0], in: names + steps)); "
                + "a recipe is a name (\(names.joined(separator: ", "))) or steps (\(steps.joined(separator: ", "))); see `help recipe`")
        }
        return .recipe(service, type, .steps(try Recipe(parsing: rest, for: service)))
    }

    static func failureMode(_ text: String, usage: (String) -> WorldError) throws -> FailureMode {
        let lower = text.lowercased()
        if lower == "next" { return .next }
        if lower == "off" { return .never }
        let digits = lower.hasSuffix("%") ? String(lower.dropLast()) : lower
        guard let p = Int(digits), (0...100).contains(p) else {
            throw usage("expected next, off or a percentage from 0 to 100, not \(quoted(text))")
        }
        return p == 0 ? .never : .percent(p)
    }

    static func showTopic(_ args: [String], usage: (String) -> WorldError) throws -> ShowTopic {
        guard let first = args.first?.lowercased() else {
            throw usage("show needs a topic, such as orders, stock, outbox or sagas (`help show` lists them all)")
        }
        func noMore() throws {
            guard args.count > 1 else { return }
            throw usage("show \(first) takes nothing after it, not \(quoted(args[1]))\(oneOf(args[1]))")
        }
        /// Where a learner gave a list topic one id, the topic that shows that one.
        func oneOf(_ word: String) -> String {
            let id = word.lowercased()
            guard id != "-" else { return "" }
            switch first {
            case "orders" where OrderId(parsing: id) != nil: return " (one order: `show order \(id)`)"
            case "sagas" where OrderId(parsing: id) != nil || SagaId(parsing: id) != nil: return " (one saga: `show saga \(id)`)"
            default: return ""
            }
        }
        func oneId(_ what: String) throws -> String {
            guard args.count == 2 else { throw usage(args.count < 2 ? "show \(first) needs \(what)" : "unexpected \(quoted(args[2]))") }
            return args[1].lowercased()
        }
        func noMore2() throws {
            if args.count > 2 { throw usage("unexpected \(quoted(args[2]))") }
        }
        func optionalService() throws -> ServiceName? {
            guard args.count >= 2 else { return nil }
            if args.count > 2 { throw usage("unexpected \(quoted(args[2]))") }
            return try serviceName(args[1])
        }
        switch first {
        case "orders": try noMore(); return .orders
        case "order": return .order(try oneId("an order id"))
        case "saga": return .saga(try oneId("a saga or order id"))
        case "outbox":
            let service = try optionalService()
            if let s = service, !s.emitsEvents { throw WorldError("\(s.rawValue) has no outbox; publishers are: orders, inventory, payment") }
            return .outbox(service)
        case "stock": try noMore(); return .stock
        case "payments": try noMore(); return .payments
        case "points": try noMore(); return .points
        case "analytics": try noMore(); return .analytics
        case "processed": return .processed(try optionalService())
        case "events": try noMore(); return .events
        case "rules": try noMore(); return .rules
        case "metrics": try noMore(); return .metrics
        case "alarms": try noMore(); return .alarms
        case "settings": try noMore(); return .settings
        case "faults": try noMore(); return .faults
        case "execution", "executions":
            guard args.count >= 2 else { return .execution(nil) }
            return .execution(try oneId("an order or execution id"))
        case "saga-definition": try noMore(); return .sagaDefinition
        case "idempotency": try noMore(); return .idempotency
        case "dlq": return .dlq(try optionalService())
        case "pending": try noMore(); return .pending
        case "sagas":
            guard args.count >= 2 else { return .sagas(nil) }
            try noMore2()
            switch args[1].lowercased() {
            case "stuck": return .sagas(.stuck)
            case "compensating": return .sagas(.compensating)
            default: throw usage("show sagas takes stuck or compensating, not \(quoted(args[1]))\(oneOf(args[1]))")
            }
        case "recipe", "recipes": return .recipe(try optionalService())
        case "consumers": try noMore(); return .consumers
        case "fence": try noMore(); return .fence
        case "event-store":
            guard args.count >= 2 else { return .eventStore(nil) }
            try noMore2()
            return .eventStore(try eventStoreFilter(args[1]))
        case "publishers": try noMore(); return .publishers
        default:
            let hint = (ShowTopic.forService[first.lowercased()] ?? ShowTopic.otherNames[first.lowercased()]).map { " (did you mean '\($0)'?)" }
                ?? Suggest.hint(first, in: ShowTopic.names)
            throw usage("cannot show \(quoted(first))\(hint)")
        }
    }

    /// What `show event-store` narrows to: an order (`ord-3`), a service or an event type.
    static func eventStoreFilter(_ text: String) throws -> EventStore.Filter {
        let lower = text.lowercased()
        if lower.hasPrefix("ord-"), let id = OrderId(parsing: lower) { return .order(id) }
        if let service = ServiceName(rawValue: lower) { return .service(service) }
        if let type = EventType(rawValue: lower) { return .type(type) }
        let names = ServiceName.allCases.map(\.rawValue) + EventType.allCases.map(\.rawValue)
        let hint = Suggest.hint(lower, in: names)
        throw WorldError("no order, service or event type \(quoted(text))" + (hint.isEmpty ? "; see `help show`" : hint))
    }

    /// `explore [random N] [depth=N] [states=N] [faults=K] [beyond-promise]` or `explore save FILE`.
    static func exploreRequest(_ args: [String], usage: (String) -> WorldError) throws -> ExploreRequest {
        var words = args[...]
        if words.first?.lowercased() == "save" {
            let (file, replacing) = forced(Array(words.dropFirst()))
            guard file.count == 1, let path = file.first else {
                throw usage(file.isEmpty ? "explore save needs a file name" : "unexpected \(quoted(file[1]))")
            }
            return .save(try fileName(path, for: "explore save", usage: usage), replacing: replacing)
        }
        var random: Int?
        var budget = Explorer.Budget()
        if words.first?.lowercased() == "random" {
            words = words.dropFirst()
            guard let text = words.first, let n = Int(text), (1...100_000).contains(n) else {
                throw usage("explore random needs a number of schedules from 1 to 100000")
            }
            random = n
            words = words.dropFirst()
            budget = Swarm(schedules: n).budget
        }
        var given: Set<String> = []
        for word in words {
            let lower = word.lowercased()
            // Empty pieces kept: a lone `=` is two empty ones, not none.
            let parts = lower.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if lower == "beyond-promise" {
                guard given.insert(lower).inserted else { throw usage("beyond-promise given twice") }
                budget.beyondPromise = true
                continue
            }
            guard parts.count == 2, ["depth", "states", "faults"].contains(parts[0]) else {
                throw usage("unexpected \(quoted(word)); options are depth=N, states=N, faults=K and beyond-promise")
            }
            guard given.insert(parts[0]).inserted else { throw usage("\(parts[0]) given twice") }
            // Random schedules are each as long as depth= and no longer: a budget of states
            // is the exhaustive search's.
            if random != nil, parts[0] == "states" {
                throw usage("explore random plays N schedules, each up to depth= actions; states= is for the full search")
            }
            let limits = ["depth": 1...10_000, "states": 1...100_000_000, "faults": 0...5]
            guard let n = Int(parts[1]), limits[parts[0]]!.contains(n) else {
                let range = limits[parts[0]]!
                throw usage("\(parts[0]) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(quoted(parts[1]))")
            }
            switch parts[0] {
            case "depth": budget.depth = n
            case "states": budget.states = n
            default: budget.faults = n
            }
        }
        if let random { return .random(random, budget) }
        return .search(budget)
    }
}
