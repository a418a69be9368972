/// Every service's database at one moment, in the two shapes the exports need: JSON for
/// the `databases` object of `sagalab-trace/1`, and short lines for the page's panel.
///
/// Both read only the world's public tables, in their own order (orders by id, products
/// in catalog order, customers in the order they first earned points); a dictionary is
/// always read through its sorted keys.
public enum DatabaseState {
    // MARK: - JSON

    /// The `databases` object: one member per service, in `ServiceName.allCases` order.
    public static func json(_ world: World) -> JSONValue {
        .object(ServiceName.allCases.map { service in
            (service.rawValue, .object(node(service, world) + tables(service, world)))
        })
    }

    /// What every service has: whether it runs, its outbox, processed events and dead letters.
    static func node(_ service: ServiceName, _ world: World) -> [(String, JSONValue)] {
        let node = world.node(service)
        var pairs: [(String, JSONValue)] = [("up", .bool(node.isUp)), ("partitioned", .bool(node.isPartitioned))]
        if service.emitsEvents {
            pairs.append(("outbox", .array(world.liveOutboxRows(of: service).map { row in
                .object([("event", .string("\(row.event.id)")), ("type", .string(row.event.type.rawValue)),
                         ("order", .string("\(row.event.orderId)")), ("created_ms", .int(row.event.createdAt)),
                         ("published_ms", .number(row.publishedAt)), ("sends", .int(row.publishCount))])
            })))
        }
        pairs.append(("processed", .array(world.liveProcessedRows(of: service).map { row in
            .object([("key", .string(row.eventId)), ("type", .string(row.type)), ("order", .string("\(row.orderId)")),
                     ("processed_ms", .int(row.processedAt))])
        })))
        pairs.append(("dead_letters", .array(node.deadLetters.map { letter in
            .object([("id", .string("\(letter.id)")), ("message", .string(letter.typeName)), ("event", .string(letter.eventId)),
                     ("order", .string("\(letter.orderId)")), ("failed_ms", .int(letter.failedAt)),
                     ("attempts", .int(letter.attempts)), ("error", .string(letter.error))])
        })))
        return pairs
    }

    /// The service's own business tables.
    static func tables(_ service: ServiceName, _ world: World) -> [(String, JSONValue)] {
        switch service {
        case .orders:
            let db = world.orders
            return [
                ("orders", .array(db.orders.map { order in
                    .object([("id", .string("\(order.id)")), ("customer", .string(order.customer)),
                             ("items", .array(order.items.map { .string($0.description) })),
                             ("total_cents", .int(order.total)), ("status", .string(order.status.rawValue)),
                             ("reason", .text(order.reason)), ("created_ms", .int(order.createdAt)),
                             ("settled_ms", .number(order.settledAt)), ("saga", .string("\(order.sagaId)")),
                             ("mode", .string(order.mode.rawValue)), ("flow", .string(order.flow.rawValue))])
                })),
                ("sagas", .array(db.sagas.map { saga in
                    .object([("id", .string("\(saga.sagaId)")), ("order", .string("\(saga.orderId)")),
                             ("current_step", .string(saga.currentStep.rawValue)),
                             ("compensation_required", .bool(saga.compensationRequired)),
                             ("compensation_reason", .text(saga.compensationReason)),
                             ("steps", .array(saga.steps.map { step in
                                 .object([("name", .string(step.name.rawValue)), ("succeeded", .bool(step.succeeded)),
                                          ("at_ms", .int(step.at)), ("error", .text(step.error))])
                             }))])
                })),
                ("executions", .array(db.executions.map { execution in
                    .object([("id", .string("\(execution.id)")), ("order", .string("\(execution.orderId)")),
                             ("status", .string(execution.status.rawValue)), ("current", .string(execution.current.rawValue)),
                             ("attempt", .int(execution.attempt)),
                             ("completed", .array(execution.completed.map { .string($0.rawValue) })),
                             ("compensations", .array(execution.compensations.map { .string($0.rawValue) })),
                             ("deadline_ms", .int(execution.deadline)), ("failure", .text(execution.failure))])
                })),
                ("idempotency_keys", .array(db.idempotency.records.map { record in
                    .object([("key", .string(record.key)), ("payload", .string(record.payload)),
                             ("status", .string(record.status.rawValue)), ("expires_ms", .int(record.expiresAt)),
                             ("in_progress_expires_ms", .int(record.inProgressExpiresAt)),
                             ("order", .text(record.response.map { "\($0.orderId)" }))])
                })),
            ]
        case .inventory:
            let db = world.inventory
            return [
                ("stock", .array(world.catalog.products.map { product in
                    .object([("product", .string(product.id)), ("price_cents", .int(product.price)),
                             ("available", .int(db.available(product.id))), ("reserved", .int(db.reserved(product.id))),
                             ("sold", .int(db.sold(product.id))), ("supplied", .int(db.supplied(product.id)))])
                })),
                ("reservations", .array(db.reservations.map { reservation in
                    .object([("order", .string("\(reservation.orderId)")),
                             ("items", .array(reservation.items.map { .string($0.description) })),
                             ("event", .string("\(reservation.eventId)")), ("at_ms", .int(reservation.at)),
                             ("sold", .bool(reservation.isSold))])
                })),
                ("fence", fence(db.fence)),
            ]
        case .payment:
            let db = world.payment
            return [
                ("charges", .array(db.charges.map { charge in
                    .object([("id", .string("\(charge.id)")), ("order", .string("\(charge.orderId)")),
                             ("customer", .string(charge.customer)), ("amount_cents", .int(charge.amount)),
                             ("refunded", .bool(charge.refunded)), ("at_ms", .int(charge.at))])
                })),
                ("captured_cents", .int(db.captured)),
                ("refunded_cents", .int(db.refunded)),
                ("fence", fence(db.fence)),
            ]
        case .rewards:
            let db = world.rewards
            return [
                ("points", .array(db.customers.map { .object([("customer", .string($0)), ("points", .int(db.points(of: $0)))]) })),
                ("ledger", .array(db.ledger.map { entry in
                    .object([("order", .string("\(entry.orderId)")), ("customer", .string(entry.customer)),
                             ("points", .int(entry.points)), ("event", .string("\(entry.eventId)")), ("at_ms", .int(entry.at))])
                })),
                ("notifications", .array(db.notifications.map { note in
                    .object([("order", .string("\(note.orderId)")), ("customer", .string(note.customer)), ("at_ms", .int(note.at))])
                })),
            ]
        case .analytics:
            let db = world.analytics
            return [
                ("orders", .int(db.orderCount)), ("successful", .int(db.successful)), ("failed", .int(db.failed)),
                ("revenue_cents", .int(db.revenue)), ("events_seen", .int(db.eventsSeen)),
                ("stream_time_ms", .int(db.streamTime)), ("late_dropped", .int(db.lateDropped)),
                ("payments_passed", .int(db.paymentsPassed)), ("payments_failed", .int(db.paymentsFailed)),
                ("payment_revenue_cents", .int(db.paymentRevenue)),
                ("windows", .array(db.windows.keys.sorted().map { start in
                    .object([("start_ms", .int(start)), ("orders", .int(db.windows[start] ?? 0))])
                })),
            ]
        }
    }

