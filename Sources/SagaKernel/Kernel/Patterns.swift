/// How a consumer protects itself against the same event arriving twice: the names of
/// three recipes (`Recipe.named`), which `pattern idempotency` and `recipe` accept.
public enum IdempotencyMode: String, CaseIterable, Sendable {
    /// The `ProcessedEvents` mark commits in the same transaction as the effect:
    /// `check effect+emit+mark ack`.
    case on
    /// No protection: every delivery runs the handler: `effect+emit ack`.
    case off
    /// The EventBridge shop's handler: check, effect and mark as separate writes, so a crash after
    /// the effect leaves no mark and the redelivery is processed again:
    /// `check effect+emit mark ack`.
    case checkThenAct = "check-then-act"
}

/// The patterns a learner can switch on and off, per service.
public struct Patterns: Hashable, Sendable {
    /// Transactional outbox per publishing service, one bit each by `ServiceName.index`
    /// (a set, not a table: asked for every order placed). Off: commit, then publish
    /// straight to the bus.
    private var outboxes: UInt8 = 0
    /// How each consumer handles a delivery (`recipe`, `pattern idempotency`).
    public var recipes = RecipeBook()
    /// The orchestrator stores its timers (retry waits, call timeouts, the saga deadline)
    /// with its executions. Off: they live only in memory and a crash of orders loses them.
    public var durableTimers = true
    /// Whether the orders API refuses an idempotency key reused with a different payload (422).
    public var keyValidation = true
    /// Inventory and payment keep a fence log: a rollback leaves a mark (an empty one when
    /// the action never came), and a try arriving after its rollback is refused. Off: a
    /// late try after its compensation takes effect and is left standing.
    public var fence = true

    public init() {
        for service in ServiceName.publishers { setOutbox(true, for: service) }
    }

    public func usesOutbox(_ service: ServiceName) -> Bool { outboxes & 1 << service.index != 0 }

    /// Switches the outbox of one publishing service.
    mutating func setOutbox(_ on: Bool, for service: ServiceName) {
        if on { outboxes |= 1 << service.index } else { outboxes &= ~(1 << service.index) }
    }
    /// The named recipe `service` follows for every event, or nil when it follows a recipe
    /// of the learner's own or one event type has its own.
    public func idempotency(of service: ServiceName) -> IdempotencyMode? {
        recipes.overrides(of: service).isEmpty ? recipes.recipe(of: service).name : nil
    }
}

/// The world's tunable numbers. All are virtual durations.
public struct Settings: Hashable, Sendable {
    /// How often each `OutboxPublisher` polls (the EventBridge shop: every 30 s).
    public var publishInterval: Millis = 30 * VirtualTime.second
    /// How long the bus waits before redelivering an unacknowledged event.
    public var redeliveryDelay: Millis = 30 * VirtualTime.second
    /// Delivery latency is drawn from this range by the seeded generator.
    public var latencyMin: Millis = 20
    public var latencyMax: Millis = 120
    /// How long a `ProcessedEvents` row lives (the EventBridge shop: 7 days).
    public var processedTTL: Millis = 7 * VirtualTime.day
    /// How long a published outbox row is kept before it is deleted (the EventBridge shop: 30 days).
    public var outboxTTL: Millis = 30 * VirtualTime.day
    /// How long an analytics window stays open after it ends.
    public var windowGrace: Millis = 0
    /// How often analytics prints its report to the trace (the Kafka shop: every 10 s); 0 is off.
    public var analyticsReport: Millis = 0
    /// How long the orchestrator waits for a participant's answer (the Boong saga: 5000 ms).
    public var stepTimeout: Millis = 5 * VirtualTime.second
    /// Whether a crashed service starts again at once (`restarts auto`): a serverless
    /// function, like the EventBridge shop's Lambdas, loses the invocation that crashed,
    /// and the next event or request starts a fresh one. `manual` waits for `restart`.
    public var restartsAtOnce = false
    /// How long a compensation may take (the Boong saga: 5000 ms); 0 is off. An orchestrated
    /// compensation call times out after it instead of `stepTimeout`; a choreographed
    /// compensation handler is not retried past it, and goes to the dead-letter queue.
    public var compensationTimeout: Millis = 0
    /// How long an orchestrated saga may take before it is compensated.
    public var sagaDeadline: Millis = 2 * VirtualTime.minute
    /// How long an idempotency record answers for its key (the Step Functions shop: 10 minutes).
    public var keyExpiry: Millis = 10 * VirtualTime.minute
    /// How long an INPROGRESS idempotency record locks its key: the function's timeout.
    public var keyInProgressExpiry: Millis = 30 * VirtualTime.second
    /// How consumers retry a delivery whose handler threw (`retry consumers`).
    public var consumerRetries = ConsumerRetryPolicy()
    /// How long each stage of a recipe takes when a consumer handles deliveries
    /// concurrently: one database or bus round trip.
    public var roundTrip: Millis = 10
    /// How many deliveries each consumer works on at once.
    public var concurrency = ConsumerConcurrency()
    /// The most deliveries `set concurrency` lets a consumer work on at once.
    public static let concurrencyRange = 1...16

