import SagaKernel
import SagaLab

/// What the bridge's acting commands do to the real shop.
extension Bridge {
    /// `POST /orders` to the orders process: a request row, then its answer, or the news
    /// that the connection dropped because the process died.
    func order(_ customer: String, _ items: [OrderItem]) throws -> String {
        if let unknown = items.first(where: { Catalog.price(of: $0.product) == nil }) {
            throw BridgeRefusal("error: unknown product '\(unknown.product)'; products: \(Catalog.productIds.joined(separator: ", "))")
        }
        guard supervisor.isUp(.orders) else {
            record(.api(.request(customer: customer, items: items, key: nil)), service: .orders)
            record(.api(.refusedWhileDown), service: .orders)
            return try newLines() + "connection refused: orders is down (`restart orders`)"
        }
        let id = try db.execute("INSERT INTO orders.requests (customer, items) VALUES ($1, $2) RETURNING id",
                                [customer, ItemsText.text(items)]).int(0, "id") ?? 0
        try db.execute("NOTIFY requests")
        let deadline = Processes.monotonicMilliseconds + 10_000
        while Processes.monotonicMilliseconds < deadline {
            let row = try db.execute("SELECT answer, order_id FROM orders.requests WHERE id = $1", [String(id)])
            if let answer = row.text(0, "answer"), !answer.isEmpty { return try newLines() + answer }
            supervisor.reap()
            if !supervisor.isUp(.orders) {
                try db.execute("UPDATE orders.requests SET answer = 'dropped' WHERE id = $1 AND (answer IS NULL OR answer = '')", [String(id)])
                let saved = try db.execute("SELECT order_id FROM orders.orders o JOIN orders.requests r ON r.order_id = o.id WHERE r.id = $1",
                                           [String(id)])
                let note = saved.int(0, "order_id").map { " (yet ord-\($0) was saved)" } ?? " (nothing was saved)"
                return try newLines() + "no response: the connection dropped" + note
            }
            Processes.sleep(milliseconds: 20)
        }
        return try newLines() + "no response within 10 s: the request waits in orders.requests"
    }

    /// Waits, printing the trace as it grows, until no running process has anything left
    /// to do, Ctrl-C, or the timeout.
    func run(quiet: Bool, shouldStop: () -> Bool) throws -> String {
        let start = Processes.monotonicMilliseconds
        var out = ""
        while true {
            supervisor.reap()
            let lines = try newLines()
            if !quiet { out += lines }
            let busy = try work()
            let elapsed = Processes.monotonicMilliseconds - start
            if busy.isEmpty {
                return out + "quiet after \(VirtualTime.duration(elapsed)) of wall time; nothing left to do"
            }
            if shouldStop() { return out + "stopped waiting (Ctrl-C); the processes work on: \(busy)" }
            if elapsed >= Bridge.runTimeout {
                return out + "still busy after \(VirtualTime.duration(elapsed)): \(busy)"
            }
            Processes.sleep(milliseconds: 25)
        }
    }

    /// What running, reachable processes still have to do, in words; empty when nothing.
    func work() throws -> String {
        var parts: [String] = []
        let requests = try count("SELECT count(*) AS n FROM orders.requests WHERE answer IS NULL")
        if requests > 0 && supervisor.isUp(.orders) { parts.append("\(requests) request\(requests == 1 ? "" : "s") for orders") }
        for service in ServiceName.allCases where !supervisor.isPartitioned(service) {
            if supervisor.isUp(service) {
                let queued = try count("SELECT count(*) AS n FROM \(service.rawValue).queue")
                if queued > 0 { parts.append("\(queued) in the \(service.rawValue) queue") }
            }
            if service.emitsEvents && supervisor.publisherIsUp(service) {
                let rows = try count("SELECT count(*) AS n FROM \(service.rawValue).outbox WHERE NOT published")
                if rows > 0 { parts.append("\(rows) unpublished in the \(service.rawValue) outbox") }
            }
        }
        return parts.joined(separator: ", ")
    }

