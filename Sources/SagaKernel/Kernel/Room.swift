/// Room made ahead in the tables that grow with every order, before many orders are
/// placed at once (`order user-1..N`).
///
/// A table grown one row at a time doubles its storage again and again, copying every row
/// into memory the process touches for the first time, which this machine hands out
/// slowly; the storage it leaves behind was touched in vain. Made once, the room is
/// touched only as rows fill it. It changes no row, so no behaviour and no output: room
/// an order does not use costs address space, not memory.
extension World {
    /// Rows a saga's order writes, at most, in a table of this kind, across every design:
    /// events (and so publications, event-store rows and one service's processed marks),
    /// and one service's outbox rows.
    static let eventsPerOrder = 6
    static let outboxRowsPerOrder = 3
    static let fewestOrdersToMakeRoomFor = 1000

    /// About how many bytes of address space `makeRoom(forOrders: n)` reserves.
    public static func roomBytes(forOrders n: Int) -> Int {
        guard n >= fewestOrdersToMakeRoomFor else { return 0 }
        // Each event: an event-store row (a time's difference, about a byte, and a
        // publication's place), its publication and slot, its counts of applications, and
        // a two-byte mark at each consumer. Each published outbox row: room kept whole and
        // compact. Each order: its rows, a charge, a ledger entry, the tables kept by order
        // (64 bytes together) and a sum in each table of points with its arrival.
        let perEvent = 1 + MemoryLayout<Int32>.stride + MemoryLayout<Event>.stride + 4 + MemoryLayout<UInt16>.stride
            + 2 * ServiceName.allCases.count
        let perOutboxRow = MemoryLayout<Outbox.Row>.stride + MemoryLayout<EventId>.stride + 1
        let perOrder = MemoryLayout<Order>.stride + MemoryLayout<SagaState>.stride + MemoryLayout<OrderDetails>.stride
            + eventsPerOrder * perEvent + ServiceName.publishers.count * outboxRowsPerOrder * perOutboxRow
            + MemoryLayout<PaymentDB.Charge>.stride + MemoryLayout<RewardsDB.Entry>.stride + 64
            + 2 * (MemoryLayout<Int>.stride + MemoryLayout<Int32>.stride)
        return n * perOrder
    }

    /// Makes room for `n` more orders' rows, when they are a thousand or more. A few
    /// orders' tables grow at little cost, and they stay tight for the explorer: a copy of
    /// a table that a step appends to keeps the table's room, so a search from a small
    /// world with room made would copy that room into every state.
    public mutating func makeRoom(forOrders n: Int) {
        guard n >= World.fewestOrdersToMakeRoomFor else { return }
        let events = n * World.eventsPerOrder
        let lastEvent = Int(ids.events) + events
        orders.makeRoom(forOrders: n)
        orderDetails.makeRoom(forOrders: n)
        inventory.makeRoom(forOrders: n)
        payment.makeRoom(forOrders: n)
        payment.fence.makeRoom(forOrders: n)
        rewards.makeRoom(forOrders: n)
        eventStore.makeRoom(events: events)
        published.reserveCapacity(published.count + events)
        publishedSlot.value.reserveCapacity(lastEvent + 1)
        applications.makeRoom(lastEvent: lastEvent)
        for index in nodes.indices {
            nodes[index].processed.makeRoom(events, lastEvent: lastEvent)
            if ServiceName.allCases[index].emitsEvents { nodes[index].outbox.makeRoom(n * World.outboxRowsPerOrder) }
        }
    }

    /// Makes room for the points of a range's customers, `prefix` + N for N in `numbers`,
    /// when they are a thousand or more, about to be placed one order each in that order:
    /// the points tables of rewards and of the orders service find them by number, and
    /// hint at where an order's customer's sum sits (`PointsByCustomer.makeRoom`). It
    /// changes no sum, so no behaviour and no output.
    public mutating func makeRoom(forCustomers prefix: String, numbers: ClosedRange<Int>) {
        guard numbers.count >= World.fewestOrdersToMakeRoomFor else { return }
        let firstOrder = OrderId(number: ids.orders + 1)
        orders.makeRoom(customers: prefix, numbers: numbers, firstOrder: firstOrder)
        rewards.makeRoom(customers: prefix, numbers: numbers, firstOrder: firstOrder)
    }
}
