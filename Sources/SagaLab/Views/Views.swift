/// The text of every `show` view, `log` and `check`, rendered from a world in a style.
public struct Views {
    public var world: World
    public var style: Style
    /// Asked now and then while a table of many rows is drawn (`show processed` of 100 000
    /// orders has 800 000): true stops it, and the host shows nothing of it.
    public var shouldStop: () -> Bool = { false }

    public init(_ world: World, style: Style) {
        self.world = world
        self.style = style
    }

    /// `row` of each of `items`, asking `shouldStop` every `Table.stride` rows: a million
    /// orders take seconds to turn into rows before the table draws any. Once told to stop,
    /// it returns the rows built so far, which the host, told the same, does not show.
    func rows<Items: Sequence>(of items: Items, _ row: (Items.Element) -> [String]) -> [[String]] {
        var out: [[String]] = []
        out.reserveCapacity(items.underestimatedCount)
        for item in items {
            if out.count % Table.stride == 0, !out.isEmpty, shouldStop() { break }
            out.append(row(item))
        }
        return out
    }

    // MARK: - Trace lines

    /// One trace entry as a log line: `[00:30.042] inventory: reserved prod-1x2 for ord-1`.
    public func line(_ entry: TraceEntry) -> String { TraceLines(style: style).line(entry) }

    public func lines(_ entries: some Sequence<TraceEntry>) -> String { TraceLines(style: style).lines(entries) }

    public func log(order: String?) -> String { log(TraceFilter(order: order)) }

    /// The trace's log lines that `filter` lets through; one line when there are none.
    public func log(_ filter: TraceFilter) -> String {
        // Never stopped, so it never throws.
        (try? log(filter, until: { false })) ?? ""
    }

    /// The same, asking `shouldStop` as it goes (`TraceLines.lines(_:until:interruption:)`).
    func log(_ filter: TraceFilter, until shouldStop: () -> Bool) throws -> String {
        let entries = filter.entries(of: world.trace)
        guard !entries.isEmpty else { return filter.nothing("logged", traceIsEmpty: world.trace.isEmpty) }
        return try TraceLines(style: style).lines(entries, until: shouldStop, interruption: .drawing("log"))
    }

    // MARK: - show

    public func orders() -> String {
        guard !world.orders.orders.isEmpty else { return "no orders yet; try `order alice prod-1x2`" }
        return Table(["order", "customer", "items", "total", "status", "reason"], rows(of: world.orders.orders) { o in
            ["\(o.id)", o.customer, o.items.map(\.description).joined(separator: " "), money(o.total), statusText(o.status), o.reason ?? ""]
        }).render(style, until: shouldStop)
    }

    func statusText(_ status: Order.Status) -> String {
        switch status {
        case .pending: return style.paint(status.rawValue, .yellow)
        case .confirmed: return style.paint(status.rawValue, .green)
        case .cancelled, .failed: return style.paint(status.rawValue, .red)
        }
    }

    /// One order as every database sees it: the place where disagreement shows.
    public func order(_ named: String) throws -> String {
        guard let order = world.orders.order(named: named) else {
            throw WorldError("no order \(quoted(named))\(world.orders.hint(for: named))")
        }
        let id = order.id
        var out = ["\(order.id)  \(order.customer)  \(order.items.map(\.description).joined(separator: " "))  \(money(order.total))"]
        out.append("  orders:    \(statusText(order.status))\(order.reason.map { " (\($0))" } ?? ""), saga \(order.sagaId)"
            + (world.orders.saga(forOrder: id).map { " at \($0.currentStep.rawValue)" } ?? ""))
        let held = world.inventory.reservations(forOrder: id)
        out.append("  inventory: " + (held.isEmpty ? "nothing reserved"
            : held.map { ($0.isSold ? "sold " : "reserved ") + $0.items.map(\.description).joined(separator: " ") }
                .joined(separator: "; ")))
        let charges = world.payment.charges(forOrder: id)
        out.append("  payment:   " + (charges.isEmpty ? "no charge"
            : charges.map { "\($0.id) \(money($0.amount)) \($0.refunded ? "refunded" : "captured")" }.joined(separator: "; ")))
        let points = world.rewards.points(forOrder: id)
        let notices = world.rewards.notifications.filter { $0.orderId == id }.count
        out.append("  rewards:   \(points) points" + (notices == 0 ? "" : notices == 1 ? ", notified once" : ", notified \(notices) times"))
        if let execution = world.orders.execution(forOrder: id) {
            let at = execution.isActive ? " at \(execution.current.rawValue) (attempt \(execution.attempt))" : ""
            out.append("  execution: \(execution.id) \(execution.status.rawValue)\(at)")
        }
        let events = world.knownEventIds.compactMap { world.event($0) }.filter { $0.orderId == id }
        out.append("  events:    " + (events.isEmpty ? "none" : events.map { "\($0.id) \($0.type.rawValue)" }.joined(separator: ", ")))
        let letters = world.deadLetters.filter { $0.orderId == id }
        if !letters.isEmpty {
            out.append("  dlq:       " + letters.map { "\($0.id) \($0.typeName) \($0.eventId) at \($0.service.rawValue)" }.joined(separator: ", "))
        }
        return out.joined(separator: "\n")
    }

