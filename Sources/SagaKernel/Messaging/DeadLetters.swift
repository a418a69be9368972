/// A message a consumer gave up on. It waits in that service's dead-letter queue, on the
/// service's `World.Node`, until an operator fixes the cause and sends it back (`redrive`).
///
/// NServiceBus calls this place the error queue, MassTransit a queue named after the
/// consumer's own with `_error` appended. The lab keeps one per service.
public struct DeadLetter: Hashable, Sendable {
    /// What was given up on. Switch over it exhaustively: other kinds of message may join.
    public enum Message: Hashable, Sendable {
        /// An event delivery whose handler kept throwing, or could not read the payload at all.
        case delivery(Delivery)
        /// An orchestrated saga's step that must not be given up on (a compensation, or a
        /// step after the pivot) and ran out of retries: the orchestrator parks it in the
        /// orders dead-letter queue, and its execution waits for it.
        case sagaStep(executionId: ExecutionId, task: SagaTask, order: Event)
    }

    /// `dl-1`, `dl-2`, ...: unique across every service, in the order things were given up on.
    public var id: DeadLetterId
    public var service: ServiceName
    public var failedAt: Millis
    /// How many times the handler was tried before the message was given up on.
    public var attempts: Int
    public var error: String
    public var message: Message

    /// The id of the event inside.
    public var eventId: String {
        switch message {
        case .delivery(let delivery): return delivery.event.id.description
        case .sagaStep(let executionId, _, _): return executionId.description
        }
    }

    /// What kind of message it is, as `show dlq` prints it.
    public var typeName: String {
        switch message {
        case .delivery(let delivery): return delivery.event.type.rawValue
        case .sagaStep(_, let task, _): return task.rawValue
        }
    }

    /// The order the message is about (`-` for a malformed one).
    public var orderId: OrderId {
        switch message {
        case .delivery(let delivery): return delivery.event.orderId
        case .sagaStep(_, _, let order): return order.orderId
        }
    }
}

/// Technical failures injected into one consumer's handler (`fail SERVICE error ...`). The
/// handler throws inside its local transaction, so nothing commits and the delivery is not
/// acknowledged: a retry finds the world exactly as the failed attempt did.
public enum HandlerErrorMode: Hashable, Sendable {
    case off
    case next
    case always
    case percent(Int)

    public var description: String {
        switch self {
        case .off: return "off"
        case .next: return "next delivery"
        case .always: return "every delivery"
        case .percent(let p): return "\(p)% of deliveries"
        }
    }
}

/// How a consumer retries a delivery whose handler threw, with NServiceBus's defaults:
/// `immediate` retries straight away, then `delayed` retries where retry n waits
/// `delay` x n (or `delay` each time, with constant backoff: the Boong saga's
/// `retryDelay`), then the dead-letter queue.
public struct ConsumerRetryPolicy: Hashable, Sendable {
    /// How the wait grows from one delayed retry to the next.
    public enum Backoff: String, CaseIterable, Sendable {
        case linear, constant
    }

    public var immediate = 5
    public var delayed = 3
    public var delay: Millis = 10 * VirtualTime.second
    public var backoff = Backoff.linear

    public static let immediateRange = 0...20
    public static let delayedRange = 0...20
    public static let delayRange: ClosedRange<Millis> = 1...VirtualTime.day

    public init() {}

    /// How long delayed retry `n` (from 1) waits after the failure before it.
    public func wait(beforeDelayed n: Int) -> Millis { backoff == .constant ? delay : delay * n }

    /// How long the delayed retries up to retry `n` have waited in all.
    public func waited(throughDelayed n: Int) -> Millis { (0..<max(0, n)).reduce(0) { $0 + wait(beforeDelayed: $1 + 1) } }

    /// The policy as `retry consumers` takes it: `immediate=5 delayed=3 delay=10s`.
    public var arguments: String {
        "immediate=\(immediate) delayed=\(delayed) delay=\(VirtualTime.duration(delay))"
            + (backoff == .linear ? "" : " backoff=\(backoff.rawValue)")
    }

