/// The designs in words, for `design` and the line it logs.
extension Design {
    /// What its preset sets, in one short line.
    public var settingsText: String {
        switch self {
        case .eventBridge: return "choreography, outbox, publishers own-process, check-then-act in inventory"
        case .boong: return "parallel fan-out, steps retried 3 times 1s apart, 5s step timeout"
        case .kafka: return "payment first, no outbox, no de-duplication, 30%/20% failures"
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