    static func fence(_ log: FenceLog) -> JSONValue {
        .array(log.all.map { mark in
            .object([("order", .string("\(mark.orderId)")), ("kind", .string(mark.kind.rawValue)),
                     ("at_ms", .int(mark.at)), ("refused", .int(mark.refused))])
        })
    }

    // MARK: - Lines for the page

    /// Each service's database as a few short lines, in `ServiceName.allCases` order, at
    /// most `ExportLimits.linesPerService` each.
    public static func lines(_ world: World) -> [[String]] {
        ServiceName.allCases.map { service in
            var out: [String] = []
            let node = world.node(service)
            if !node.isUp { out.append("DOWN (crashed)") } else if node.isPartitioned { out.append("partitioned from the bus") }
            out += serviceLines(service, world)
            if service.emitsEvents {
                let waiting = node.outbox.unpublished
                if !waiting.isEmpty {
                    out.append("outbox: \(waiting.count) unpublished: " + waiting.prefix(4).map { "\($0.event.id) \($0.event.type.rawValue)" }
                        .joined(separator: ", ") + (waiting.count > 4 ? ", ..." : ""))
                }
            }
            let processed = node.processed.count
            if processed > 0 { out.append("processed events: \(processed)") }
            if !node.deadLetters.isEmpty {
                out.append("dead letters: " + node.deadLetters.prefix(4).map { "\($0.id) \($0.typeName)" }.joined(separator: ", ")
                    + (node.deadLetters.count > 4 ? ", ..." : ""))
            }
            if out.isEmpty { out.append("(empty)") }
            let limit = ExportLimits.linesPerService
            if out.count > limit { out = Array(out.prefix(limit - 1)) + ["... and \(out.count - limit + 1) more lines"] }
            return out
        }
    }

    static func serviceLines(_ service: ServiceName, _ world: World) -> [String] {
        let limit = ExportLimits.linesPerService
        switch service {
        case .orders:
            return world.orders.orders.prefix(limit).map { order in
                var line = "\(order.id) \(order.customer) \(order.items.map(\.description).joined(separator: " ")) \(money(order.total)) \(order.status.rawValue)"
                if let saga = world.orders.saga(forOrder: order.id) { line += ", saga \(saga.currentStep.rawValue)" }
                if let execution = world.orders.execution(forOrder: order.id) { line += ", \(execution.id) \(execution.status.rawValue)" }
                return line
            }
        case .inventory:
            let db = world.inventory
            let stock = world.catalog.products.map { product in
                "\(product.id): \(db.available(product.id)) available, \(db.reserved(product.id)) reserved, \(db.sold(product.id)) sold"
            }
            let held = db.reservations.prefix(limit).map { r in
                "\(r.orderId) \(r.isSold ? "sold" : "holds") \(r.items.map(\.description).joined(separator: " "))"
            }
            let marks = db.fence.all.prefix(limit).map { "fence: \($0.orderId) \($0.kind.rawValue)" }
            return stock + held + marks
        case .payment:
            let db = world.payment
            let charges = db.charges.prefix(limit).map { c in
                "\(c.id) \(c.orderId) \(c.customer) \(money(c.amount)) \(c.refunded ? "refunded" : "captured")"
            }
            let marks = db.fence.all.prefix(limit).map { "fence: \($0.orderId) \($0.kind.rawValue)" }
            return (db.charges.isEmpty ? [] : ["captured \(money(db.captured)), refunded \(money(db.refunded))"]) + charges + marks
        case .rewards:
            let db = world.rewards
            let points = db.customers.prefix(limit).map { "\($0): \(db.points(of: $0)) points" }
            let ledger = db.ledger.prefix(limit).map { "\($0.orderId) \($0.points > 0 ? "+" : "")\($0.points) for \($0.eventId)" }
            let notes = db.notifications.prefix(limit).map { "notified \($0.customer) about \($0.orderId)" }
            return points + ledger + notes
        case .analytics:
            let db = world.analytics
            guard db.eventsSeen > 0 else { return [] }
            return ["orders \(db.orderCount), successful \(db.successful), failed \(db.failed)",
                    "revenue \(money(db.revenue)), events consumed \(db.eventsSeen)"]
        }
    }
}