    public func saga(_ id: String) throws -> String {
        guard let saga = SagaId(parsing: id).flatMap(world.orders.saga) ?? OrderId(parsing: id).flatMap(world.orders.saga(forOrder:)) else {
            throw WorldError("no saga \(quoted(id)); give a saga id (saga-1) or an order id (ord-1)")
        }
        var out = ["\(saga.sagaId) for \(saga.orderId)",
                   "  currentStep:          \(saga.currentStep.rawValue)",
                   "  compensationRequired: \(saga.compensationRequired)"]
        if let reason = saga.compensationReason { out.append("  compensationReason:   \(reason)") }
        out.append("  steps:")
        let table = Table(["step", "status", "at", "error"], saga.steps.map { step in
            [step.name.rawValue, step.succeeded ? "SUCCESS" : "FAILED", VirtualTime.stamp(step.at), step.error ?? ""]
        })
        out.append(table.render(style, indent: "    ", until: shouldStop))
        return out.joined(separator: "\n")
    }

    public func outbox(_ service: ServiceName?) -> String {
        let services = service.map { [$0] } ?? ServiceName.publishers
        var rows: [[String]] = []
        services: for s in services {
            for row in world.liveOutboxRows(of: s) {
                if rows.count % Table.stride == 0, !rows.isEmpty, shouldStop() { break services }
                rows.append([s.rawValue, "\(row.event.id)", row.event.type.rawValue, "\(row.event.orderId)",
                             VirtualTime.stamp(row.event.createdAt),
                             row.publishedAt.map { "yes at \(VirtualTime.stamp($0))" } ?? style.paint("no", .yellow),
                             "\(row.publishCount)"])
            }
        }
        let off = services.filter { !world.patterns.usesOutbox($0) }.map(\.rawValue)
        let note = off.isEmpty ? "" : "\n(outbox off for \(off.joined(separator: ", ")): new events skip the outbox)"
        guard !rows.isEmpty else { return "the outbox is empty" + note }
        let waiting = services.compactMap(outboxLag).map { "\n" + $0 }.joined()
        return Table(["service", "event", "type", "order", "created", "published", "sends"], rows).render(style, until: shouldStop) + waiting + note
    }

    /// What waits in a service's outbox, in one line, when anything does: how many rows,
    /// the age of the oldest (the outbox lag), and when they can go.
    func outboxLag(_ service: ServiceName) -> String? {
        let outbox = world.node(service).outbox
        let n = outbox.unpublishedCount
        guard n > 0 else { return nil }
        let rows = n == 1 ? "1 row waits" : "\(n) rows wait"
        let lag = "\(service.rawValue) outbox lag \(VirtualTime.duration(outbox.lag(now: world.now))): \(rows)"
        if let stopped = world.publisherStopped(service) { return lag + "; " + style.paint(stopped, .yellow) }
        guard let poll = world.agenda.nextPoll(service) else { return lag }
        return lag + " for the poll at \(VirtualTime.stamp(poll))"
    }

    public func stock() -> String {
        Table(["product", "price", "available", "reserved", "sold", "supplied"], world.catalog.products.map { p in
            [p.id, money(p.price), "\(world.inventory.available(p.id))", "\(world.inventory.reserved(p.id))",
             "\(world.inventory.sold(p.id))", "\(world.inventory.supplied(p.id))"]
        }).render(style, until: shouldStop)
    }

    public func payments() -> String {
        let p = world.payment
        guard !p.charges.isEmpty else { return "no charges yet" }
        return Table(["charge", "order", "customer", "amount", "state"], rows(of: p.charges) { c in
            ["\(c.id)", "\(c.orderId)", c.customer, money(c.amount), c.refunded ? "refunded" : "captured"]
        }).render(style, until: shouldStop) + "\ncaptured \(money(p.captured)), refunded \(money(p.refunded)), net \(money(p.captured - p.refunded))"
    }

