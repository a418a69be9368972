import SagaKernel

/// Reads every service's database, the queues and the trace table into `StoredRows`, from
/// which `World(stored:)` builds the values the simulation's views and invariants read.
/// It reads in one REPEATABLE READ transaction: one snapshot of the whole shop, though its
/// processes keep working while it reads.
struct RowReader {
    let db: Connection
    let clock: ShopClock

    func read(processes: ProcessStatus) throws -> StoredRows {
        try db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { _ = try? db.execute("COMMIT") }
        var stored = StoredRows()
        stored.now = Millis(clock.now)
        let orders = try db.execute("SELECT id, customer, items, total, status, reason, created_ms, settled_ms FROM orders.orders ORDER BY id")
        for i in 0..<orders.count {
            stored.orders.append(.init(
                id: Int32(orders.int(i, "id") ?? 0), customer: orders.text(i, "customer") ?? "",
                items: ItemsText.items(orders.text(i, "items") ?? ""), total: orders.int(i, "total") ?? 0,
                status: orders.text(i, "status").flatMap(Order.Status.init(rawValue:)) ?? .pending, reason: orders.text(i, "reason"),
                createdAt: Millis(orders.int(i, "created_ms") ?? 0), settledAt: orders.int(i, "settled_ms").map { Millis($0) }))
        }
        let steps = try db.execute("SELECT order_id, name, succeeded, at_ms, error FROM orders.saga_steps ORDER BY id")
        let sagas = try db.execute("SELECT order_id, current_step, compensation_reason FROM orders.sagas ORDER BY order_id")
        for i in 0..<sagas.count {
            let order = sagas.int(i, "order_id") ?? 0
            let records = (0..<steps.count).filter { steps.int($0, "order_id") == order }.compactMap { j -> SagaState.StepRecord? in
                guard let name = steps.text(j, "name").flatMap(SagaStepName.init(rawValue:)) else { return nil }
                return SagaState.StepRecord(name: name, succeeded: steps.bool(j, "succeeded"), at: Millis(steps.int(j, "at_ms") ?? 0),
                                            error: steps.text(j, "error"))
            }
            stored.sagas.append(.init(order: Int32(order),
                                      current: sagas.text(i, "current_step").flatMap(SagaStep.init(rawValue:)) ?? .created,
                                      steps: records, compensationReason: sagas.text(i, "compensation_reason")))
        }
        let stock = try db.execute("SELECT product, available, supplied FROM inventory.stock ORDER BY product")
        for i in 0..<stock.count {
            stored.stock.append(.init(product: stock.text(i, "product") ?? "", available: stock.int(i, "available") ?? 0,
                                      supplied: stock.int(i, "supplied") ?? 0))
        }
        let reservations = try db.execute("SELECT order_id, items, event_id, at_ms, sold FROM inventory.reservations ORDER BY id")
        for i in 0..<reservations.count {
            stored.reservations.append(.init(
                order: Int32(reservations.int(i, "order_id") ?? 0), items: ItemsText.items(reservations.text(i, "items") ?? ""),
                event: Int32(reservations.int(i, "event_id") ?? 0), at: Millis(reservations.int(i, "at_ms") ?? 0),
                sold: reservations.bool(i, "sold")))
        }
        let charges = try db.execute("SELECT id, order_id, customer, amount, refunded, at_ms FROM payment.charges ORDER BY id")
        for i in 0..<charges.count {
            stored.charges.append(.init(
                id: Int32(charges.int(i, "id") ?? 0), order: Int32(charges.int(i, "order_id") ?? 0),
                customer: charges.text(i, "customer") ?? "", amount: charges.int(i, "amount") ?? 0,
                refunded: charges.bool(i, "refunded"), at: Millis(charges.int(i, "at_ms") ?? 0)))
        }
        let ledger = try db.execute("SELECT order_id, customer, points, event_id, at_ms FROM rewards.ledger ORDER BY id")
        for i in 0..<ledger.count {
            stored.ledger.append(.init(
                order: Int32(ledger.int(i, "order_id") ?? 0), customer: ledger.text(i, "customer") ?? "",
                points: ledger.int(i, "points") ?? 0, event: Int32(ledger.int(i, "event_id") ?? 0),
                at: Millis(ledger.int(i, "at_ms") ?? 0)))
        }
        let figures = try db.execute("SELECT revenue, order_count, successful, failed, events_seen FROM analytics.figures")
        stored.analytics.revenue = figures.int(0, "revenue") ?? 0
        stored.analytics.orderCount = figures.int(0, "order_count") ?? 0
        stored.analytics.successful = figures.int(0, "successful") ?? 0
        stored.analytics.failed = figures.int(0, "failed") ?? 0
        stored.analytics.eventsSeen = figures.int(0, "events_seen") ?? 0
        for service in ServiceName.publishers {
            let rows = try db.execute("""
                SELECT event_id, type, order_id, customer, items, amount, reason, created_ms, publish_count,
                       (extract(epoch FROM published_at - (SELECT at FROM lab.started)) * 1000)::bigint AS published_ms
                FROM \(service.rawValue).outbox ORDER BY event_id
                """)
            for i in 0..<rows.count {
                guard let event = StoredRows.EventRow(rows, i) else { continue }
                stored.outboxes.append(.init(event: event, publishedAt: rows.int(i, "published_ms").map { Millis($0) },
                                             publishCount: rows.int(i, "publish_count") ?? 0))
            }
        }
        for service in ServiceName.allCases {
            let marks = try db.execute("""
                SELECT event_id, type, order_id, (extract(epoch FROM at - (SELECT at FROM lab.started)) * 1000)::int AS ms
                FROM \(service.rawValue).processed_events ORDER BY id
                """)
            for i in 0..<marks.count {
                guard let type = marks.text(i, "type").flatMap(EventType.init(rawValue:)) else { continue }
                stored.processed.append(.init(service: service, event: Int32(marks.int(i, "event_id") ?? 0), type: type,
                                              order: Int32(marks.int(i, "order_id") ?? 0), at: Millis(marks.int(i, "ms") ?? 0)))
            }
            let queue = try db.execute("SELECT \(QueuedDelivery.columns) FROM \(service.rawValue).queue ORDER BY id")
            for i in 0..<queue.count {
                guard let delivery = QueuedDelivery(queue, i) else { continue }
                stored.inFlight.append(.init(target: service, event: delivery.event, handler: delivery.handler,
                                             attempt: max(1, delivery.attempt), isCopy: delivery.isCopy))
            }
            if !processes.isUp(service) { stored.down.append(service) }
            if service.emitsEvents && !processes.publisherIsUp(service) { stored.publishersDown.append(service) }
            if processes.isPartitioned(service) { stored.partitioned.append(service) }
        }
        let applications = try db.execute("SELECT service, event_id FROM lab.applications ORDER BY service, event_id")
        for i in 0..<applications.count {
            guard let service = applications.text(i, "service").flatMap(ServiceName.init(rawValue:)) else { continue }
            stored.applications.append((service, Int32(applications.int(i, "event_id") ?? 0)))
        }
        stored.trace = try TraceReader(db: db).entries(after: 0)
        return stored
    }
}

