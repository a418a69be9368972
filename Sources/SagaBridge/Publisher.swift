import SagaKernel

/// A service's outbox publisher, a process of its own: it reads the unpublished rows in
/// event order, hands each to the bus (one delivery per subscribing consumer, inserted
/// into that consumer's queue table, with a NOTIFY to wake it) and then marks the row
/// published, in a second transaction, as a publisher to a separate broker must. A crash
/// between the two (`after-publish`) sends the row again: at least once, not exactly once.
/// An armed `duplicate` or `drop` acts on one publication each.
struct Publisher {
    let service: ServiceName
    let db: Connection
    let lab: Connection
    let recorder: TraceRecorder
    let crashPoints: CrashPoints

    /// Publishes what waits; false when nothing did.
    func publishWaiting() throws -> Bool {
        let rows = try db.execute("""
            SELECT event_id, type, order_id, customer, items, amount, reason, created_ms, publish_count
            FROM \(service.rawValue).outbox WHERE NOT published ORDER BY event_id LIMIT 20
            """)
        for i in 0..<rows.count {
            guard let event = StoredRows.EventRow(rows, i) else { continue }
            try publish(event, sentBefore: rows.int(i, "publish_count") ?? 0)
        }
        return rows.count > 0
    }

    func publish(_ event: StoredRows.EventRow, sentBefore: Int) throws {
        let ref = EventRef(type: event.type, id: EventId(number: event.id))
        // One armed fault acts on one publication: three `duplicate next` arm the next three.
        let fault = try takeArmedFault(event.type)
        let dropped = fault == "drop"
        let copies = fault == "duplicate" ? 2 : 1
        let targets = Flow.inventoryFirst.defaultRules.filter { $0.matches(event.type, orchestrated: false) }
        try db.transaction {
            for rule in targets where !dropped {
                let target = rule.target.rawValue
                for copy in 0..<copies {
                    try db.execute("""
                        INSERT INTO \(target).queue (event_id, type, order_id, customer, items, amount, reason, created_ms, handler, is_copy)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        """, [String(event.id), event.type.rawValue, String(event.order), event.customer, ItemsText.text(event.items),
                              String(event.amount), event.reason, String(event.createdAt), rule.handler.rawValue, copy > 0 ? "t" : "f"])
                }
                try db.execute("SELECT pg_notify($1, '')", ["queue_\(target)"])
            }
            try db.execute("UPDATE \(service.rawValue).outbox SET publish_count = publish_count + 1 WHERE event_id = $1", [String(event.id)])
            let published: Happening = sentBefore > 0 ? .message(.publishedAgain(ref, copy: sentBefore + 1)) : .message(.published(ref, route: .outbox))
            try recorder.record(published, inside: db, order: event.order, event: event.id)
            if dropped {
                try recorder.record(.message(.droppedOnPublish(ref)), inside: db, order: event.order, event: event.id)
            } else if copies > 1 {
                try recorder.record(.message(.willDeliverTwice(eventId: ref.id)), inside: db, order: event.order, event: event.id)
            }
        }
        crashPoints.fire(.afterPublish, order: event.order)
        try db.execute("UPDATE \(service.rawValue).outbox SET published = true, published_at = clock_timestamp() WHERE event_id = $1",
                       [String(event.id)])
    }

    /// Takes one armed `duplicate` or `drop` that matches the event's type.
    func takeArmedFault(_ type: EventType) throws -> String? {
        let rows = try lab.execute("""
            DELETE FROM lab.armed_faults WHERE id =
              (SELECT id FROM lab.armed_faults WHERE event_type IS NULL OR event_type = $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING kind
            """, [type.rawValue])
        return rows.count > 0 ? rows.text(0, "kind") : nil
    }
}