    public func points() -> String {
        let r = world.rewards
        guard !r.ledger.isEmpty else { return "no points awarded yet" }
        let totals = Table(["customer", "points"], rows(of: r.customers) { [$0, "\(r.points(of: $0))"] }).render(style, until: shouldStop)
        let ledger = Table(["order", "customer", "points", "for event", "at"], rows(of: r.ledger) { e in
            ["\(e.orderId)", e.customer, "\(e.points)", "\(e.eventId)", VirtualTime.stamp(e.at)]
        }).render(style, until: shouldStop)
        return totals + "\n\nledger:\n" + ledger
    }

    public func analytics() -> String {
        let a = world.analytics
        var out = [
            "orders counted   \(a.orderCount)",
            "successful       \(a.successful)",
            "failed           \(a.failed)",
            "success rate     \(a.successRate.map { percent($0) } ?? "n/a")",
            "revenue          \(money(a.revenue))",
            "events consumed  \(a.eventsSeen)",
            "stream time      \(VirtualTime.stamp(a.streamTime))",
            "late, dropped    \(a.lateDropped)",
            "the Kafka shop's own figures (successful = passed payment):",
            "  successful     \(a.paymentsPassed)",
            "  failed         \(a.paymentsFailed)",
            "  success rate   \(a.paymentSuccessRate.map { percent($0) } ?? "n/a")",
            "  revenue        \(money(a.paymentRevenue)) (payments taken, refunds not deducted)",
            "  last minute    \(a.ordersLastMinute) order\(a.ordersLastMinute == 1 ? "" : "s")",
        ]
        let windows = a.windows.keys.sorted()
        if windows.isEmpty {
            out.append("orders per minute: no windows yet")
        } else {
            out.append("orders per minute (tumbling 1m windows of event time, grace \(VirtualTime.duration(world.settings.windowGrace)), kept 60m):")
            out.append(Table(["window", "orders"], windows.map { start in
                ["\(VirtualTime.stamp(start))-\(VirtualTime.stamp(start + VirtualTime.minute))", "\(a.windows[start] ?? 0)"]
            }).render(style, indent: "  ", until: shouldStop))
        }
        return out.joined(separator: "\n")
    }

    public func processed(_ service: ServiceName?) -> String {
        let services = service.map { [$0] } ?? ServiceName.allCases
        var rows: [[String]] = []
        services: for s in services {
            for row in world.liveProcessedRows(of: s) {
                if rows.count % Table.stride == 0, !rows.isEmpty, shouldStop() { break services }
                rows.append([s.rawValue, row.eventId, row.type, "\(row.orderId)", VirtualTime.stamp(row.processedAt),
                             VirtualTime.stamp(row.processedAt + world.settings.processedTTL)])
            }
        }
        guard !rows.isEmpty else { return "no processed events recorded" }
        return Table(["service", "event", "type", "order", "processed", "expires at"], rows).render(style, until: shouldStop)
    }

    public func events() -> String {
        guard !world.published.isEmpty else { return "no event has reached the bus yet" }
        return Table(["event", "type", "order", "from", "created", "published", "detail"], rows(of: world.published) { entry in
            let e = entry.event
            let detail = e.isMalformed ? "malformed payload" : e.reason ?? (e.type == .paymentCompleted || e.type == .orderConfirmed || e.type == .paymentRefunded ? money(e.amount) : "")
            return ["\(e.id)", e.type.rawValue, "\(e.orderId)", e.source.rawValue, VirtualTime.stamp(e.createdAt),
                    entry.count == 1 ? "once" : "\(entry.count) times", detail]
        }).render(style, until: shouldStop)
    }

    public func rules() -> String {
        "flow: \(world.flow.rawValue)\n" + Table(["event type", "target", "handler", "for"], world.rules.map { r in
            [r.eventType?.rawValue ?? "* (every event)", r.target.rawValue, r.handler.rawValue, r.handler.role.rawValue]
        }).render(style, until: shouldStop)
    }

    public func metrics() -> String {
        let m = Metrics(world)
        var out = [
            "orders created   \(m.created)",
            "confirmed        \(m.confirmed)",
            "cancelled        \(m.cancelled)",
            "success rate     \(m.successRate.map { percent($0) } ?? "n/a")",
            "avg saga time    \(m.averageSagaDuration.map { VirtualTime.duration($0) } ?? "n/a")",
            "outbox lag       " + m.outboxLag.map { "\($0.service.rawValue) \(VirtualTime.duration($0.lag))" }.joined(separator: ", "),
            "failed events    \(m.failedEvents)",
            "dead letters     \(m.deadLetters)" + deadLetterBreakdown,
        ]
        if !m.perMinute.isEmpty {
            out.append("per minute:")
            out.append(Table(["minute", "created", "confirmed", "cancelled"], m.perMinute.map { minute in
                [VirtualTime.stamp(minute.start), "\(minute.created)", "\(minute.confirmed)", "\(minute.cancelled)"]
            }).render(style, indent: "  ", until: shouldStop))
        }
        return out.joined(separator: "\n")
    }

