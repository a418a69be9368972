import SagaKernel

/// The simulation's handler recipes as SQL: each runs inside the consumer's transaction,
/// changes its service's tables, writes the events it emits to the outbox (the same
/// transaction), and says what it did with the kernel's own `StepResult`.
struct Handlers {
    /// What one handler's transaction did.
    struct Outcome {
        /// Whether business state changed (what the lab counts in `lab.applications`).
        var changed: Bool
        var result: StepResult
        var emitted: EventRef?
        var compensated = false
    }

    let db: Connection
    let clock: ShopClock
    /// Fires `mid-compensation` inside a compensation's transaction.
    let crashPoints: CrashPoints

    func run(_ delivery: QueuedDelivery) throws -> Outcome {
        let event = delivery.event
        switch delivery.handler {
        case .reserveStock: return try reserve(event)
        case .releaseStock: return try release(event)
        case .markSold: return try markSold(event)
        case .chargePayment: return try charge(event)
        case .refundPayment: return try refund(event)
        case .recordStep: return try recordStep(event)
        case .cancelOrder: return try cancel(event)
        case .awardPoints: return try award(event)
        case .revokePoints: return try revoke(event)
        case .aggregate: return try aggregate(event)
        case .startSaga:
            return Outcome(changed: false, result: .notPendingNoSaga(order: OrderId(number: event.order)))
        }
    }

    /// Writes an event to the outbox of the service that makes it, in the caller's transaction.
    func emit(_ type: EventType, after event: StoredRows.EventRow, amount: Int? = nil, reason: String? = nil) throws -> EventRef {
        let source = type.source.rawValue
        let rows = try db.execute("""
            INSERT INTO \(source).outbox (event_id, type, order_id, customer, items, amount, reason, created_ms)
            VALUES (nextval('lab.event_ids'), $1, $2, $3, $4, $5, $6, $7) RETURNING event_id
            """, [type.rawValue, String(event.order), event.customer, ItemsText.text(event.items),
                  String(amount ?? event.amount), reason, String(clock.now)])
        try db.execute("SELECT pg_notify($1, '')", ["outbox_\(source)"])
        return EventRef(type: type, id: EventId(number: Int32(rows.int(0, "event_id") ?? 0)))
    }

    func reserve(_ event: StoredRows.EventRow) throws -> Outcome {
        let order = OrderId(number: event.order)
        var wanted: [(product: String, quantity: Int)] = []
        for item in event.items {
            if let i = wanted.firstIndex(where: { $0.product == item.product }) { wanted[i].quantity += item.quantity }
            else { wanted.append((item.product, item.quantity)) }
        }
        for (product, quantity) in wanted {
            let have = try db.execute("SELECT available FROM inventory.stock WHERE product = $1 FOR UPDATE", [product]).int(0, "available") ?? 0
            if have < quantity {
                let emitted = try emit(.inventoryReservationFailed, after: event, reason: "insufficient stock")
                return Outcome(changed: false, result: .cannotReserve(quantity: quantity, product: product, order: order, available: have),
                               emitted: emitted)
            }
        }
        for (product, quantity) in wanted {
            try db.execute("UPDATE inventory.stock SET available = available - $2 WHERE product = $1", [product, String(quantity)])
        }
        try db.execute("INSERT INTO inventory.reservations (order_id, items, event_id, at_ms) VALUES ($1, $2, $3, $4)",
                       [String(event.order), ItemsText.text(event.items), String(event.id), String(clock.now)])
        return Outcome(changed: true, result: .reserved(event.items, order: order), emitted: try emit(.inventoryReserved, after: event))
    }

    /// Puts back what is held for the order, reserved or sold; `mid-compensation` fires
    /// after the stock went back and before the reservations are deleted, inside the
    /// transaction, so the crash leaves nothing half-written.
    func release(_ event: StoredRows.EventRow) throws -> Outcome {
        let order = OrderId(number: event.order)
        let held = try db.execute("SELECT items, sold FROM inventory.reservations WHERE order_id = $1 ORDER BY id FOR UPDATE",
                                  [String(event.order)])
        guard held.count > 0 else { return Outcome(changed: false, result: .nothingReserved(order: order)) }
        var items: [OrderItem] = []
        for i in 0..<held.count {
            for item in ItemsText.items(held.text(i, "items") ?? "") {
                items.append(item)
                try db.execute("UPDATE inventory.stock SET available = available + $2 WHERE product = $1",
                               [item.product, String(item.quantity)])
            }
        }
        crashPoints.fire(.midCompensation, order: event.order)
        try db.execute("DELETE FROM inventory.reservations WHERE order_id = $1", [String(event.order)])
        return Outcome(changed: true, result: .released(items, order: order), emitted: try emit(.inventoryReleased, after: event),
                       compensated: true)
    }

