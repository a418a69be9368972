/// Every service's tables as plain rows, read from a store outside the simulation.
///
/// The bridge runs the saga on a real PostgreSQL; to judge it, it reads each service's
/// database into these rows, and `World(stored:)` turns them into the very values the
/// simulation keeps, so `check`, `show` and the trace views run the same code on both.
public struct StoredRows: Sendable {
    public struct EventRow: Sendable {
        public var id: Int32
        public var type: EventType
        public var order: Int32
        public var customer: String
        public var items: [OrderItem]
        public var amount: Int
        public var reason: String?
        public var createdAt: Millis

        public init(id: Int32, type: EventType, order: Int32, customer: String, items: [OrderItem], amount: Int,
                    reason: String?, createdAt: Millis) {
            self.id = id
            self.type = type
            self.order = order
            self.customer = customer
            self.items = items
            self.amount = amount
            self.reason = reason
            self.createdAt = createdAt
        }

        var event: Event {
            Event(id: EventId(number: id), type: type, orderId: OrderId(number: order), amount: amount, reason: reason,
                  createdAt: createdAt)
        }

        /// What the event carries about its order.
        var details: OrderDetails { OrderDetails(customer: customer, items: items) }
    }

    public struct OrderRow: Sendable {
        public var id: Int32
        public var customer: String
        public var items: [OrderItem]
        public var total: Int
        public var status: Order.Status
        public var reason: String?
        public var createdAt: Millis
        public var settledAt: Millis?

        public init(id: Int32, customer: String, items: [OrderItem], total: Int, status: Order.Status, reason: String?,
                    createdAt: Millis, settledAt: Millis?) {
            self.id = id
            self.customer = customer
            self.items = items
            self.total = total
            self.status = status
            self.reason = reason
            self.createdAt = createdAt
            self.settledAt = settledAt
        }
    }

    /// One order's saga state and the records of its steps, oldest first.
    public struct SagaRow: Sendable {
        public var order: Int32
        public var current: SagaStep
        public var steps: [SagaState.StepRecord]
        public var compensationReason: String?

        public init(order: Int32, current: SagaStep, steps: [SagaState.StepRecord], compensationReason: String?) {
            self.order = order
            self.current = current
            self.steps = steps
            self.compensationReason = compensationReason
        }
    }

    public struct StockRow: Sendable {
        public var product: String
        public var available: Int
        public var supplied: Int
        public init(product: String, available: Int, supplied: Int) {
            self.product = product
            self.available = available
            self.supplied = supplied
        }
    }

    public struct ReservationRow: Sendable {
        public var order: Int32
        public var items: [OrderItem]
        public var event: Int32
        public var at: Millis
        public var sold: Bool
        public init(order: Int32, items: [OrderItem], event: Int32, at: Millis, sold: Bool) {
            self.order = order
            self.items = items
            self.event = event
            self.at = at
            self.sold = sold
        }
    }

    public struct ChargeRow: Sendable {
        public var id: Int32
        public var order: Int32
        public var customer: String
        public var amount: Int
        public var refunded: Bool
        public var at: Millis
        public init(id: Int32, order: Int32, customer: String, amount: Int, refunded: Bool, at: Millis) {
            self.id = id
            self.order = order
            self.customer = customer
            self.amount = amount
            self.refunded = refunded
            self.at = at
        }
    }

    public struct LedgerRow: Sendable {
        public var order: Int32
        public var customer: String
        public var points: Int
        public var event: Int32
        public var at: Millis
        public init(order: Int32, customer: String, points: Int, event: Int32, at: Millis) {
            self.order = order
            self.customer = customer
            self.points = points
            self.event = event
            self.at = at
        }
    }

    public struct OutboxRow: Sendable {
        public var event: EventRow
        /// When the row was marked published; nil while it waits.
        public var publishedAt: Millis?
        /// How often the publisher handed it to the bus.
        public var publishCount: Int
        public init(event: EventRow, publishedAt: Millis?, publishCount: Int) {
            self.event = event
            self.publishedAt = publishedAt
            self.publishCount = publishCount
        }
    }

    /// A mark in a consumer's processed-events table.
    public struct ProcessedRow: Sendable {
        public var service: ServiceName
        public var event: Int32
        public var type: EventType
        public var order: Int32
        public var at: Millis
        public init(service: ServiceName, event: Int32, type: EventType, order: Int32, at: Millis) {
            self.service = service
            self.event = event
            self.type = type
            self.order = order
            self.at = at
        }
    }

