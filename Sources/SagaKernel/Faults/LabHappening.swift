/// What the learner's changes to the lab record in the trace: patterns, wiring,
/// settings and injected failures.
public enum LabHappening: Hashable, Sendable {
    /// `set NAME DURATION` changed a setting.
    case setting(name: String, value: Millis)
    /// `crash SERVICE at POINT`: a crash armed at a crash point.
    case armedCrash(CrashPoint)
    /// A message fault armed for the next message (of a type, or any) published.
    case armedMessageFault(MessageFaultKind, MessageSelector)
    /// A message fault armed for an event that is not on the bus yet.
    case armedUntilPublished(MessageFaultKind, eventId: EventId)
    /// `fail SERVICE ...` changed a service's injected business failures.
    case failures(FailingService, FailureMode)
    /// `stock PRODUCT N`: the product's available stock, and what it was before.
    case stockSet(product: String, quantity: Int, was: Int)
    /// `product`: a product added (no old price) or repriced, in cents.
    case product(String, price: Int, was: Int?)
    /// `design`: the world now follows a reference design.
    case design(Design)
    /// `restarts auto|manual`: whether a crashed service starts again by itself.
    case restarts(auto: Bool)
    /// `rollback`: what a failure after the pivot does in new executions.
    case rollback(Rollback)
    /// `pattern outbox on|off SERVICE...`.
    case outbox(on: Bool, services: [ServiceName])
    /// `pattern idempotency MODE SERVICE...`.
    case idempotency(IdempotencyMode, services: [ServiceName])
    /// `recipe SERVICE [EVENT-TYPE] ...`: how a consumer handles (one type of) its deliveries.
    case recipe(ServiceName, EventType?, Recipe)
    /// `set concurrency SERVICE N`: how many deliveries a consumer works on at once.
    case concurrency(ServiceName, Int)
    /// `flow FLOW`: the routing rules rewired for the flow.
    case flow(Flow)
    /// `subscribe SERVICE EVENT`: a routing rule added, with the handler it calls.
    case ruleAdded(EventType, ServiceName, Handler)
    /// `unsubscribe SERVICE EVENT`: a routing rule removed.
    case ruleRemoved(EventType, ServiceName)
    /// `mode MODE`: how new orders' sagas run.
    case mode(SagaMode)
    /// `pattern durable-timers on|off`.
    case durableTimers(on: Bool)
    /// `slow SERVICE DURATION`: the extra time the service takes to answer; 0 for none.
    case slowness(ServiceName, extra: Millis)
    /// `pattern key-validation on|off`: the orders API's check of a key's payload.
    case keyValidation(on: Bool)
    /// `pattern fence on|off`: inventory's and payment's fence logs.
    case fence(on: Bool)
    /// `rebuild SERVICE`: a projection replayed from the event store, and how it compares.
    case rebuilt(World.Rebuild)
    /// `publishers in-service|own-process`: where the outbox publishers run.
    case publishers(PublisherDeployment)

    public var kind: TraceEntry.Kind {
        switch self {
        case .stockSet, .product, .rebuilt: return .commit
        case .setting, .restarts, .armedCrash, .armedMessageFault, .armedUntilPublished, .failures, .outbox, .idempotency,
             .recipe, .concurrency, .flow, .ruleAdded, .ruleRemoved, .mode, .durableTimers, .slowness, .keyValidation, .fence, .design, .rollback, .publishers:
            return .note
        }
    }
}