    /// The policy in words.
    public var summary: String {
        guard immediate > 0 || delayed > 0 else { return "no retries: the first failure goes to the dead-letter queue" }
        var parts: [String] = []
        if immediate > 0 { parts.append("\(immediate) immediate retr\(immediate == 1 ? "y" : "ies")") }
        if delayed > 0, backoff == .constant {
            parts.append("\(delayed) delayed retr\(delayed == 1 ? "y" : "ies") \(VirtualTime.duration(delay)) apart")
        } else if delayed > 0 {
            let waits = (1...delayed).map { VirtualTime.duration(wait(beforeDelayed: $0)) }
            let list = waits.count == 1 ? waits[0] : waits.dropLast().joined(separator: ", ") + " and " + waits[waits.count - 1]
            parts.append("\(delayed) delayed retr\(delayed == 1 ? "y" : "ies") after \(list)")
        }
        return parts.joined(separator: ", then ") + ", then the dead-letter queue"
    }
}

/// A change `retry` makes to one retry policy. The first word after `retry` names the
/// policy; the `key=value` words after it change it.
public enum RetryChange: Hashable, Sendable {
    /// `retry consumers [immediate=N] [delayed=N] [delay=DURATION] [backoff=linear|constant]`;
    /// nil keeps a value.
    case consumers(immediate: Int?, delayed: Int?, delay: Millis?, backoff: ConsumerRetryPolicy.Backoff? = nil)
    /// `retry STEP|steps [interval=D] [attempts=N] [backoff=X] [max-delay=D|none] [jitter=full|none]`:
    /// an orchestrated saga step's policy (nil step: every step); nil keeps a value, and a
    /// max delay of 0 removes the cap.
    case steps(SagaTask?, interval: Millis?, attempts: Int?, backoff: Double?, maxDelay: Millis?, jitter: RetryPolicy.Jitter?)

    /// The word that names the policy.
    public var target: String {
        switch self {
        case .consumers: return "consumers"
        case .steps(let step, _, _, _, _, _): return step?.rawValue ?? "steps"
        }
    }

    /// True when no value is given: the command only shows the policy.
    public var isEmpty: Bool {
        switch self {
        case .consumers(let immediate, let delayed, let delay, let backoff):
            return immediate == nil && delayed == nil && delay == nil && backoff == nil
        case .steps(_, let interval, let attempts, let backoff, let maxDelay, let jitter):
            return interval == nil && attempts == nil && backoff == nil && maxDelay == nil && jitter == nil
        }
    }
}

/// Why a delivery is on its way again, when a retry or a redrive sent it rather than the bus.
public enum RetryCause: Hashable, Sendable {
    case immediate(Int32)
    case delayed(Int32)
    /// An operator sent it back from a dead-letter queue; the payload is the dead letter's id.
    case redrive(DeadLetterId)

    /// How the delivery's trace line names it.
    public var label: String {
        switch self {
        case .immediate(let n): return "immediate retry \(n)"
        case .delayed(let n): return "delayed retry \(n)"
        case .redrive(let id): return "redriven from \(id)"
        }
    }
}

extension Event {
    /// The order id a malformed event carries: there is no order to read from it.
    public static let noOrder = OrderId.none
    /// The customer a malformed event carries: none.
    public static let noCustomer = "-"
}

/// Handler errors, consumer retries, poison messages and the dead-letter queues.
extension World {
    /// What a failing handler throws.
    public static let handlerErrorText = "database timeout"
    /// What a handler's send straight to the bus throws while its service is cut off.
    public static let busUnreachableText = "the bus is unreachable"
    /// Why a malformed message is dead-lettered.
    public static let malformedText = "cannot deserialize: malformed payload"

    /// Whether `service`'s handler throws a technical error this time, as `fail SERVICE error`
    /// set it: `next` strikes once, a percentage draws from the seeded generator.
    @inline(__always)
    public mutating func handlerFails(_ service: ServiceName) -> Bool {
        switch node(service).handlerError {
        case .off: return false
        case .always: return true
        case .next:
            updateNode(service) { $0.handlerError = .off }
            return true
        case .percent(let p): return rng.chance(percent: p)
        }
    }

