/// The business truths a correct saga keeps, checked against the world's real state.
///
/// Safety invariants must hold at every moment. Eventual ones (money, points, analytics,
/// nothing left PENDING) may be briefly false while events are in flight, so they are
/// judged only when the world is quiet: when `run` would have nothing left to do.
public enum Invariants {
    public enum Status: Hashable, Sendable { case holds, broken, waiting }

    public struct Result: Hashable, Sendable {
        public var id: String
        public var title: String
        public var status: Status
        public var evidence: [String]
    }

    public static let titles: [(id: String, title: String)] = [
        ("stock-non-negative", "stock never negative"),
        ("stock-conserved", "stock conserved: available + reserved = supplied"),
        ("once-per-event", "no consumer applied one event twice"),
        ("reservations-released", "no reservation held for a cancelled or failed order"),
        ("reservation-exact", "each confirmed order holds exactly its own items"),
        ("money-balanced", "captured - refunded = confirmed orders' total"),
        ("points-confirmed-only", "points only for confirmed orders"),
        ("analytics-accurate", "analytics revenue and counts equal the orders' truth"),
        ("no-pending", "no order left PENDING"),
        ("outbox-drained", "no committed outbox row left unpublished"),
    ]

    /// Invariants judged only when nothing is in flight.
    static let eventual: Set<String> = [
        "reservations-released", "reservation-exact", "money-balanced", "points-confirmed-only",
        "analytics-accurate", "no-pending", "outbox-drained",
    ]

    public static func evaluate(_ world: World) -> [Result] {
        let quiet = !world.hasWork
        let index = quiet ? Index(world) : nil
        return titles.map { entry in
            if index == nil && eventual.contains(entry.id) {
                return Result(id: entry.id, title: entry.title, status: .waiting, evidence: [])
            }
            let evidence = check(entry.id, world, index ?? .empty)
            return Result(id: entry.id, title: entry.title, status: evidence.isEmpty ? .holds : .broken, evidence: evidence)
        }
    }

    /// Lookups built once per evaluation, so a check costs O(orders), not O(orders²).
    struct Index {
        var reservations: [String: [InventoryDB.Reservation]] = [:]
        var points: [String: Int] = [:]
        var earned: [String: Int] = [:]
        var customers: [String] = []

        static let empty = Index()

        init() {}

        init(_ w: World) {
            for reservation in w.inventory.reservations { reservations[reservation.orderId, default: []].append(reservation) }
            for entry in w.rewards.ledger {
                if points[entry.customer] == nil { customers.append(entry.customer) }
                points[entry.customer, default: 0] += entry.points
            }
            for order in w.orders.orders where order.status == .confirmed {
                if points[order.customer] == nil && earned[order.customer] == nil { customers.append(order.customer) }
                earned[order.customer, default: 0] += order.total / 100
            }
        }
    }

