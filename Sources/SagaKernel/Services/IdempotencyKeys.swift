/// The answer the orders API stored for an idempotency key, as the client first received it.
///
/// It is a copy taken at the moment of the first response, so it keeps saying PENDING after
/// the saga has confirmed or cancelled the order (the Step Functions shop's note about its replays).
public struct StoredOrderResponse: Hashable, Sendable {
    public var orderId: OrderId
    public var status: Order.Status
    /// Total in cents.
    public var total: Int
}

/// One row of the orders service's idempotency table: the Step Functions shop's dedicated table, with the
/// fields AWS Lambda Powertools keeps for each key.
///
/// The row is written INPROGRESS before the handler runs (the conditional put that acts as
/// a lock), becomes COMPLETED with the handler's response, and is deleted when the handler
/// fails. A crash in between leaves it INPROGRESS until its in-progress expiry passes.
public struct IdempotencyRecord: Hashable, Sendable {
    /// Powertools' two states: a request holds the key, or its response is stored.
    public enum Status: String, Sendable, HashedByCase {
        case inProgress = "INPROGRESS"
        case completed = "COMPLETED"
    }

    /// The client's key, as sent (`key=K`).
    public var key: String
    /// What the request asked for: the customer and the items, e.g. `alice prod-1x2`.
    /// Powertools keeps a hash of the payload; the lab keeps the text, so views can show it.
    public var payload: String
    public var status: Status
    /// From this moment the record no longer answers for its key.
    public var expiresAt: Millis
    /// From this moment an INPROGRESS record no longer locks its key: Powertools sets it to
    /// the function's deadline, so a request that died mid-way does not block its key forever.
    public var inProgressExpiresAt: Millis
    /// The response to replay; nil while the request is in progress.
    public var response: StoredOrderResponse?

    /// The fingerprint two requests must share to count as the same request.
    public static func payload(customer: String, items: [OrderItem]) -> String {
        ([customer] + items.map(\.description)).joined(separator: " ")
    }

    public func isExpired(at now: Millis) -> Bool { now >= expiresAt }

    /// An INPROGRESS record whose request will never finish, by its in-progress expiry.
    public func isAbandoned(at now: Millis) -> Bool { status == .inProgress && now >= inProgressExpiresAt }

    /// Whether the record still decides what a request with its key gets.
    public func isLive(at now: Millis) -> Bool { !isExpired(at: now) && !isAbandoned(at: now) }
}

/// The orders service's idempotency table, one record per key, kept in its own database so
/// it survives a crash like every other committed row.
public struct IdempotencyStore: Hashable, Sendable {
    /// An order created while a request held a key: the lab's own note, not a column of the
    /// table, so lessons and tests can tell how many orders one key produced.
    public struct KeyedOrder: Hashable, Sendable {
        public var orderId: OrderId
        public var at: Millis
        /// Whether the request that created it took over an INPROGRESS record whose
        /// in-progress expiry had passed, rather than finding no record or an expired one.
        public var tookOverLock: Bool
    }

    /// Records in the order their keys were first written.
    public internal(set) var records: [IdempotencyRecord] = []
    /// Every order created under each key, oldest first.
    public internal(set) var ordersByKey: [String: [KeyedOrder]] = [:]

    public func record(_ key: String) -> IdempotencyRecord? { records.first { $0.key == key } }

    /// Writes the record for its key, replacing an earlier one in place.
    mutating func put(_ record: IdempotencyRecord) {
        if let index = records.firstIndex(where: { $0.key == record.key }) {
            records[index] = record
        } else {
            records.append(record)
        }
    }

    mutating func delete(_ key: String) {
        records.removeAll { $0.key == key }
    }

    mutating func noteOrder(_ orderId: OrderId, key: String, at time: Millis, tookOverLock: Bool) {
        ordersByKey[key, default: []].append(KeyedOrder(orderId: orderId, at: time, tookOverLock: tookOverLock))
    }

    /// Keys that produced a second order while their record was still live: the later
    /// request took over a lock left behind by one that had already created its order.
    public var keysWithDuplicateOrders: [String] {
        ordersByKey.keys.sorted().filter { key in
            let made = ordersByKey[key] ?? []
            return made.count >= 2 && made.dropFirst().contains { $0.tookOverLock }
        }
    }
}

extension World {
    /// Runs the create-order handler under an idempotency key, the way AWS Lambda
    /// Powertools' `@idempotent` does: a live record answers by itself (a replay, a 409 or,
    /// with key validation on, a 422); otherwise a conditional put writes the record
    /// INPROGRESS, the handler runs, and its outcome completes or deletes the record.
    mutating func createOrder(key: String, customer: String, items: [OrderItem]) -> OrderResponse {
        let payload = IdempotencyRecord.payload(customer: customer, items: items)
        let existing = orders.idempotency.record(key)
        if let record = existing, record.isLive(at: now) {
            let stored = record.response?.orderId
            if record.payload != payload {
                guard !patterns.keyValidation else {
                    log(.api(.keyPayloadMismatch(key: key, first: record.payload, now: payload, refused: true)), .orders, order: stored)
                    return .refused(status: 422, reason: "key \(key) was first used with a different payload (\(record.payload)); nothing was created")
                }
                log(.api(.keyPayloadMismatch(key: key, first: record.payload, now: payload, refused: false)), .orders, order: stored)
            }
            guard let response = record.response, record.status == .completed else {
                log(.api(.keyInProgress(key: key, until: record.inProgressExpiresAt)), .orders)
                return .refused(status: 409, reason: "a request with key \(key) is already in progress; retry later")
            }
            log(.api(.keyReplayed(key: key, order: response.orderId)), .orders, order: response.orderId)
            return .replayed(response, key: key)
        }
        let record = IdempotencyRecord(
            key: key, payload: payload, status: .inProgress, expiresAt: now + settings.keyExpiry,
            inProgressExpiresAt: now + settings.keyInProgressExpiry, response: nil)
        orders.idempotency.put(record)
        let replacing = existing.map { old -> APIHappening.KeyTakeover in
            old.isExpired(at: now) ? .expired(at: old.expiresAt) : .inProgressExpired(at: old.inProgressExpiresAt)
        }
        log(.api(.keyLocked(key: key, until: record.inProgressExpiresAt, replacing: replacing)), .orders)
        let tookOverLock = existing.map { !$0.isExpired(at: now) } ?? false
        let ordersBefore = orders.orders.count
        let response = createOrder(customer: customer, items: items)
        for order in orders.orders[ordersBefore...] {
            orders.idempotency.noteOrder(order.id, key: key, at: now, tookOverLock: tookOverLock)
        }
        guard node(.orders).isUp else {
            log(.api(.keyStaysInProgress(key: key, until: record.inProgressExpiresAt)), .orders,
                order: orders.orders.count > ordersBefore ? orders.orders.last?.id : nil)
            return response
        }
        guard case .created(let orderId, let total) = response else {
            orders.idempotency.delete(key)
            log(.api(.keyDeleted(key: key)), .orders)
            return response
        }
        var completed = record
        completed.status = .completed
        completed.expiresAt = now + settings.keyExpiry
        completed.response = StoredOrderResponse(orderId: orderId, status: .pending, total: total)
        orders.idempotency.put(completed)
        log(.api(.keyCompleted(key: key, order: orderId, total: total, until: completed.expiresAt)), .orders, order: orderId)
        return response
    }

    public mutating func setKeyValidation(_ on: Bool) {
        patterns.keyValidation = on
        log(.lab(.keyValidation(on: on)), nil)
    }
}