    /// Arms (or with `.off` disarms) technical errors in `service`'s handler.
    public mutating func setHandlerError(_ service: ServiceName, _ mode: HandlerErrorMode) {
        updateNode(service) { $0.handlerError = mode }
        log(.message(.handlerErrors(service, mode)), nil)
    }

    /// Applies the values a `retry` command gives; the policy's other values stay as they were.
    public mutating func changeRetries(_ change: RetryChange) {
        switch change {
        case .consumers(let immediate, let delayed, let delay, let backoff):
            var policy = settings.consumerRetries
            if let immediate { policy.immediate = immediate }
            if let delayed { policy.delayed = delayed }
            if let delay { policy.delay = delay }
            if let backoff { policy.backoff = backoff }
            settings.consumerRetries = policy
            log(.message(.consumerRetries(policy)), nil)
        case .steps(let step, let interval, let attempts, let backoff, let maxDelay, let jitter):
            for task in step.map({ [$0] }) ?? SagaTask.steps {
                var policy = retryPolicies[task] ?? RetryPolicy()
                if let interval { policy.interval = interval }
                if let attempts { policy.maxAttempts = attempts }
                if let backoff { policy.backoffRate = backoff }
                if let maxDelay { policy.maxDelay = maxDelay == 0 ? nil : maxDelay }
                if let jitter { policy.jitter = jitter }
                retryPolicies[task] = policy
                log(.message(.stepRetries(task, policy)), nil)
            }
        }
    }

    /// The handler threw, inside its transaction (nothing committed; `rolledBack`) or in a
    /// send after it, and the delivery was not acknowledged. Retry it at once, retry it
    /// later, or give up and dead-letter it.
    mutating func handlerThrew(_ delivery: Delivery, error: String, rolledBack: Bool = true) {
        let policy = settings.consumerRetries
        let event = delivery.event
        var next = delivery
        next.attempt += 1
        if delivery.immediateRetries < policy.immediate {
            next.immediateRetries += 1
            next.retry = .immediate(Int32(truncatingIfNeeded: next.immediateRetries))
            agenda.schedule(.deliver(next), at: now)
            log(.message(.immediateRetry(error: error, rolledBack: rolledBack, eventId: event.id, retry: next.immediateRetries, of: policy.immediate)),
                delivery.target, order: event.orderId, event: event.id)
        } else if delivery.handler.isCompensation, settings.compensationTimeout > 0,
                  delivery.delayedRetries < policy.delayed,
                  policy.waited(throughDelayed: delivery.delayedRetries + 1) > settings.compensationTimeout {
            deadLetter(delivery, error: error,
                       because: .compensationTimedOut(error: error, after: policy.waited(throughDelayed: delivery.delayedRetries)))
        } else if delivery.delayedRetries < policy.delayed {
            next.delayedRetries += 1
            next.retry = .delayed(Int32(truncatingIfNeeded: next.delayedRetries))
            let wait = policy.wait(beforeDelayed: next.delayedRetries)
            agenda.schedule(.deliver(next), at: now + wait)
            log(.message(.delayedRetry(error: error, rolledBack: rolledBack, eventId: event.id, retry: next.delayedRetries, of: policy.delayed,
                                       wait: wait, at: now + wait)),
                delivery.target, order: event.orderId, event: event.id)
        } else {
            deadLetter(delivery, error: error, because: .outOfRetries(error: error, attempts: delivery.attempt))
        }
    }

    /// Puts a delivery in its consumer's dead-letter queue.
    mutating func deadLetter(_ delivery: Delivery, error: String, because why: MessageHappening.DeadLetterReason) {
        let id = nextDeadLetterId()
        let letter = DeadLetter(id: id, service: delivery.target, failedAt: now, attempts: delivery.attempt,
                                error: error, message: .delivery(delivery))
        updateNode(delivery.target) { $0.deadLetters.append(letter) }
        log(.message(.deadLettered(eventId: delivery.event.id, letter: id, why: why)), delivery.target,
            order: delivery.event.orderId, event: delivery.event.id)
    }

