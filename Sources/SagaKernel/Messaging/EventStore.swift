/// The event store of the Boong saga: a durable, append-only table of every event the
/// services put on the broker, in the order they were stored. A service stores an event
/// and then publishes it, as the Boong saga's diagrams draw it, so a row is appended
/// exactly where an event goes onto the bus (`publishToBus`): with the outbox on, when the
/// publisher sends the row; with it off, straight after the local commit.
///
/// What never reached the bus never reached the store either (a crash between the commit
/// and a direct publish loses both), and an event the outbox publisher sends twice is
/// stored twice: two rows with the same event id and their own versions. The bus's
/// `duplicate` fault copies deliveries, not rows. The store survives every crash: it is
/// not any one service's process.
///
/// Appending costs O(1) amortised; the queries read every row.
public struct EventStore: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        /// 1 for the first row stored, then 2, 3...: the store's own order.
        public var sequence: Int
        /// When it was stored (virtual time).
        public var time: Millis
        public var event: Event
        /// The row's place in its order's stream, 1, 2, 3..., as an event store versions an
        /// aggregate's stream; 0 for a malformed event, which belongs to no order.
        public var version: Int32

        /// The service that emitted it.
        public var service: ServiceName { event.source }
    }

    /// Which rows a query wants: one order's stream, one service's events, or one type.
    public enum Filter: Hashable, Sendable {
        case order(OrderId)
        case service(ServiceName)
        case type(EventType)

        public func matches(_ row: Row) -> Bool {
            switch self {
            case .order(let id): return row.event.orderId == id
            case .service(let service): return row.service == service
            case .type(let type): return row.event.type == type
            }
        }
    }

    /// Every row, oldest first.
    public private(set) var rows: [Row] = []
    /// How many rows each order's stream holds: the last version handed out.
    private var versions = ByOrder<Int32>(empty: 0)
    /// False for a store that keeps nothing: the explorer's worlds. Only `rebuild` reads
    /// the store, and no schedule rebuilds, so their steps need not copy its rows.
    public private(set) var keepsRows = true

    /// A store that keeps no row (see `keepsRows`).
    public static var keepingNothing: EventStore {
        var store = EventStore()
        store.keepsRows = false
        return store
    }

    /// Hints at the version the next event of `order` will read (`World.prefetchRows`).
    @inline(__always)
    func prefetch(_ order: OrderId) { versions.prefetch(order) }

    public init() {}

    /// Makes room for `events` more rows from `orders` more orders.
    mutating func makeRoom(events: Int, orders: Int) {
        guard keepsRows else { return }
        rows.reserveCapacity(rows.count + events)
        versions.makeRoom(forOrders: orders)
    }

    mutating func append(_ event: Event, at time: Millis) {
        guard keepsRows else { return }
        var version: Int32 = 0
        if event.orderId != .none { versions.update(event.orderId) { $0 += 1; version = $0 } }
        rows.append(Row(sequence: rows.count + 1, time: time, event: event, version: version))
    }

    /// The rows a query matches (every row without a filter), oldest first.
    public func rows(_ filter: Filter?) -> [Row] {
        guard let filter else { return rows }
        return rows.filter(filter.matches)
    }

    /// The event ids that appear in more than one of `rows`, in the order of their first
    /// row, with how many rows each has.
    public static func repeated(in rows: [Row]) -> [(id: EventId, rows: Int)] {
        var counts: [Int32] = []
        var order: [EventId] = []
        for row in rows {
            let n = Int(row.event.id.number)
            counts.grow(toInclude: n, with: 0)
            counts[n] += 1
            if counts[n] == 2 { order.append(row.event.id) }
        }
        return order.map { ($0, Int(counts[Int($0.number)])) }
    }
}
