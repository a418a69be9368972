import SagaKernel

/// The orders service's API, `POST /orders`, in the orders process. The bridge's REPL is
/// the client: it writes a request row and waits for its answer. The service creates the
/// order, its saga state and the `order.created` outbox row in one transaction, as the
/// simulation's orders API does; `before-commit` fires inside it, `after-commit` after.
struct OrdersDesk {
    let db: Connection
    let clock: ShopClock
    let recorder: TraceRecorder
    let crashPoints: CrashPoints

    /// Answers the oldest open request; false when none waits.
    func answerNext() throws -> Bool {
        let taken = try db.execute("""
            UPDATE orders.requests SET answer = '' WHERE id =
              (SELECT id FROM orders.requests WHERE answer IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id, customer, items
            """)
        guard taken.count > 0, let request = taken.text(0, "id") else { return false }
        let customer = taken.text(0, "customer") ?? ""
        let items = ItemsText.items(taken.text(0, "items") ?? "")
        recorder.record(.api(.request(customer: customer, items: items, key: nil)))
        let total = items.reduce(0) { $0 + (Catalog.price(of: $1.product) ?? 0) * $1.quantity }
        let order: Int32 = try db.transaction {
            let now = String(clock.now)
            let order = Int32(try db.execute("INSERT INTO orders.orders (customer, items, total, created_ms) VALUES ($1, $2, $3, $4) RETURNING id",
                                             [customer, ItemsText.text(items), String(total), now]).int(0, "id") ?? 0)
            try db.execute("INSERT INTO orders.sagas (order_id, current_step) VALUES ($1, 'CREATED')", [String(order)])
            try db.execute("INSERT INTO orders.saga_steps (order_id, name, succeeded, at_ms) VALUES ($1, 'created', true, $2)", [String(order), now])
            let row = StoredRows.EventRow(id: 0, type: .orderCreated, order: order, customer: customer, items: items, amount: total,
                                          reason: nil, createdAt: Millis(clock.now))
            let event = try Handlers(db: db, clock: clock, crashPoints: crashPoints).emit(.orderCreated, after: row)
            try db.execute("UPDATE orders.requests SET order_id = $2 WHERE id = $1", [request, String(order)])
            try recorder.record(.api(.created(order: OrderId(number: order), saga: SagaId(number: order), total: total, outbox: event)),
                                inside: db, order: order, event: event.id.number)
            crashPoints.fire(.beforeCommit, order: order)
            return order
        }
        let orderId = OrderId(number: order)
        crashPoints.fire(.afterCommit, order: order)
        try db.execute("UPDATE orders.requests SET answer = $2 WHERE id = $1", [request, "201 Created: \(orderId) PENDING (\(money(total)))"])
        try db.execute("SELECT pg_notify('answers', '')")
        return true
    }
}
