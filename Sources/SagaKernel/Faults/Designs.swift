/// The four reference designs the lab teaches from, as presets: `design NAME` puts the
/// world's wiring, patterns, failure rates, retry policies, settings and products where
/// the design's own document has them. Orders already placed keep their mode and flow.
public enum Design: String, CaseIterable, Sendable {
    case eventBridge = "eventbridge"
    case boong
    case kafka
    case stepFunctions = "step-functions"

    /// The name learners see.
    public var name: String {
        switch self {
        case .eventBridge: return "the EventBridge shop"
        case .boong: return "the Boong saga"
        case .kafka: return "the Kafka shop"
        case .stepFunctions: return "the Step Functions shop"
        }
    }

    /// The products its documents order that the lab does not start with, in cents.
    var products: [(id: String, price: Int)] {
        self == .stepFunctions ? [("laptop", 129_999), ("monitor", 34_999)] : []
    }
}

extension World {
    /// What a design preset sets, and nothing else: two worlds with equal configurations
    /// follow the same design whatever their orders.
    public struct Configuration: Equatable, Sendable {
        var settings: Settings
        var patterns: Patterns
        var flow: Flow
        var mode: SagaMode
        var rules: [Rule]
        var failures: FailureTable
        var retryPolicies: [RetryPolicy]
        var rollback: Rollback
        var slowness: [ServiceName: Millis]
        var products: [String]
        var publishers: PublisherDeployment
    }

    func configuration(for design: Design) -> Configuration {
        Configuration(settings: settings, patterns: patterns, flow: flow, mode: mode, rules: rules, failures: failures,
                      retryPolicies: SagaTask.steps.map(retryPolicy), rollback: rollback, slowness: slowness,
                      products: design.products.map(\.id).filter { catalog.price(of: $0) != nil }, publishers: publishers)
    }

    /// Whether this world is configured as `design` says.
    public func follows(_ design: Design) -> Bool {
        var preset = self
        preset.adopt(design)
        return configuration(for: design) == preset.configuration(for: design)
    }

    /// `design NAME`: every setting, pattern, rule, failure rate, retry policy and where
    /// the publishers run set as the design has them (the lab's defaults for whatever it
    /// does not say), and its products added. One line records it. A publisher that moves
    /// back into its service runs when the service does (`deploymentProblem` says when
    /// that would start or stop one, for the session to refuse first).
    public mutating func adopt(_ design: Design) {
        let before = trace.count
        let old = settings
        settings = Settings()
        patterns = Patterns()
        failures = [:]
        retryPolicies = [:]
        slowness = [:]
        rollback = .pivot
        mode = .choreography
        flow = .inventoryFirst
        var deployment = PublisherDeployment.inService
        switch design {
        case .eventBridge:
            // Its handler checks, reserves, publishes and marks in separate writes.
            setIdempotency(.checkThenAct, for: [.inventory])
            // Its publisher is a scheduled function of its own, not part of the orders API,
            // and a Lambda that crashes loses only its invocation: the next one starts fresh.
            deployment = .ownProcess
            settings.restartsAtOnce = true
        case .boong:
            // Its broker fans order.created out to payment and inventory at once.
            // retryAttempts 3, retryDelay 1000 ms, compensationTimeout 5000 ms.
            flow = .parallel
            var policy = RetryPolicy()
            policy.backoffRate = 1.0
            for step in SagaTask.steps { retryPolicies[step] = policy }
            settings.consumerRetries.immediate = 0
            settings.consumerRetries.delayed = 3
            settings.consumerRetries.delay = VirtualTime.second
            settings.consumerRetries.backoff = .constant
            settings.compensationTimeout = 5 * VirtualTime.second
        case .kafka:
            flow = .paymentFirst
            setOutbox(false, for: ServiceName.publishers)
            setIdempotency(.off, for: ServiceName.allCases)
            failures[.payment] = .percent(30)
            failures[.inventory] = .percent(20)
            settings.analyticsReport = 10 * VirtualTime.second
        case .stepFunctions:
            mode = .orchestration
            rollback = .anyStep
        }
        deployPublishers(deployment)
        rules = flow.defaultRules
        if settings.publishInterval != old.publishInterval { reschedulePolls() }
        if settings.analyticsReport != old.analyticsReport { rescheduleAnalyticsReport() }
        for product in design.products where catalog.price(of: product.id) == nil {
            _ = catalog.set(product.id, price: product.price)
            _ = inventory.setStock(product.id, ProductCatalog.defaultStock)
        }
        trace.removeLast(trace.count - before)
        log(.lab(.design(design)), nil)
    }
}