    /// A poison message: an event of `type` whose payload no subscriber can read, published
    /// by the type's source service (as a faulty release of it would) with a fresh id.
    public mutating func injectPoison(_ type: EventType) throws {
        let source = type.source
        guard node(source).isReachable else {
            let (state, fix) = node(source).isUp ? ("partitioned", "heal") : ("down", "restart \(source.rawValue)")
            throw WorldError("\(source.rawValue) is \(state), so it cannot publish \(type.rawValue); `\(fix)` first")
        }
        let event = Event(id: nextEventId(), type: type, orderId: Event.noOrder, amount: 0, reason: nil, createdAt: now,
                          isMalformed: true)
        log(.message(.poisonWritten(EventRef(event))), source, order: event.orderId, event: event.id)
        publishToBus(event, via: .lab)
    }

    /// Sends `service`'s dead letters (all, or the one with `id`) back to its queue with a
    /// fresh attempt count. If the cause is not fixed they fail again.
    public mutating func redrive(_ service: ServiceName, id named: String?) throws {
        let letters = node(service).deadLetters
        let name = service.rawValue
        var chosen = letters
        if let named {
            let id = DeadLetterId(parsing: named)
            if let letter = letters.first(where: { $0.id == id }) {
                chosen = [letter]
            } else if let owner = ServiceName.allCases.first(where: { s in node(s).deadLetters.contains { $0.id == id } }) {
                throw WorldError("\(named) waits in the \(owner.rawValue) dead-letter queue, not the \(name) one; `redrive \(owner.rawValue) \(named)` sends it back")
            } else if !letters.isEmpty {
                let ids = letters.map(\.id.description)
                let hint = Suggest.hint(named, in: ids)
                throw WorldError("no dead letter \(quoted(named)) at \(name)" + (hint.isEmpty ? "; it holds \(ids.joined(separator: ", "))" : hint))
            }
        }
        guard !chosen.isEmpty else {
            let others = ServiceName.allCases.filter { !node($0).deadLetters.isEmpty }.map(\.rawValue)
            let elsewhere = others.isEmpty ? "no service has dead letters" : "dead letters wait at " + others.joined(separator: ", ")
            throw WorldError("the \(name) dead-letter queue is empty; \(elsewhere)")
        }
        if chosen.contains(where: { if case .sagaStep = $0.message { return true } else { return false } }), !node(.orders).isUp {
            throw WorldError("orders is down, so its orchestrator cannot take the step back; `restart orders` first")
        }
        let ids = Set(chosen.map(\.id))
        updateNode(service) { $0.deadLetters.removeAll { ids.contains($0.id) } }
        for letter in chosen {
            switch letter.message {
            case .delivery(let delivery):
                var fresh = delivery
                fresh.attempt = 1
                fresh.immediateRetries = 0
                fresh.delayedRetries = 0
                fresh.retry = .redrive(letter.id)
                agenda.schedule(.deliver(fresh), at: now + latency())
                log(.message(.redriven(letter: letter.id, typeName: letter.typeName, eventId: delivery.event.id, queue: service)), service,
                    order: letter.orderId, event: delivery.event.id)
            case .sagaStep(let executionId, let task, let order):
                log(.message(.redrivenStep(letter: letter.id, execution: executionId, task: task, order: order.orderId)), service,
                    order: order.orderId)
                retryDeadLetteredStep(executionId)
            }
        }
    }

    /// Every dead letter of every service, oldest first.
    public var deadLetters: [DeadLetter] {
        ServiceName.allCases.flatMap { node($0).deadLetters }.sorted { $0.id < $1.id }
    }

    /// The oldest dead letter about an order, if its progress is stuck in a dead-letter queue.
    func deadLetter(aboutOrder orderId: OrderId) -> DeadLetter? {
        deadLetters.first { $0.orderId == orderId }
    }

    /// What `run` and `step` add when they stop while dead letters wait: they are not work the
    /// world will do by itself.
    var deadLetterNote: String {
        let n = ServiceName.allCases.reduce(0) { $0 + node($1).deadLetters.count }
        guard n > 0 else { return "" }
        return "; \(n) dead letter\(n == 1 ? " waits" : "s wait") (`show dlq`)"
    }
}
