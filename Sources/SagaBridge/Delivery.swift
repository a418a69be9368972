import SagaKernel

/// One row of a consumer's queue as the consumer took it: the event it carries (the whole
/// order travels with it, as in the simulation) and how often it was handed out.
struct QueuedDelivery {
    var queueId: Int
    var event: StoredRows.EventRow
    var handler: Handler
    var attempt: Int
    var isCopy: Bool

    static let columns = "id, event_id, type, order_id, customer, items, amount, reason, created_ms, handler, attempt, is_copy"

    init?(_ rows: Rows, _ i: Int) {
        guard let id = rows.int(i, "id"), let eventId = rows.int(i, "event_id"),
              let type = rows.text(i, "type").flatMap(EventType.init(rawValue:)),
              let handler = rows.text(i, "handler").flatMap(Handler.init(rawValue:)) else { return nil }
        queueId = id
        event = StoredRows.EventRow(
            id: Int32(eventId), type: type, order: Int32(rows.int(i, "order_id") ?? 0), customer: rows.text(i, "customer") ?? "",
            items: ItemsText.items(rows.text(i, "items") ?? ""), amount: rows.int(i, "amount") ?? 0,
            reason: rows.text(i, "reason"), createdAt: Millis(rows.int(i, "created_ms") ?? 0))
        self.handler = handler
        attempt = rows.int(i, "attempt") ?? 1
        isCopy = rows.bool(i, "is_copy")
    }

    var ref: EventRef { EventRef(type: event.type, id: EventId(number: event.id)) }
    var orderId: OrderId { OrderId(number: event.order) }
}

/// Reads an event row (an outbox's or a queue's) from a query's result.
extension StoredRows.EventRow {
    init?(_ rows: Rows, _ i: Int) {
        guard let id = rows.int(i, "event_id"), let type = rows.text(i, "type").flatMap(EventType.init(rawValue:)) else { return nil }
        self.init(id: Int32(id), type: type, order: Int32(rows.int(i, "order_id") ?? 0), customer: rows.text(i, "customer") ?? "",
                  items: ItemsText.items(rows.text(i, "items") ?? ""), amount: rows.int(i, "amount") ?? 0,
                  reason: rows.text(i, "reason"), createdAt: Millis(rows.int(i, "created_ms") ?? 0))
    }
}