    func markSold(_ event: StoredRows.EventRow) throws -> Outcome {
        let order = OrderId(number: event.order)
        let sold = try db.execute("UPDATE inventory.reservations SET sold = true WHERE order_id = $1 AND NOT sold RETURNING items",
                                  [String(event.order)])
        guard sold.count > 0 else { return Outcome(changed: false, result: .nothingToSell(order: order)) }
        let items = (0..<sold.count).flatMap { ItemsText.items(sold.text($0, "items") ?? "") }
        return Outcome(changed: true, result: .sold(items, order: order))
    }

    func charge(_ event: StoredRows.EventRow) throws -> Outcome {
        let order = OrderId(number: event.order)
        if try db.execute("DELETE FROM lab.settings WHERE name = 'fail.payment' RETURNING value").count > 0 {
            let emitted = try emit(.paymentFailed, after: event, reason: "card declined")
            return Outcome(changed: false, result: .declined(amount: event.amount, order: order), emitted: emitted)
        }
        let rows = try db.execute("INSERT INTO payment.charges (order_id, customer, amount, at_ms) VALUES ($1, $2, $3, $4) RETURNING id",
                                  [String(event.order), event.customer, String(event.amount), String(clock.now)])
        let charge = ChargeId(number: Int32(rows.int(0, "id") ?? 0))
        return Outcome(changed: true, result: .captured(amount: event.amount, order: order, charge: charge),
                       emitted: try emit(.paymentCompleted, after: event))
    }

    func refund(_ event: StoredRows.EventRow) throws -> Outcome {
        let order = OrderId(number: event.order)
        let open = try db.execute("UPDATE payment.charges SET refunded = true WHERE order_id = $1 AND NOT refunded RETURNING amount",
                                  [String(event.order)])
        guard open.count > 0 else { return Outcome(changed: false, result: .noChargeToRefund(order: order)) }
        crashPoints.fire(.midCompensation, order: event.order)
        let total = (0..<open.count).reduce(0) { $0 + (open.int($1, "amount") ?? 0) }
        return Outcome(changed: true, result: .refunded(amount: total, order: order),
                       emitted: try emit(.paymentRefunded, after: event, amount: total), compensated: true)
    }

    /// Orders records a step that succeeded; when every step of the flow has, it confirms.
    func recordStep(_ event: StoredRows.EventRow) throws -> Outcome {
        let order = OrderId(number: event.order)
        let id = String(event.order)
        let found = try db.execute("SELECT status, total FROM orders.orders WHERE id = $1 FOR UPDATE", [id])
        guard found.count > 0, let status = found.text(0, "status").flatMap(Order.Status.init(rawValue:)) else {
            return Outcome(changed: false, result: .noOrder(order))
        }
        guard status == .pending else {
            return Outcome(changed: false, result: .alreadySettled(order: order, status: status, ignoring: event.type))
        }
        let step: SagaStepName = event.type == .inventoryReserved ? .inventoryReservation : .paymentProcessing
        try recordSagaStep(id, step, succeeded: true)
        let current: SagaStep = step == .inventoryReservation ? .inventoryReserved : .paymentCompleted
        try db.execute("UPDATE orders.sagas SET current_step = $2 WHERE order_id = $1", [id, current.rawValue])
        let done = try db.execute("SELECT count(DISTINCT name) AS n FROM orders.saga_steps WHERE order_id = $1 AND succeeded AND name = ANY($2)",
                                  [id, "{" + Flow.inventoryFirst.steps.map(\.rawValue).joined(separator: ",") + "}"])
        guard done.int(0, "n") == Flow.inventoryFirst.steps.count else {
            return Outcome(changed: true, result: .sagaStepSucceeded(saga: SagaId(number: event.order), step: step))
        }
        try db.execute("UPDATE orders.orders SET status = 'CONFIRMED', settled_ms = $2 WHERE id = $1", [id, String(clock.now)])
        try recordSagaStep(id, .confirmation, succeeded: true)
        try db.execute("UPDATE orders.sagas SET current_step = 'CONFIRMED' WHERE order_id = $1", [id])
        let total = found.int(0, "total") ?? event.amount
        return Outcome(changed: true, result: .confirmed(order: order), emitted: try emit(.orderConfirmed, after: event, amount: total))
    }