    /// A delivery still in a consumer's queue: in flight, waiting or being handled.
    public struct DeliveryRow: Sendable {
        public var target: ServiceName
        public var event: EventRow
        public var handler: Handler
        public var attempt: Int
        public var isCopy: Bool
        public init(target: ServiceName, event: EventRow, handler: Handler, attempt: Int, isCopy: Bool) {
            self.target = target
            self.event = event
            self.handler = handler
            self.attempt = attempt
            self.isCopy = isCopy
        }
    }

    public var now: Millis = 0
    public var orders: [OrderRow] = []
    public var sagas: [SagaRow] = []
    public var stock: [StockRow] = []
    public var reservations: [ReservationRow] = []
    public var charges: [ChargeRow] = []
    public var ledger: [LedgerRow] = []
    public var analytics = AnalyticsDB()
    public var outboxes: [OutboxRow] = []
    public var processed: [ProcessedRow] = []
    public var inFlight: [DeliveryRow] = []
    /// The lab's count: one entry per change of business state a consumer made for an event.
    public var applications: [(service: ServiceName, event: Int32)] = []
    public var down: [ServiceName] = []
    public var publishersDown: [ServiceName] = []
    public var partitioned: [ServiceName] = []
    public var trace: [TraceEntry] = []

    public init() {}
}

extension World {
    /// The world whose databases hold exactly `stored`'s rows: what the simulation would
    /// keep had it done what the rows record. Deliveries still queued are in flight, so the
    /// eventual invariants wait for them as they do in the simulation; those for a consumer
    /// that is down or partitioned are parked.
    public init(stored: StoredRows) {
        self.init(seed: 1)
        now = stored.now
        for row in stored.orders {
            let id = OrderId(number: row.id)
            let order = Order(id: id, customer: row.customer, items: row.items, total: row.total, status: row.status,
                              reason: row.reason, createdAt: row.createdAt, settledAt: row.settledAt,
                              sagaId: SagaId(number: row.id))
            var saga = SagaState(sagaId: SagaId(number: row.id), orderId: id, at: row.createdAt)
            if let stored = stored.sagas.first(where: { $0.order == row.id }) {
                saga.currentStep = stored.current
                saga.steps = stored.steps
                saga.compensationRequired = stored.compensationReason != nil
                saga.compensationReason = stored.compensationReason
            }
            orders.add(order, saga: saga)
            keepDetails(OrderDetails(customer: row.customer, items: row.items), of: id)
        }
        for row in stored.reservations {
            let id = OrderId(number: row.order)
            inventory.reserve(row.items, for: id, event: EventId(number: row.event), at: row.at)
            if row.sold { _ = inventory.markSold(id) }
        }
        for row in stored.stock { inventory.restore(row.product, available: row.available, supplied: row.supplied) }
        for row in stored.charges {
            payment.restore(.init(id: ChargeId(number: row.id), orderId: OrderId(number: row.order), customer: row.customer,
                                  amount: row.amount, refunded: row.refunded, at: row.at))
        }
        for row in stored.ledger {
            rewards.write(.init(orderId: OrderId(number: row.order), customer: row.customer, points: row.points,
                                eventId: EventId(number: row.event), at: row.at))
        }
        analytics = stored.analytics
        for row in stored.outboxes.sorted(by: { $0.event.id < $1.event.id }) {
            let event = row.event.event
            keepDetails(row.event.details, of: event.orderId)
            updateNode(event.source) { node in
                node.outbox.append(event)
                for _ in 0..<row.publishCount { node.outbox.recordSend(event.id) }
            }
            guard let at = row.publishedAt else { continue }
            updateNode(event.source) { $0.outbox.markPublished(event.id, at: at) }
            appendPublication(Publication(event: event, count: max(1, row.publishCount)))
        }
        for row in stored.processed {
            let event = Event(id: EventId(number: row.event), type: row.type, orderId: OrderId(number: row.order),
                              amount: 0, createdAt: row.at)
            updateNode(row.service) { $0.processed.mark(event, at: row.at) }
        }
        for row in stored.inFlight {
            keepDetails(row.event.details, of: OrderId(number: row.event.order))
            let delivery = Delivery(event: row.event.event, target: row.target, handler: row.handler,
                                    attempt: row.attempt, isCopy: row.isCopy)
            // A delivery for a consumer that is down or cut off waits for it, as a parked one does.
            if stored.down.contains(row.target) || stored.partitioned.contains(row.target) {
                parked.append(delivery)
            } else {
                _ = agenda.schedule(.deliver(delivery), at: stored.now)
            }
        }
        for application in stored.applications {
            countApplication(application.service, .event(EventId(number: application.event)))
        }
        for service in stored.down { updateNode(service) { $0.isUp = false } }
        for service in stored.publishersDown { updateNode(service) { $0.publisherUp = false } }
        for service in stored.partitioned { updateNode(service) { $0.isPartitioned = true } }
        for entry in stored.trace { trace.append(entry) }
    }
}
