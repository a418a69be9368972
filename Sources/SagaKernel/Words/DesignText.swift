/// The designs in words, for `design` and the line it logs.
extension Design {
    /// What its preset sets, in one short line.
    public var settingsText: String {
        switch self {
        case .eventBridge: return "choreography, outbox, own-process publishers, restarts auto, check-then-act in inventory"
        case .boong: return "parallel fan-out, 3 retries 1s apart, compensations time out after 5s"
        case .kafka: return "payment first, no outbox or de-duplication, 30%/20% failures, 10s report"
        case .stepFunctions: return "orchestration, any failing step rolls back, laptop and monitor"
        }
    }

    /// Where it comes from, for `design`'s list.
    public var summary: String {
        switch self {
        case .eventBridge: return "Lambda, DynamoDB and EventBridge; an outbox and a scheduled publisher"
        case .boong: return "a framework's declared saga with compensations, steps retried 3 times"
        case .kafka: return "Kafka choreography: charge, then reserve; streaming analytics"
        case .stepFunctions: return "a Step Functions state machine; API idempotency keys"
        }
    }
}
