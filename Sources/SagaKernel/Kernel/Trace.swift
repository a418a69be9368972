/// One thing that happened in the world, with its virtual time and the lane it belongs to.
///
/// The trace is the single record behind `step`/`run` output, `log` and the sequence
/// diagram of `trace`: what the learner reads is exactly what the world did.
public struct TraceEntry: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A client request reached the orders API.
        case request
        /// A service committed a local transaction.
        case commit
        /// A publisher (or a service with the outbox off) put an event on the bus.
        case publish
        /// The bus handed an event to a consumer: an arrow from `from` to `service`.
        case deliver
        /// A consumer recognised an event it had already processed.
        case skip
        /// A compensating transaction committed.
        case compensate
        case crash
        case restart
        /// The bus duplicated, dropped or delayed a message, or a partition changed.
        case fault
        /// A delivery waits because its consumer is down or cut off.
        case park
        /// An unacknowledged delivery will be tried again.
        case redeliver
        /// A consumer gave up on a message and moved it to its dead-letter queue.
        case deadLetter
        /// An invariant broke.
        case invariant
        case note
    }

    // Laid out to fill 48 bytes with no padding, as a million orders leave 25 million
    // entries: `what` takes 25 bytes (its cases keep at most 24 inline, larger ones are
    // indirect), the one-byte fields fill its word, the ids are stored as bare numbers
    // (an optional one would take 5 bytes and its alignment), and the time ends it.
    /// What happened, as data. Views render it (`text`) only when it is shown.
    public var what: Happening
    public var service: ServiceName?
    public var from: ServiceName?
    /// The service's outbox publisher did it, as a process of its own (`publishers
    /// own-process`); its line names the process: `orders-publisher`.
    public var byPublisher = false
    /// The order's number, `TraceEntry.noId` for none (number 0 is an id: `-`).
    private var orderNumber: Int32
    /// The event's number, `TraceEntry.noId` for none.
    private var eventNumber: Int32
    public var time: Millis

    private static let noId = Int32.min

    public var orderId: OrderId? {
        get { orderNumber == TraceEntry.noId ? nil : OrderId(number: orderNumber) }
        set { orderNumber = newValue?.number ?? TraceEntry.noId }
    }

    public var eventId: EventId? {
        get { eventNumber == TraceEntry.noId ? nil : EventId(number: eventNumber) }
        set { eventNumber = newValue?.number ?? TraceEntry.noId }
    }

    public var kind: Kind { what.kind }

    public init(
        time: Millis, service: ServiceName?, from: ServiceName? = nil, byPublisher: Bool = false,
        orderId: OrderId? = nil, eventId: EventId? = nil, what: Happening
    ) {
        self.time = time
        self.service = service
        self.from = from
        self.byPublisher = byPublisher
        self.orderNumber = orderId?.number ?? TraceEntry.noId
        self.eventNumber = eventId?.number ?? TraceEntry.noId
        self.what = what
    }

    /// The process a log line names: `orders`, `orders-publisher`, or nil for the lab and the bus.
    public var lane: String? {
        guard let service else { return nil }
        return byPublisher ? service.publisherName : service.rawValue
    }
}

/// What happened, by the part of the world it happened in. Each part declares its own
/// cases beside the code that records them, with the trace kind each belongs to; the
/// views turn them into the lines a learner reads.
public enum Happening: Hashable, Sendable {
    /// The orders API and its idempotency keys.
    case api(APIHappening)
    /// The bus, the outbox publishers, the consumers, their retries and dead letters.
    case message(MessageHappening)
    /// A participant's business step or a consumer's handler committed (or declined), with
    /// the event its transaction wrote to the outbox. A compensation that changed
    /// something is traced as a compensation.
    case step(StepResult, compensated: Bool = false, outbox: EventRef? = nil)
    /// The orchestrator and the participants' answers to its calls.
    indirect case saga(SagaHappening)
    /// Crashes, restarts, partitions and tampered messages.
    case fault(FaultHappening)
    /// The learner changed the lab: patterns, wiring, settings, injected failures.
    indirect case lab(LabHappening)
    /// An invariant broke: its title and the first piece of evidence.
    indirect case invariantBroken(title: String, evidence: String)
    /// A line another process recorded, already in words: the bridge's workers write their
    /// happenings to a PostgreSQL table as kind and text, and the lab reads them back.
    indirect case recorded(TraceEntry.Kind, text: String)

    public var kind: TraceEntry.Kind {
        switch self {
        case .api(let h): return h.kind
        case .message(let h): return h.kind
        case .step(_, let compensated, _): return compensated ? .compensate : .commit
        case .saga(let h): return h.kind
        case .fault(let h): return h.kind
        case .lab(let h): return h.kind
        case .invariantBroken: return .invariant
        case .recorded(let kind, _): return kind
        }
    }
}

/// One copy of an event on its way to one consumer.
public struct Delivery: Hashable, Sendable, DigestRow {
    // Stored widest first, the counts in four bytes each, so that a delivery takes 56
    // bytes, not 64: the agenda holds one in every item the bus has in flight, and a
    // publisher's poll after a range of a million orders puts three million there at once.
    public var event: Event
    private var attempts: Int32
    private var immediate: Int32
    private var delayed: Int32
    /// Set when a retry or a redrive, not the bus, sent this copy.
    public var retry: RetryCause?
    public var target: ServiceName
    public var handler: Handler
    /// True for a copy the bus made (`duplicate`).
    public var isCopy: Bool

    public init(event: Event, target: ServiceName, handler: Handler, attempt: Int, isCopy: Bool,
                immediateRetries: Int = 0, delayedRetries: Int = 0, retry: RetryCause? = nil) {
        self.event = event
        attempts = Int32(clamping: attempt)
        immediate = Int32(clamping: immediateRetries)
        delayed = Int32(clamping: delayedRetries)
        self.retry = retry
        self.target = target
        self.handler = handler
        self.isCopy = isCopy
    }

    /// 1 for the first try; redeliveries count up.
    public var attempt: Int {
        get { Int(attempts) }
        set { attempts = Int32(clamping: newValue) }
    }

    /// Retries spent after handler errors: the immediate ones, then the delayed ones.
    public var immediateRetries: Int {
        get { Int(immediate) }
        set { immediate = Int32(clamping: newValue) }
    }

    public var delayedRetries: Int {
        get { Int(delayed) }
        set { delayed = Int32(clamping: newValue) }
    }

    /// Hashes the event and then the rest packed into two words: the explorer hashes every
    /// delivery in flight in each state it visits.
    public func hash(into hasher: inout Hasher) { digest(into: &hasher) }

    func digest<H: WordHasher>(into hasher: inout H) {
        event.digest(into: &hasher)
        hasher.combineWord(UInt64(truncatingIfNeeded: attempt) & 0xF_FFFF
            | (UInt64(truncatingIfNeeded: immediateRetries) & 0xF_FFFF) << 20
            | UInt64(truncatingIfNeeded: delayedRetries) << 40)
        let retried: UInt64 = switch retry {
        case nil: 0
        case .immediate(let n): 1 | UInt64(truncatingIfNeeded: n) << 2
        case .delayed(let n): 2 | UInt64(truncatingIfNeeded: n) << 2
        case .redrive(let letter): 3 | UInt64(UInt32(bitPattern: letter.number)) << 2
        }
        hasher.combineWord(UInt64(target.tag) | UInt64(handler.tag) << 8 | (isCopy ? 0x1_0000 : 0) | retried << 17)
    }
}