    /// Orders marks the saga for compensation and cancels the order, in one transaction
    /// here; `mid-compensation` fires between the two writes.
    func cancel(_ event: StoredRows.EventRow) throws -> Outcome {
        let order = OrderId(number: event.order)
        let id = String(event.order)
        let found = try db.execute("SELECT status, total FROM orders.orders WHERE id = $1 FOR UPDATE", [id])
        guard found.count > 0, let status = found.text(0, "status").flatMap(Order.Status.init(rawValue:)) else {
            return Outcome(changed: false, result: .noOrder(order))
        }
        guard status == .pending else { return Outcome(changed: false, result: .nothingToCancel(order: order, status: status)) }
        let failedStep: SagaStepName = event.type == .inventoryReservationFailed ? .inventoryReservation : .paymentProcessing
        let title = failedStep == .inventoryReservation ? "Inventory reservation failed" : "Payment failed"
        let reason = "\(title): \(event.reason ?? "unknown")"
        try recordSagaStep(id, failedStep, succeeded: false, error: event.reason)
        try db.execute("UPDATE orders.sagas SET current_step = 'COMPENSATING', compensation_required = true, compensation_reason = $2 WHERE order_id = $1",
                       [id, reason])
        crashPoints.fire(.midCompensation, order: event.order)
        try db.execute("UPDATE orders.orders SET status = 'CANCELLED', reason = $2, settled_ms = $3 WHERE id = $1", [id, reason, String(clock.now)])
        try recordSagaStep(id, .compensation, succeeded: true)
        try db.execute("UPDATE orders.sagas SET current_step = 'CANCELLED' WHERE order_id = $1", [id])
        let total = found.int(0, "total") ?? event.amount
        return Outcome(changed: true, result: .cancelled(order: order, reason: Reason(reason)),
                       emitted: try emit(.orderCancelled, after: event, amount: total, reason: reason), compensated: true)
    }

    func recordSagaStep(_ order: String, _ step: SagaStepName, succeeded: Bool, error: String? = nil) throws {
        try db.execute("DELETE FROM orders.saga_steps WHERE order_id = $1 AND name = $2", [order, step.rawValue])
        try db.execute("INSERT INTO orders.saga_steps (order_id, name, succeeded, at_ms, error) VALUES ($1, $2, $3, $4, $5)",
                       [order, step.rawValue, succeeded ? "t" : "f", String(clock.now), error])
    }

    func award(_ event: StoredRows.EventRow) throws -> Outcome {
        let points = event.amount / 100
        try db.execute("INSERT INTO rewards.ledger (order_id, customer, points, event_id, at_ms) VALUES ($1, $2, $3, $4, $5)",
                       [String(event.order), event.customer, String(points), String(event.id), String(clock.now)])
        return Outcome(changed: true, result: .awarded(customer: event.customer, points: Int32(clamping: points),
                                                       order: OrderId(number: event.order)))
    }

    func revoke(_ event: StoredRows.EventRow) throws -> Outcome {
        let order = OrderId(number: event.order)
        let held = try db.execute("SELECT coalesce(sum(points), 0) AS held FROM rewards.ledger WHERE order_id = $1", [String(event.order)])
            .int(0, "held") ?? 0
        guard held > 0 else { return Outcome(changed: false, result: .noPointsToRevoke(order: order)) }
        try db.execute("INSERT INTO rewards.ledger (order_id, customer, points, event_id, at_ms) VALUES ($1, $2, $3, $4, $5)",
                       [String(event.order), event.customer, String(-held), String(event.id), String(clock.now)])
        return Outcome(changed: true, result: .revoked(customer: event.customer, points: Int32(clamping: held), order: order),
                       compensated: true)
    }

    func aggregate(_ event: StoredRows.EventRow) throws -> Outcome {
        var change = "events_seen = events_seen + 1"
        var result = StepResult.counted(event.type)
        switch event.type {
        case .orderCreated: change += ", order_count = order_count + 1"
        case .orderConfirmed:
            change += ", successful = successful + 1, revenue = revenue + \(event.amount)"
        case .orderCancelled, .orderFailed: change += ", failed = failed + 1"
        default: break
        }
        let rows = try db.execute("UPDATE analytics.figures SET \(change) RETURNING revenue")
        if event.type == .orderConfirmed { result = .countedConfirmed(revenue: rows.int(0, "revenue") ?? 0) }
        return Outcome(changed: true, result: result)
    }
}