    /// The settings whose zero means off, and which `set` accepts as `off`.
    public static let offWhenZero = ["analytics-report", "compensation-timeout"]

    /// A setting's value as `show settings` and the trace write it: `30s`, or `off`.
    public static func describe(_ name: String, _ value: Millis) -> String {
        offWhenZero.contains(name) && value == 0 ? "off" : VirtualTime.duration(value)
    }

    /// The names `set` accepts, with their descriptions.
    public static let names: [(name: String, summary: String)] = [
        ("publish-interval", "how often each outbox publisher polls"),
        ("redelivery-delay", "how long the bus waits before redelivering an unacknowledged event"),
        ("latency-min", "shortest delivery latency"),
        ("latency-max", "longest delivery latency"),
        ("processed-ttl", "how long a processed-events row is kept"),
        ("outbox-ttl", "how long a published outbox row is kept"),
        ("window-grace", "how long an analytics window accepts late events after it ends"),
        ("analytics-report", "how often analytics reports its figures in the trace (off: never)"),
        ("step-timeout", "how long the orchestrator waits for a participant's answer"),
        ("compensation-timeout", "how long a compensation may take, retries included (off: no limit)"),
        ("saga-deadline", "how long an orchestrated saga may run before it is compensated"),
        ("key-expiry", "how long an idempotency record answers for its key"),
        ("key-in-progress-expiry", "how long an INPROGRESS idempotency record locks its key"),
        ("round-trip", "how long each recipe stage takes when deliveries run concurrently"),
    ]

    public func value(_ name: String) -> Millis? {
        switch name {
        case "publish-interval": return publishInterval
        case "redelivery-delay": return redeliveryDelay
        case "latency-min": return latencyMin
        case "latency-max": return latencyMax
        case "processed-ttl": return processedTTL
        case "outbox-ttl": return outboxTTL
        case "window-grace": return windowGrace
        case "analytics-report": return analyticsReport
        case "step-timeout": return stepTimeout
        case "compensation-timeout": return compensationTimeout
        case "saga-deadline": return sagaDeadline
        case "key-expiry": return keyExpiry
        case "key-in-progress-expiry": return keyInProgressExpiry
        case "round-trip": return roundTrip
        default: return nil
        }
    }
}

/// How many deliveries each consumer works on at once (`set concurrency`), one number per
/// service by `ServiceName.index`, stored in place rather than in an array: the settings
/// are read through a reference at every delivery, and a number stored in place is read
/// without retaining anything.
public struct ConsumerConcurrency: Hashable, Sendable {
    // In `ServiceName.allCases` order: orders, inventory, payment, rewards, analytics.
    private var first: Int8 = 1
    private var second: Int8 = 1
    private var third: Int8 = 1
    private var fourth: Int8 = 1
    private var fifth: Int8 = 1

    public init() {}

    public subscript(index: Int) -> Int {
        get {
            switch index {
            case 0: Int(first)
            case 1: Int(second)
            case 2: Int(third)
            case 3: Int(fourth)
            case 4: Int(fifth)
            default: preconditionFailure("no service at index \(index)")
            }
        }
        set {
            let value = Int8(newValue)
            switch index {
            case 0: first = value
            case 1: second = value
            case 2: third = value
            case 3: fourth = value
            case 4: fifth = value
            default: preconditionFailure("no service at index \(index)")
            }
        }
    }
}
