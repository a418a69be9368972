/// What the orders API and its idempotency keys record in the trace.
public enum APIHappening: Hashable, Sendable {
    /// `POST /orders` reached the API.
    indirect case request(customer: String, items: [OrderItem], key: String?)
    /// The orders service is down: the request was refused.
    case refusedWhileDown
    /// A crash before the commit rolled the create-order transaction back.
    case rolledBack
    /// An injected failure made the create-order handler fail.
    case failedByInjection
    /// The order (PENDING, total in cents) and its saga state were saved, with the
    /// `order.created` outbox row when the outbox is on.
    case created(order: OrderId, saga: SagaId, total: Int, outbox: EventRef?)
    /// With the outbox off, the service could not reach the bus: the event is lost.
    case publishFailed(EventRef)
    /// A live key came with a different payload: refused (422) with key validation on,
    /// unnoticed with it off.
    indirect case keyPayloadMismatch(key: String, first: String, now: String, refused: Bool)
    /// A live INPROGRESS record holds the key: refused (409).
    indirect case keyInProgress(key: String, until: Millis)
    /// A COMPLETED record answered with the stored response of its order.
    indirect case keyReplayed(key: String, order: OrderId)
    /// The conditional put wrote the record INPROGRESS, replacing an old record if any.
    indirect case keyLocked(key: String, until: Millis, replacing: KeyTakeover?)
    /// The service went down mid-request: the record stays INPROGRESS.
    indirect case keyStaysInProgress(key: String, until: Millis)
    /// The request failed: the record was deleted.
    indirect case keyDeleted(key: String)
    /// The request succeeded: the record stores the response (total in cents).
    indirect case keyCompleted(key: String, order: OrderId, total: Int, until: Millis)

    /// Why a new INPROGRESS record could replace the key's old one.
    public enum KeyTakeover: Hashable, Sendable {
        /// The old record expired at this time.
        case expired(at: Millis)
        /// The old INPROGRESS record's in-progress expiry passed at this time.
        case inProgressExpired(at: Millis)
    }

    public var kind: TraceEntry.Kind {
        switch self {
        case .request: return .request
        case .created, .keyLocked, .keyDeleted, .keyCompleted: return .commit
        case .keyReplayed: return .skip
        case .refusedWhileDown, .rolledBack, .failedByInjection, .publishFailed, .keyPayloadMismatch,
             .keyInProgress, .keyStaysInProgress:
            return .note
        }
    }
}
