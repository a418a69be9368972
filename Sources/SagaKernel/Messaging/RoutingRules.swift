/// What a consumer does with an event it subscribes to.
public enum Handler: String, Hashable, Sendable, HashedByCase {
    case reserveStock = "reserve stock"
    case releaseStock = "release stock"
    case markSold = "mark stock sold"
    case chargePayment = "charge payment"
    case refundPayment = "refund payment"
    case recordStep = "record saga step"
    case cancelOrder = "cancel order"
    case awardPoints = "award points"
    case revokePoints = "revoke points"
    case aggregate = "aggregate"
    case startSaga = "start saga"

    /// Which orders a handler serves: choreography steps react only to choreographed
    /// orders, the orchestrator only to orchestrated ones, observers to every order.
    public enum Role: String, Sendable {
        case choreography
        case orchestration
        case observer = "every order"
    }

    public var role: Role {
        switch self {
        case .reserveStock, .releaseStock, .chargePayment, .refundPayment, .recordStep, .cancelOrder: return .choreography
        case .startSaga: return .orchestration
        case .awardPoints, .revokePoints, .aggregate, .markSold: return .observer
        }
    }

    /// Whether this handler acts on an event of an orchestrated (or choreographed) order.
    public func serves(orchestrated: Bool) -> Bool {
        switch role {
        case .observer: return true
        case .orchestration: return orchestrated
        case .choreography: return !orchestrated
        }
    }

    /// Compensations undo an earlier step by meaning: release, refund, cancel, revoke.
    public var isCompensation: Bool {
        switch self {
        case .releaseStock, .refundPayment, .cancelOrder, .revokePoints: return true
        default: return false
        }
    }

    /// The handler a service would run for an event type, or nil when it has none.
    public static func of(_ service: ServiceName, for type: EventType) -> Handler? {
        switch (service, type) {
        case (.analytics, _): return .aggregate
        case (.inventory, .orderCreated), (.inventory, .paymentCompleted): return .reserveStock
        case (.inventory, .orderCancelled), (.inventory, .paymentFailed): return .releaseStock
        case (.inventory, .orderConfirmed): return .markSold
        case (.payment, .orderCreated), (.payment, .inventoryReserved): return .chargePayment
        case (.payment, .orderCancelled), (.payment, .inventoryReservationFailed): return .refundPayment
        case (.orders, .inventoryReserved), (.orders, .paymentCompleted): return .recordStep
        case (.orders, .inventoryReservationFailed), (.orders, .paymentFailed): return .cancelOrder
        case (.orders, .orderCreated): return .startSaga
        case (.rewards, .orderCreated), (.rewards, .orderConfirmed): return .awardPoints
        case (.rewards, .orderCancelled), (.rewards, .orderFailed): return .revokePoints
        default: return nil
        }
    }
}

/// One routing rule of the bus, like an EventBridge rule: events of `eventType` go to `target`.
/// A nil `eventType` matches every event (the analytics service's catch-all rule).
public struct Rule: Hashable, Sendable {
    public var eventType: EventType?
    public var target: ServiceName
    public var handler: Handler

    /// Whether this rule sends an event of `type` about an orchestrated (or choreographed) order to its target.
    public func matches(_ type: EventType, orchestrated: Bool) -> Bool {
        (eventType == nil || eventType == type) && handler.serves(orchestrated: orchestrated)
    }
}

/// The order in which the saga's participants act.
public enum Flow: String, CaseIterable, Sendable, HashedByCase {
    /// The EventBridge shop extended with payment: reserve stock, then charge, then confirm.
    case inventoryFirst = "inventory-first"
    /// The Kafka shop: charge first, then reserve; an inventory failure refunds the payment.
    case paymentFirst = "payment-first"
    /// The Boong saga: `order.created` goes to payment and inventory at once; a failure of
    /// one makes the other undo its part (payment failed: inventory releases; items not
    /// available: payment refunds) while orders cancels.
    case parallel

    /// The saga steps that must all succeed before the order is confirmed, in order.
    public var steps: [SagaStepName] {
        switch self {
        case .inventoryFirst: return [.inventoryReservation, .paymentProcessing]
        case .paymentFirst: return [.paymentProcessing, .inventoryReservation]
        case .parallel: return [.inventoryReservation, .paymentProcessing]
        }
    }

    /// The two rules that carry the saga forward and differ between the flows: who acts on
    /// `order.created`, and who acts on the first step's success.
    public var forwardRules: [Rule] {
        let pairs: [(EventType, ServiceName)]
        switch self {
        case .inventoryFirst: pairs = [(.orderCreated, .inventory), (.inventoryReserved, .payment)]
        case .paymentFirst: pairs = [(.orderCreated, .payment), (.paymentCompleted, .inventory)]
        case .parallel:
            pairs = [(.orderCreated, .inventory), (.orderCreated, .payment),
                     (.paymentFailed, .inventory), (.inventoryReservationFailed, .payment)]
        }
        return pairs.compactMap { type, target in
            Handler.of(target, for: type).map { Rule(eventType: type, target: target, handler: $0) }
        }
    }

    /// The bus's rules for this flow, with rewards wired to `order.created` as in the EventBridge shop.
    public var defaultRules: [Rule] {
        var pairs: [(EventType, ServiceName)] = []
        pairs += [
            (.inventoryReserved, .orders), (.inventoryReservationFailed, .orders),
            (.paymentCompleted, .orders), (.paymentFailed, .orders),
            (.orderCancelled, .inventory), (.orderCancelled, .payment),
            (.orderConfirmed, .inventory),
            (.orderCreated, .rewards),
            (.orderCreated, .orders),
        ]
        var rules = forwardRules
        for (type, target) in pairs {
            if let handler = Handler.of(target, for: type) {
                rules.append(Rule(eventType: type, target: target, handler: handler))
            }
        }
        rules.append(Rule(eventType: nil, target: .analytics, handler: .aggregate))
        return rules
    }
}
