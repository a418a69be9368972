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
///
/// A row keeps its event as the place of the bus's publication that holds it, so the
/// queries read the rows through the world (`World.storedEvents`).
public struct EventStore: Hashable, Sendable {
    /// A row as a query returns it.
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

    /// Each row as the store keeps it, in two columns: when it was stored (a difference
    /// from the row before, a byte or so: `TimeColumn`), and which of the bus's
    /// publications holds its event. Some five bytes a row where the event itself would
    /// take 24: every event of a million orders is stored, and the bus keeps it already
    /// (an event sent twice is one publication, and the same event, in two rows). A row's
    /// version is its place among its order's rows, which reading the rows in order counts
    /// (`forEachRow`): no count per order to find and raise as each event is stored,
    /// anywhere in a table of a million.
    private var times = TimeColumn()
    private var publications: [Int32] = []
    /// False for a store that keeps nothing: the explorer's worlds. Only `rebuild` reads
    /// the store, and no schedule rebuilds, so their steps need not copy its rows.
    public private(set) var keepsRows = true

    /// A store that keeps no row (see `keepsRows`).
    public static var keepingNothing: EventStore {
        var store = EventStore()
        store.keepsRows = false
        return store
    }

    public init() {}

    /// How many rows the store holds.
    public var count: Int { publications.count }

    /// The rows room is kept for (`makeRoom`).
    var capacity: Int { publications.capacity }

    /// Makes room for `events` more rows.
    mutating func makeRoom(events: Int) {
        guard keepsRows else { return }
        times.reserveCapacity(events)
        publications.reserveCapacity(publications.count + events)
        publications.prefaultRoom()
    }

    /// Stores `event`, which `published[publication]` holds.
    mutating func append(_ event: Event, publication: Int, at time: Millis) {
        guard keepsRows else { return }
        times.append(time)
        publications.append(Int32(publication))
        publications.prefaultAhead(grewFrom: publications.count - 1)
    }

    /// The event of row `index` (0 for the first), read from `published`, the bus's
    /// publications of the world this store belongs to.
    func event(at index: Int, in published: [Event]) -> Event { published[Int(publications[index])] }

    /// Every row in store order, each with its version: its place among its order's rows,
    /// counted as they are read (0 for a malformed event, which belongs to no order).
    private func forEachRow(in published: [Event], _ body: (Row) -> Void) {
        var versions: [Int32] = []
        for (index, time) in times.enumerated() {
            let event = published[Int(publications[index])]
            var version: Int32 = 0
            if event.orderId != .none {
                let order = event.orderId.index
                versions.grow(toInclude: order, with: 0)
                versions[order] += 1
                version = versions[order]
            }
            body(Row(sequence: index + 1, time: time, event: event, version: version))
        }
    }

    /// The rows a query matches (every row without a filter), oldest first.
    func rows(_ filter: Filter?, in published: [Event]) -> [Row] {
        var rows: [Row] = []
        forEachRow(in: published) { row in
            if filter?.matches(row) ?? true { rows.append(row) }
        }
        return rows
    }

    /// What `show event-store` prints of a query: how many rows it matches, the last `n` of
    /// them, and the events stored more than once among them, read without keeping every
    /// row (a million orders store some four million).
    func summary(_ filter: Filter?, in published: [Event], last n: Int) -> Summary {
        var summary = Summary()
        var counts: [Int32] = []
        var order: [EventId] = []
        forEachRow(in: published) { row in
            guard filter?.matches(row) ?? true else { return }
            summary.count += 1
            let id = Int(row.event.id.number)
            counts.grow(toInclude: id, with: 0)
            counts[id] += 1
            if counts[id] == 2 { order.append(row.event.id) }
        }
        summary.repeated = order.map { ($0, Int(counts[Int($0.number)])) }
        var matched = 0
        let total = summary.count
        var last: [Row] = []
        forEachRow(in: published) { row in
            guard filter?.matches(row) ?? true else { return }
            matched += 1
            if matched > total - n { last.append(row) }
        }
        summary.last = last
        return summary
    }

    /// A query's rows as `show event-store` prints them (`summary`).
    public struct Summary {
        public var count = 0
        /// The last rows, oldest first.
        public var last: [Row] = []
        /// Events stored more than once, in the order of their first row, with their rows.
        public var repeated: [(id: EventId, rows: Int)] = []
    }
}

extension World {
    /// The event store's rows a query matches (every row without a filter), oldest first,
    /// each with its event from the bus's publications.
    public func storedEvents(_ filter: EventStore.Filter? = nil) -> [EventStore.Row] {
        eventStore.rows(filter, in: published.events)
    }

    /// What `show event-store` prints of a query (`EventStore.summary`).
    public func storedEventsSummary(_ filter: EventStore.Filter?, last n: Int) -> EventStore.Summary {
        eventStore.summary(filter, in: published.events, last: n)
    }
}