    func crash(_ service: ServiceName) throws -> String {
        guard supervisor.isUp(service) else { throw BridgeRefusal("error: \(service.rawValue) is already down (`restart \(service.rawValue)`)") }
        let pids = supervisor.processes(service)
        supervisor.kill(service)
        let which = pids.count == 1 ? "process \(pids[0])" : "processes " + pids.map(String.init).joined(separator: ", ")
        record(.recorded(.crash, text: "CRASHED: SIGKILL to \(which); committed rows survive, an open transaction is rolled back"),
               service: service)
        return try newLines()
    }

    func arm(_ process: String, _ point: CrashPoint, allowed: Bool) throws -> String {
        guard allowed else {
            throw BridgeRefusal("error: \(process) never reaches \(point.rawValue); it is a point of "
                + point.services.map(\.rawValue).joined(separator: ", "))
        }
        try db.execute("INSERT INTO lab.armed_crashes (process, point) VALUES ($1, $2)", [process, point.rawValue])
        let service = ServiceName(rawValue: process) ?? ServiceName(publisherName: process)
        record(.lab(.armedCrash(point)), service: service, byPublisher: process.hasSuffix("-publisher"))
        return try newLines()
    }

    func restart(_ service: ServiceName) throws -> String {
        guard !supervisor.isUp(service) else { throw BridgeRefusal("error: \(service.rawValue) is running") }
        try supervisor.start(service)
        let queued = try count("SELECT count(*) AS n FROM \(service.rawValue).queue")
        var rows = 0
        if service.emitsEvents && !supervisor.publisherIsUp(service) {
            try supervisor.startPublisher(service)
            rows = try count("SELECT count(*) AS n FROM \(service.rawValue).outbox WHERE NOT published")
        }
        record(.fault(.restarted(resumedDeliveries: queued, unpublishedRows: rows)), service: service)
        return try newLines()
    }

    /// `duplicate`/`drop` on the bus: armed for the next publication of a type, or done now
    /// to an event's rows in the queue tables.
    func messageFault(_ kind: MessageFaultKind, _ selector: MessageSelector) throws -> String {
        switch selector {
        case .next(let type):
            try db.execute("INSERT INTO lab.armed_faults (kind, event_type) VALUES ($1, $2)", [kind.verb, type?.rawValue])
            record(.lab(.armedMessageFault(kind, selector)))
        case .event(let text):
            guard let id = EventId(parsing: text), id.number > 0 else { throw BridgeRefusal("error: '\(text)' is not an event id like evt-3") }
            guard let type = try eventType(id) else { throw BridgeRefusal("error: no event \(id) in any outbox") }
            let ref = EventRef(type: type, id: id)
            if kind == .drop {
                var dropped = 0
                for service in ServiceName.allCases {
                    dropped += try db.execute("DELETE FROM \(service.rawValue).queue WHERE event_id = $1", [String(id.number)]).affected
                }
                record(.fault(.droppedDeliveries(count: dropped, ref)), order: nil, event: id.number)
            } else {
                try redeliver(id)
                record(.fault(.deliversAgain(ref)), event: id.number)
            }
        }
        return try newLines()
    }

    func eventType(_ id: EventId) throws -> EventType? {
        for service in ServiceName.publishers {
            let rows = try db.execute("SELECT type FROM \(service.rawValue).outbox WHERE event_id = $1", [String(id.number)])
            if let type = rows.text(0, "type").flatMap(EventType.init(rawValue:)) { return type }
        }
        return nil
    }

