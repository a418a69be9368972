/// What the client of the orders API saw after `order`.
public enum OrderResponse: Hashable, Sendable {
    /// HTTP 201: the order, its saga state and (with the outbox on) its event were saved together.
    case created(orderId: OrderId, total: Int)
    /// The request failed and nothing was saved.
    case failed(status: Int, reason: String)
    /// The service crashed after committing: the client got no answer, yet the order exists.
    case noResponse(savedOrderId: OrderId)
    /// A live idempotency record answered: the response first stored for the key, replayed.
    case replayed(StoredOrderResponse, key: String)
    /// The idempotency record refused the request before the handler ran (409, 422).
    case refused(status: Int, reason: String)
}

extension World {
    /// The orders API's create-order endpoint (the EventBridge shop's `POST /orders`).
    ///
    /// One local transaction saves the order (PENDING), its saga state and, with the
    /// outbox on, its `order.created` row. With the outbox off the event is published
    /// straight to the bus after the commit: the dual write, with its gap. A partition cuts
    /// the service off the bus, not off its clients: orders are still taken.
    /// With `key`, the handler runs under an idempotency key (`createOrder(key:...)`).
    public mutating func placeOrder(customer: String, items: [OrderItem], key: String? = nil) -> OrderResponse {
        if key == nil {
            logRequest(customer: customer, items: items)
        } else {
            log(.api(.request(customer: customer, items: items, key: key)), .orders)
        }
        guard node(.orders).isUp else {
            log(.api(.refusedWhileDown), .orders)
            return .failed(status: 503, reason: "orders is down; nothing was saved")
        }
        if let key { return createOrder(key: key, customer: customer, items: items) }
        return createOrder(customer: customer, items: items)
    }

    /// The create-order handler itself, once the request has reached a running service.
    mutating func createOrder(customer: String, items: [OrderItem]) -> OrderResponse {
        if crashIfArmed(.orders, at: .beforeCommit) {
            log(.api(.rolledBack), .orders)
            return .failed(status: 500, reason: "orders crashed before commit; nothing was saved")
        }
        if injectedFailure(.orders) {
            log(.api(.failedByInjection), .orders)
            return .failed(status: 500, reason: "the create-order handler failed; nothing was saved")
        }
        let total = items.reduce(0) { $0 + (catalog.price(of: $1.product) ?? 0) * $1.quantity }
        let orderId = nextOrderId()
        let sagaId = nextSagaId()
        orders.add(Order(
            id: orderId, customer: customer, items: items, total: total, status: .pending,
            reason: nil, createdAt: now, settledAt: nil, sagaId: sagaId, mode: mode, flow: flow),
            saga: SagaState(sagaId: sagaId, orderId: orderId, at: now))
        var event = makeEvent(.orderCreated, orderId: orderId, customer: customer, items: items, amount: total)
        event.orchestrated = mode == .orchestration
        let viaOutbox = patterns.usesOutbox(.orders)
        if viaOutbox { updateNode(.orders) { $0.outbox.append(event) } }
        logCreated(order: orderId, saga: sagaId, total: total, outbox: viaOutbox ? EventRef(event) : nil, event: event.id)
        if crashIfArmed(.orders, at: .afterCommit, order: orderId) {
            if !viaOutbox {
                log(.message(.neverPublished(EventRef(event))), .orders, order: orderId, event: event.id)
            }
            return .noResponse(savedOrderId: orderId)
        }
        if !viaOutbox {
            guard !node(.orders).isPartitioned else {
                log(.api(.publishFailed(EventRef(event))), .orders, order: orderId, event: event.id)
                return .failed(status: 500, reason: "could not publish the event (yet \(orderId) was saved)")
            }
            publishToBus(event)
        }
        return .created(orderId: orderId, total: total)
    }

    mutating func makeEvent(
        _ type: EventType, orderId: OrderId, customer: String, items: [OrderItem], amount: Int, reason: String? = nil
    ) -> Event {
        keepDetails(OrderDetails(customer: customer, items: items), of: orderId)
        return Event(id: nextEventId(), type: type, orderId: orderId, amount: amount, reason: reason, createdAt: now)
    }

    mutating func makeEvent(_ type: EventType, after cause: Event, amount: Int? = nil, reason: String? = nil) -> Event {
        makeEvent(type, after: cause, amount: amount, why: reason.map(Reason.init))
    }

    mutating func makeEvent(_ type: EventType, after cause: Event, amount: Int? = nil, why: Reason?) -> Event {
        Event(id: nextEventId(), type: type, orderId: cause.orderId, amount: amount ?? cause.amount,
              why: why, createdAt: now, orchestrated: cause.orchestrated)
    }

    /// Keeps what the events of `orderId` carry, the first time one is made.
    mutating func keepDetails(_ details: OrderDetails, of orderId: OrderId) {
        guard orderId != .none, !orderDetails.holdsValue(orderId) else { return }
        orderDetails.set(orderId, to: details)
    }

    /// The customer and items `event` carries: those of its order.
    public func details(of event: Event) -> OrderDetails { orderDetails[event.orderId] }
}
