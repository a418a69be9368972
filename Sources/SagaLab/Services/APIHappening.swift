/// What the orders API and its idempotency keys record in the trace.
public enum APIHappening: Hashable, Sendable {
    /// `POST /orders` reached the API.
    case request(customer: String, items: [OrderItem], key: String?)

    public var kind: TraceEntry.Kind {
        switch self {
        case .request: return .request
        }
    }
}