/// What the REPL knows of its processes, for reading the databases into a world.
protocol ProcessStatus {
    func isUp(_ service: ServiceName) -> Bool
    func publisherIsUp(_ service: ServiceName) -> Bool
    func isPartitioned(_ service: ServiceName) -> Bool
}

/// Reads the trace table back into the kernel's trace entries, each a recorded line.
struct TraceReader {
    let db: Connection

    func entries(after id: Int) throws -> [TraceEntry] {
        try rows(after: id).map(\.entry)
    }

    func rows(after id: Int) throws -> [(id: Int, entry: TraceEntry)] {
        let rows = try db.execute("""
            SELECT id, greatest(0, (extract(epoch FROM at - (SELECT at FROM lab.started)) * 1000))::bigint AS ms,
                   service, by_publisher, from_service, order_id, event_id, kind, text
            FROM lab.trace WHERE id > $1 ORDER BY id
            """, [String(id)])
        return (0..<rows.count).map { i in
            let entry = TraceEntry(
                time: Millis(rows.int(i, "ms") ?? 0), service: rows.text(i, "service").flatMap(ServiceName.init(rawValue:)),
                from: rows.text(i, "from_service").flatMap(ServiceName.init(rawValue:)), byPublisher: rows.bool(i, "by_publisher"),
                orderId: rows.int(i, "order_id").map { OrderId(number: Int32($0)) },
                eventId: rows.int(i, "event_id").map { EventId(number: Int32($0)) },
                what: .recorded(TraceKinds.kind(rows.text(i, "kind") ?? ""), text: rows.text(i, "text") ?? ""))
            return (rows.int(i, "id") ?? 0, entry)
        }
    }
}