    /// The bus hands a published event to every subscriber again, as a broker's redelivery does.
    func redeliver(_ id: EventId) throws {
        for source in ServiceName.publishers {
            let rows = try db.execute("""
                SELECT event_id, type, order_id, customer, items, amount, reason, created_ms FROM \(source.rawValue).outbox
                WHERE event_id = $1 AND published
                """, [String(id.number)])
            guard let event = StoredRows.EventRow(rows, 0) else { continue }
            for rule in Flow.inventoryFirst.defaultRules where rule.matches(event.type, orchestrated: false) {
                try db.execute("""
                    INSERT INTO \(rule.target.rawValue).queue (event_id, type, order_id, customer, items, amount, reason, created_ms, handler, is_copy)
                    SELECT event_id, type, order_id, customer, items, amount, reason, created_ms, $2, true
                    FROM \(source.rawValue).outbox WHERE event_id = $1
                    """, [String(id.number), rule.handler.rawValue])
                try db.execute("SELECT pg_notify($1, '')", ["queue_\(rule.target.rawValue)"])
            }
            return
        }
        throw BridgeRefusal("error: \(id) is not published yet; `duplicate next TYPE` duplicates it when it is")
    }

    func partition(_ service: ServiceName) throws -> String {
        guard !supervisor.isPartitioned(service) else { throw BridgeRefusal("error: \(service.rawValue) is already partitioned") }
        try db.execute("REVOKE \(Schema.busRole) FROM \(Schema.role(service))")
        supervisor.setPartitioned(service, true)
        record(.recorded(.fault, text: "partitioned: REVOKE \(Schema.busRole) FROM \(Schema.role(service)); its processes lose the queue tables"),
               service: service)
        return try newLines()
    }

    func heal() throws -> String {
        let cut = ServiceName.allCases.filter(supervisor.isPartitioned)
        guard !cut.isEmpty else { throw BridgeRefusal("error: nothing is partitioned") }
        for service in cut {
            try db.execute("GRANT \(Schema.busRole) TO \(Schema.role(service))")
            supervisor.setPartitioned(service, false)
        }
        record(.fault(.healed(cut)))
        return try newLines()
    }

    /// Switches the consumers' recipe, and the unique key that makes the mark atomic with it.
    func idempotency(_ mode: IdempotencyMode, _ services: [ServiceName]) throws -> String {
        for service in services {
            let table = "\(service.rawValue).processed_events"
            if mode == .on {
                let twice = try db.execute("SELECT event_id FROM \(table) GROUP BY event_id HAVING count(*) > 1 ORDER BY event_id LIMIT 1")
                if let id = twice.int(0, "event_id") {
                    throw BridgeRefusal("error: \(table) marks evt-\(id) twice, so it cannot take its unique key back; "
                        + "`reset` starts a fresh shop")
                }
                try db.execute("CREATE UNIQUE INDEX IF NOT EXISTS processed_once ON \(table) (event_id)")
            } else {
                try db.execute("DROP INDEX IF EXISTS \(service.rawValue).processed_once")
            }
            try LabSettings.write(db, "idempotency.\(service.rawValue)", mode == .on ? nil : mode.rawValue)
        }
        record(.lab(.idempotency(mode, services: services)))
        return try newLines()
    }

    func stock(_ product: String, _ quantity: Int) throws -> String {
        let rows = try db.execute("""
            UPDATE inventory.stock s SET available = $2, supplied = s.supplied + ($2 - s.available)
            FROM inventory.stock old WHERE s.product = $1 AND old.product = $1 RETURNING old.available AS was
            """, [product, String(quantity)])
        guard let was = rows.int(0, "was") else {
            throw BridgeRefusal("error: unknown product '\(product)'; products: \(Catalog.productIds.joined(separator: ", "))")
        }
        record(.lab(.stockSet(product: product, quantity: quantity, was: was)), service: .inventory)
        return try newLines()
    }

    /// A fresh shop on the same cluster: workers stopped, every table created again, workers started.
    func reset() throws -> String {
        supervisor.stopAll()
        for service in ServiceName.allCases {
            _ = try? db.execute("GRANT \(Schema.busRole) TO \(Schema.role(service))")
            supervisor.setPartitioned(service, false)
            try supervisor.setConcurrency(service, 1)
        }
        try Schema.create(on: db)
        try db.execute("UPDATE lab.started SET at = to_timestamp($1::float8 / 1000)", [String(clock.startedAt)])
        cursor = TraceCursor()
        try supervisor.startAll()
        return "a fresh shop on PostgreSQL: every table created again, every process started"
    }
}
