/// Parsing of the commands about handler errors, retries and dead letters: `fail SERVICE
/// error ...`, `inject poison ...`, `retry ...` and `redrive ...`.
extension CommandParser {
    /// The policies `retry` knows, each named by the word after `retry`.
    public static let retryTargets = ["consumers", "steps"] + SagaTask.steps.map(\.rawValue)
    /// The keys `retry consumers` takes.
    public static let consumerRetryKeys = ["immediate", "delayed", "delay", "backoff"]
    /// The keys `retry STEP|steps` takes: Step Functions' `Retry` fields.
    public static let stepRetryKeys = ["interval", "attempts", "backoff", "max-delay", "jitter"]
    /// What `inject` can put on the bus.
    public static let injectKinds = ["poison"]

    /// `fail SERVICE error next|always|PERCENT|off`; `args[1]` is `error`.
    static func failHandler(_ args: [String]) throws -> Command {
        func usage(_ problem: String) -> WorldError {
            WorldError("\(problem); usage: \(CommandCatalog.failErrorUsage)")
        }
        guard args.count == 3 else {
            throw usage(args.count < 3 ? "say how often the handler throws: next, always, a percentage or off"
                : "unexpected \(quoted(args[3]))")
        }
        let service = try serviceName(args[0])
        let text = args[2].lowercased()
        switch text {
        case "next": return .failHandler(service, .next)
        case "always": return .failHandler(service, .always)
        case "off": return .failHandler(service, .off)
        default:
            let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
            guard let p = Int(digits), (0...100).contains(p) else {
                throw usage("expected next, always, off or a percentage from 0 to 100, not \(quoted(args[2]))"
                    + Suggest.hint(text, in: ["next", "always", "off"]))
            }
            return .failHandler(service, p == 0 ? .off : p == 100 ? .always : .percent(p))
        }
    }

    /// `inject poison EVENT-TYPE`.
    static func inject(_ args: [String], usage: (String) -> WorldError) throws -> Command {
        guard let first = args.first else { throw usage("say what to inject") }
        let kind = first.lowercased()
        guard injectKinds.contains(kind) else {
            throw usage("cannot inject \(quoted(first))\(Suggest.hint(kind, in: injectKinds))")
        }
        guard args.count == 2 else {
            throw usage(args.count < 2 ? "inject poison needs an event type" : "unexpected \(quoted(args[2]))")
        }
        return .injectPoison(try eventType(args[1]))
    }

    /// `retry [POLICY [key=value...]]`: the first word names the policy.
    static func retry(_ args: [String], usage: (String) -> WorldError) throws -> Command {
        guard let first = args.first else { return .retry(nil) }
        let target = first.lowercased()
        switch target {
        case "consumers":
            func usage(_ problem: String) -> WorldError {
                WorldError("\(problem); usage: \(CommandCatalog.consumerRetryUsage)")
            }
            let values = try keyValues(Array(args.dropFirst()), keys: consumerRetryKeys, usage: usage)
            func number(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
                guard let text = values[key] else { return nil }
                guard let n = Int(text), range.contains(n) else {
                    throw usage("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(quoted(text))")
                }
                return n
            }
            var delay: Millis?
            if let text = values["delay"] {
                let range = ConsumerRetryPolicy.delayRange
                guard let d = VirtualTime.parseDuration(text), range.contains(d) else {
                    throw usage("delay must be a duration from \(VirtualTime.duration(range.lowerBound)) to \(VirtualTime.duration(range.upperBound)), like 10s, not \(quoted(text))")
                }
                delay = d
            }
            var backoff: ConsumerRetryPolicy.Backoff?
            if let text = values["backoff"] {
                guard let b = ConsumerRetryPolicy.Backoff(rawValue: text.lowercased()) else {
                    throw usage("backoff must be linear or constant, not \(quoted(text))")
                }
                backoff = b
            }
            return .retry(.consumers(immediate: try number("immediate", ConsumerRetryPolicy.immediateRange),
                                     delayed: try number("delayed", ConsumerRetryPolicy.delayedRange),
                                     delay: delay, backoff: backoff))
        case "steps", "all":
            return .retry(try stepRetry(nil, Array(args.dropFirst())))
        default:
            if let step = SagaTask(rawValue: target) {
                guard !step.isCompensation else {
                    let owner = SagaTask.steps.first { $0.compensation == step }?.rawValue ?? "its step"
                    throw usage("\(step.rawValue) is a compensation: it retries with \(owner)'s policy, so change that one")
                }
                return .retry(try stepRetry(step, Array(args.dropFirst())))
            }
            throw usage("no retry policy \(quoted(first))\(Suggest.hint(target, in: retryTargets)); policies: \(retryTargets.joined(separator: ", "))")
        }
    }