    /// The evidence against an invariant (empty: it holds).
    static func check(_ id: String, _ w: World, _ index: Index) -> [String] {
        // Only the eventual checks need these, and only when the world is quiet.
        var confirmed: [Order] { w.orders.orders.filter { $0.status == .confirmed } }
        var confirmedTotal: Int { w.orders.confirmedTotal }
        switch id {
        case "stock-non-negative":
            return (Catalog.productIds.compactMap { p in
                let n = w.inventory.available[p] ?? 0
                return n < 0 ? "\(p) has \(n) available" : nil
            })
        case "stock-conserved":
            return (Catalog.productIds.compactMap { p in
                let available = w.inventory.available[p] ?? 0
                let reserved = w.inventory.reserved(p)
                let supplied = w.inventory.supplied[p] ?? 0
                return available + reserved == supplied ? nil
                    : "\(p): \(available) available + \(reserved) reserved != \(supplied) supplied"
            })
        case "once-per-event":
            let twice = w.applications.filter { $0.value > 1 }.sorted { lhs, rhs in
                (idNumber(lhs.key), lhs.key) < (idNumber(rhs.key), rhs.key)
            }
            return (twice.map { key, count in
                let parts = key.split(separator: "/")
                let service = parts.first.map(String.init) ?? key
                let id = parts.last.map(String.init) ?? key
                let times = count == 2 ? "twice" : "\(count) times"
                let token = id.split(separator: ":")
                if w.event(id) == nil, token.count == 2 {
                    return "\(service) ran \(token[1]) for \(token[0]) \(times)"
                }
                return "\(service) applied \(w.event(id)?.type.rawValue ?? "event") \(id) \(times)"
            })
        case "reservations-released":
            return (w.orders.orders.filter { $0.status.isUnsuccessful }.compactMap { order in
                let held = index.reservations[order.id] ?? []
                return held.isEmpty ? nil : "\(order.id) is \(order.status.rawValue) but inventory still holds "
                    + held.flatMap(\.items).map(\.description).joined(separator: " ")
            })
        case "reservation-exact":
            return (confirmed.compactMap { order in
                let held = index.reservations[order.id] ?? []
                if held.count == 1, held[0].items == order.items { return nil }
                if held.isEmpty { return "\(order.id) is CONFIRMED but holds no reservation" }
                return "\(order.id) is CONFIRMED and holds \(held.count) reservations: "
                    + held.flatMap(\.items).map(\.description).joined(separator: " ")
            })
        case "money-balanced":
            let net = w.payment.captured - w.payment.refunded
            return (net == confirmedTotal ? [] : [
                "captured \(money(w.payment.captured)) - refunded \(money(w.payment.refunded)) = \(money(net)), "
                    + "confirmed total \(money(confirmedTotal))",
            ])
        case "points-confirmed-only":
            return (index.customers.compactMap { customer in
                let held = index.points[customer] ?? 0
                let owed = index.earned[customer] ?? 0
                return held == owed ? nil : "\(customer) holds \(held) points, confirmed orders earn \(owed)"
            })
        case "analytics-accurate":
            let a = w.analytics
            let cancelled = w.orders.orders.filter { $0.status.isUnsuccessful }.count
            var evidence: [String] = []
            if a.revenue != confirmedTotal { evidence.append("analytics revenue \(money(a.revenue)), confirmed total \(money(confirmedTotal))") }
            if a.orderCount != w.orders.orders.count { evidence.append("analytics counts \(a.orderCount) orders, orders has \(w.orders.orders.count)") }
            if a.successful != confirmed.count { evidence.append("analytics counts \(a.successful) successful, \(confirmed.count) confirmed") }
            if a.failed != cancelled { evidence.append("analytics counts \(a.failed) failed, \(cancelled) cancelled") }
            return (evidence)
        case "no-pending":
            return (w.orders.orders.filter { $0.status == .pending }.map { order in
                "\(order.id) is PENDING " + stuckBecause(order.id, w)
            })
        case "outbox-drained":
            return (ServiceName.publishers.flatMap { service in
                w.node(service).outbox.unpublished.map { row in
                    "\(service.rawValue) outbox row \(row.event.id) \(row.event.type.rawValue) unpublished"
                        + (w.node(service).isUp ? "" : " (\(service.rawValue) is down)")
                }
            })
        default:
            return ([])
        }
    }

    /// Why nothing moves an order on: a dead letter, a queue waiting for a service, an unpublished row, or nothing at all.
    static func stuckBecause(_ orderId: String, _ w: World) -> String {
        if let letter = w.deadLetter(aboutOrder: orderId) {
            if case .sagaStep(let execution, let task, _) = letter.message {
                return "(\(execution)'s \(task.rawValue) failed for good and waits in the orders dead-letter queue as \(letter.id))"
            }
            return "(\(letter.typeName) \(letter.eventId) sits in the \(letter.service.rawValue) dead-letter queue as \(letter.id))"
        }
        if let execution = w.orders.execution(forOrder: orderId), execution.isActive {
            let at = "\(execution.id) is at \(execution.current.rawValue)"
            if !w.node(.orders).isUp { return "(\(at); orders is down, so its orchestrator is stopped)" }
            return "(\(at) with no timer left to wake it: its timers were lost with a crash)"
        }
        if let held = w.parked.first(where: { $0.event.orderId == orderId }) {
            let state = w.node(held.target).isUp ? "partitioned" : "down"
            return "(\(held.event.type.rawValue) \(held.event.id) waits for \(held.target.rawValue), which is \(state))"
        }
        for service in ServiceName.publishers {
            if let row = w.node(service).outbox.unpublished.first(where: { $0.event.orderId == orderId }) {
                let state = w.node(service).isUp ? "partitioned" : "down"
                return "(\(row.event.type.rawValue) \(row.event.id) sits unpublished in the \(service.rawValue) outbox; \(service.rawValue) is \(state))"
            }
        }
        return "with nothing left in flight that could move it on"
    }
}