    public func alarms() -> String {
        Table(["alarm", "rule", "now", "state"], Metrics(world).alarms.map { a in
            [a.name, a.rule, a.value, a.firing ? style.paint("ALARM", .red, .bold) : style.paint("ok", .green)]
        }).render(style, until: shouldStop)
    }

    public func settings() -> String {
        var rows = Settings.names.map { ($0.name, Settings.describe($0.name, world.settings.value($0.name) ?? 0)) }
        rows += [
            ("flow", world.flow.rawValue),
            ("mode", world.mode.rawValue),
            ("durable-timers", world.patterns.durableTimers ? "on" : "off"),
            ("outbox", ServiceName.publishers.map { "\($0.rawValue) \(world.patterns.usesOutbox($0) ? "on" : "off")" }.joined(separator: ", ")),
            ("publishers", world.publishers.rawValue),
            ("idempotency", ServiceName.allCases.map { "\($0.rawValue) \(world.patterns.idempotency(of: $0)?.rawValue ?? "custom")" }.joined(separator: ", ")),
            ("concurrency", ServiceName.allCases.map { "\($0.rawValue) \(world.settings.concurrency[$0.index])" }.joined(separator: ", ")),
            ("key-validation", world.patterns.keyValidation ? "on" : "off"),
            ("fence", world.patterns.fence ? "on" : "off"),
            ("restarts", world.settings.restartsAtOnce ? "auto" : "manual"),
            ("consumer retries", world.settings.consumerRetries.arguments),
            ("seed", "\(world.seed)"),
        ]
        let width = (rows.map(\.0.count).max() ?? 0) + 2
        return rows.map { padRight($0.0, width) + $0.1 }.joined(separator: "\n")
    }

    public func faults() -> String {
        var out: [String] = []
        for service in ServiceName.allCases {
            let node = world.node(service)
            if !node.isUp { out.append("\(service.rawValue) is down") }
            if node.isPartitioned { out.append("\(service.rawValue) is partitioned") }
            if world.publishers == .ownProcess, !node.publisherUp { out.append("\(service.publisherName) is down") }
        }
        out += world.armedCrashes.map { "armed: crash \($0.processName) at \($0.point.rawValue)" }
        out += world.armedMessageFaults.map { "armed: \($0.kind.verb) \(world.describe($0.selector))" }
        for (service, extra) in world.slowness.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            out.append("\(service.rawValue) answers the orchestrator \(VirtualTime.duration(extra)) late")
        }
        for service in FailingService.allCases {
            if let mode = world.failures[service], mode != .never { out.append("\(service.rawValue) fails: \(mode.description)") }
        }
        for service in ServiceName.allCases where world.node(service).handlerError != .off {
            out.append("\(service.rawValue) handler errors: \(world.node(service).handlerError.description)")
        }
        if !world.parked.isEmpty {
            let n = world.parked.count
            out.append("\(n) deliver\(n == 1 ? "y waits" : "ies wait") in a queue for a service that is down or partitioned")
        }
        return out.isEmpty ? "no faults: every service is up and nothing is armed" : out.joined(separator: "\n")
    }

    // MARK: - check

    /// The most lines of evidence `check` shows for one invariant; it counts the rest.
    static let evidenceShown = 20

    /// Every invariant, held or broken, with the evidence against each broken one: at
    /// most `evidenceShown` lines, then how many more there are. Empty when `shouldStop`
    /// stopped it.
    public func check() -> String {
        guard let judged = Invariants.evaluate(world, evidenceUpTo: Views.evidenceShown, until: shouldStop) else { return "" }
        let results = judged.map(\.result)
        var out: [String] = []
        for (result, count) in judged {
            switch result.status {
            case .holds: out.append("\(style.pass) \(result.title)")
            case .broken:
                out.append("\(style.fail) \(result.title)")
                out += result.evidence.map { "    \($0)" }
                if count > result.evidence.count { out.append("    ... and \(count - result.evidence.count) more") }
            case .waiting:
                out.append("\(style.paint(style.glyph("…", ".."), .yellow)) \(result.title) (waiting: events still in flight)")
            }
        }
        let broken = results.filter { $0.status == .broken }.count
        let waiting = results.filter { $0.status == .waiting }.count
        var summary = broken == 0 ? "all \(results.count - waiting) checked invariants hold" : "\(broken) of \(results.count) invariants broken"
        if waiting > 0 { summary += "; \(waiting) wait until nothing is in flight (`run`)" }
        out.append(summary)
        return out.joined(separator: "\n")
    }
}
