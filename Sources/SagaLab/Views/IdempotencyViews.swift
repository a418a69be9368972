/// The views of the orders service's idempotency table and of the answers only keys produce.
extension Views {
    /// `show idempotency`: the orders service's idempotency table, expired rows included
    /// (like a DynamoDB TTL, expiry is checked in code and the row lingers).
    public func idempotencyKeys() -> String {
        let records = world.orders.idempotency.records
        guard !records.isEmpty else { return "no idempotency records; `order CUSTOMER ITEM... key=K` writes one" }
        let now = world.now
        return Table(["key", "status", "order", "payload", "expires at", "in progress until", "state"], records.map { r in
            let state: String
            if r.isExpired(at: now) {
                state = style.paint("expired", .dim)
            } else if r.isAbandoned(at: now) {
                state = style.paint("abandoned", .yellow)
            } else {
                state = style.paint("live", .green)
            }
            return [r.key, r.status.rawValue, r.response.map { "\($0.orderId)" } ?? "-", r.payload, VirtualTime.stamp(r.expiresAt),
                    r.status == .inProgress ? VirtualTime.stamp(r.inProgressExpiresAt) : "-", state]
        }).render(style, until: shouldStop)
    }

    /// The client's line for the answers only idempotency keys produce.
    func keyAnswer(_ response: OrderResponse) -> String? {
        switch response {
        case .replayed(let stored, let key):
            let original = "201 Created: \(stored.orderId) \(stored.status.rawValue) (\(money(stored.total)))"
            return style.paint("\(original), replayed for key \(key); nothing new was created", .green)
        case .refused(let status, let reason):
            let title = status == 409 ? "Conflict" : "Unprocessable"
            return style.paint("\(status) \(title): \(reason)", .red)
        default:
            return nil
        }
    }
}
