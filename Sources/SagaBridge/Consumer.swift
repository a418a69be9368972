import SagaKernel

/// A service's consumer process: it takes one delivery at a time from its queue table
/// with `FOR UPDATE SKIP LOCKED` (so several processes of one service compete for the
/// queue without blocking each other), hides it for the visibility timeout, handles it
/// with the service's idempotency recipe, and deletes it: the acknowledgement. A delivery
/// never deleted (the process died, the handler failed) becomes visible again and is
/// redelivered; one that failed `maxAttempts` times goes to the dead-letter table.
struct Consumer {
    static let maxAttempts = 5

    let service: ServiceName
    /// The service's own connection: its tables and its queue.
    let db: Connection
    /// The lab's connection: the trace, settings and armed crashes.
    let lab: Connection
    let clock: ShopClock
    let visibilityTimeout: Int
    let recorder: TraceRecorder
    let crashPoints: CrashPoints

    var queue: String { "\(service.rawValue).queue" }

    /// Takes the oldest visible delivery, or nil when there is none (or the bus is out of reach).
    func take() throws -> QueuedDelivery? {
        let rows = try db.execute("""
            UPDATE \(queue) SET attempt = attempt + 1,
                   visible_at = clock_timestamp() + make_interval(secs => $1::float8 / 1000)
            WHERE id = (SELECT id FROM \(queue) WHERE visible_at <= clock_timestamp() ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING \(QueuedDelivery.columns)
            """, [String(visibilityTimeout)])
        guard rows.count > 0 else { return nil }
        return QueuedDelivery(rows, 0)
    }

    /// Handles one delivery with the recipe the service's idempotency setting names.
    func handle(_ delivery: QueuedDelivery) throws {
        let event = delivery.event
        if delivery.attempt > Consumer.maxAttempts {
            try db.transaction {
                try db.execute("INSERT INTO \(service.rawValue).dead_letters (event_id, type, order_id, attempts) VALUES ($1, $2, $3, $4)",
                               [String(event.id), event.type.rawValue, String(event.order), String(delivery.attempt - 1)])
                try db.execute("DELETE FROM \(queue) WHERE id = $1", [String(delivery.queueId)])
            }
            recorder.record(.recorded(.deadLetter, text: "\(event.type.rawValue) evt-\(event.id) failed \(delivery.attempt - 1) times: moved to the dead-letter table"),
                            order: event.order, event: event.id)
            return
        }
        recorder.record(.message(.received(delivery.ref, isCopy: delivery.isCopy, attempt: Int32(delivery.attempt), retry: nil)),
                        from: event.type.source, order: event.order, event: event.id)
        let settings = LabSettings.read(lab)
        let mode = settings.idempotency(service)
        let pause = settings.slowness(service)
        let handlers = Handlers(db: db, clock: clock, crashPoints: crashPoints)
        let eventId = EventId(number: event.id)

        if mode != .off {
            let marked = try db.execute("SELECT 1 FROM \(service.rawValue).processed_events WHERE event_id = $1", [String(event.id)])
            if marked.count > 0 {
                recorder.record(.message(.alreadyProcessed(eventId: eventId)), order: event.order, event: event.id)
                try acknowledge(delivery)
                return
            }
            if mode == .checkThenAct {
                recorder.record(.message(.notYetProcessed(eventId: eventId)), order: event.order, event: event.id)
            }
            crashPoints.fire(.afterCheck, order: event.order)
        }
        if mode == .checkThenAct { Processes.sleep(milliseconds: pause) }
        let outcome: Handlers.Outcome? = try db.transaction {
            if mode == .on {
                // The atomic mark: the unique key decides which of two concurrent copies goes on.
                guard try mark(event).affected == 1 else { return nil }
                Processes.sleep(milliseconds: pause)
            }
            let outcome = try handlers.run(delivery)
            if outcome.changed {
                try db.execute("INSERT INTO lab.applications (service, event_id) VALUES ($1, $2)", [service.rawValue, String(event.id)])
            }
            try recorder.record(.step(outcome.result, compensated: outcome.compensated, outbox: outcome.emitted), inside: db,
                                order: event.order, event: event.id)
            return outcome
        }
        guard outcome != nil else {
            recorder.record(.message(.markExists(eventId: eventId, rolledBack: true)), order: event.order, event: event.id)
            try acknowledge(delivery)
            return
        }
        crashPoints.fire(.afterEffect, order: event.order)
        if mode == .checkThenAct {
            try mark(event)
            recorder.record(.message(.markedProcessed(id: .event(eventId))), order: event.order, event: event.id)
            crashPoints.fire(.afterMark, order: event.order)
        }
        try acknowledge(delivery)
    }

    /// Inserts the processed-events mark; with the unique key a second mark inserts nothing.
    @discardableResult
    func mark(_ event: StoredRows.EventRow) throws -> Rows {
        try db.execute("""
            INSERT INTO \(service.rawValue).processed_events (event_id, type, order_id) VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING
            """, [String(event.id), event.type.rawValue, String(event.order)])
    }

    /// Deletes the delivery from the queue: the broker will not hand it out again.
    func acknowledge(_ delivery: QueuedDelivery) throws {
        try db.execute("DELETE FROM \(queue) WHERE id = $1", [String(delivery.queueId)])
    }
}
