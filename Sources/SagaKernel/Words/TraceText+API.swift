extension APIHappening {
    var text: String {
        switch self {
        case .request(let customer, let items, let key):
            return "POST /orders \(customer) \(items.map(\.description).joined(separator: " "))" + (key.map { " key=\($0)" } ?? "")
        case .refusedWhileDown: return "orders is down: request refused"
        case .rolledBack: return "transaction rolled back: nothing saved"
        case .failedByInjection: return "create-order failed with an injected error: nothing saved"
        case .created(let order, let saga, let total, let outbox):
            let saved = outbox.map { "order, \(saga) and outbox row \($0.id) \($0.type.rawValue)" } ?? "order and \(saga)"
            return "created \(order) PENDING (\(money(total))): saved \(saved)"
        case .publishFailed(let e):
            return "publishing \(e.type.rawValue) \(e.id) failed: the bus is unreachable; the event is lost"
        case .keyPayloadMismatch(let key, let first, let now, let refused):
            return "idempotency key \(key): first used for \(first), now for \(now); "
                + (refused ? "refused (422)" : "key-validation off: unnoticed")
        case .keyInProgress(let key, let until):
            return "idempotency key \(key): INPROGRESS until \(VirtualTime.stamp(until)); refused (409)"
        case .keyReplayed(let key, let order):
            return "idempotency key \(key): COMPLETED; replayed the response of \(order), created nothing"
        case .keyLocked(let key, let until, let replacing):
            var why = ""
            switch replacing {
            case .expired(let at)?: why = "the record expired at \(VirtualTime.stamp(at)); "
            case .inProgressExpired(let at)?: why = "the in-progress expiry passed at \(VirtualTime.stamp(at)); "
            case nil: break
            }
            return "idempotency key \(key): \(why)INPROGRESS until \(VirtualTime.stamp(until))"
        case .keyStaysInProgress(let key, let until):
            return "idempotency key \(key): stays INPROGRESS until \(VirtualTime.stamp(until)) (the request never finished)"
        case .keyDeleted(let key): return "idempotency key \(key): deleted (the request failed)"
        case .keyCompleted(let key, let order, let total, let until):
            return "idempotency key \(key): COMPLETED with \(order) PENDING (\(money(total))) until \(VirtualTime.stamp(until))"
        }
    }
}