    /// The `key=value` words of `retry STEP|steps`.
    static func stepRetry(_ step: SagaTask?, _ words: [String]) throws -> RetryChange {
        func usage(_ problem: String) -> WorldError {
            WorldError("\(problem); usage: \(CommandCatalog.stepRetryUsage)")
        }
        let values = try keyValues(words, keys: stepRetryKeys, usage: usage)
        func duration(_ key: String, allowNone: Bool) throws -> Millis? {
            guard let text = values[key] else { return nil }
            if allowNone && text.lowercased() == "none" { return 0 }
            guard let d = VirtualTime.parseDuration(text), (1...VirtualTime.day).contains(d) else {
                throw usage("\(key) must be a duration from 1ms to 1d, like 1s\(allowNone ? ", or none" : ""), not \(quoted(text))")
            }
            return d
        }
        var attempts: Int?
        if let text = values["attempts"] {
            guard let n = Int(text), (0...20).contains(n) else {
                throw usage("attempts (retries after the first call) must be a whole number from 0 to 20, not \(quoted(text))")
            }
            attempts = n
        }
        var backoff: Double?
        if let text = values["backoff"] {
            guard let x = Double(text), x.isFinite, (1.0...10.0).contains(x) else {
                throw usage("backoff must be a rate from 1.0 to 10.0, like 2.0, not \(quoted(text))")
            }
            backoff = x
        }
        var jitter: RetryPolicy.Jitter?
        if let text = values["jitter"] {
            guard let j = RetryPolicy.Jitter(rawValue: text.uppercased()) else {
                throw usage("jitter is full or none, not \(quoted(text))\(Suggest.hint(text.lowercased(), in: ["full", "none"]))")
            }
            jitter = j
        }
        return .steps(step, interval: try duration("interval", allowNone: false), attempts: attempts, backoff: backoff,
                      maxDelay: try duration("max-delay", allowNone: true), jitter: jitter)
    }

    /// `key=value` words, each key at most once and from `keys`.
    static func keyValues(_ words: [String], keys: [String], usage: (String) -> WorldError) throws -> [String: String] {
        var values: [String: String] = [:]
        for word in words {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw usage("expected KEY=VALUE, not \(quoted(word))")
            }
            let key = parts[0].lowercased()
            guard keys.contains(key) else {
                throw usage("unknown key \(quoted(parts[0]))\(Suggest.hint(key, in: keys)); keys: \(keys.joined(separator: ", "))")
            }
            guard values[key] == nil else { throw usage("\(key) is given twice") }
            values[key] = parts[1]
        }
        return values
    }

    /// `redrive SERVICE [ID]`.
    static func redrive(_ args: [String], usage: (String) -> WorldError) throws -> Command {
        guard (1...2).contains(args.count) else {
            throw usage(args.isEmpty ? "redrive needs a service" : "unexpected \(quoted(args[2]))")
        }
        let service = try serviceName(args[0])
        guard args.count == 2 else { return .redrive(service, nil) }
        let id = args[1].lowercased()
        guard id.hasPrefix("dl-"), Int(id.dropFirst(3)).map({ $0 > 0 }) == true else {
            throw usage("\(quoted(args[1])) is not a dead-letter id like dl-1")
        }
        return .redrive(service, id)
    }
}
