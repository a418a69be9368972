/// What an operator does with a saga that stopped half way: find it, and compensate it by
/// hand. The EventBridge shop's troubleshooting section says exactly this for an order
/// that is "neither CONFIRMED nor CANCELLED": find the saga, then trigger compensation.
extension World {
    /// Where one saga stands, for `show sagas`.
    public enum SagaCondition: String, Sendable {
        /// PENDING with something in flight, queued or unpublished that can still move it.
        case moving
        /// PENDING and marked for compensation, but not cancelled yet.
        case compensating
        /// PENDING with nothing anywhere that could move it on.
        case stuck
        /// CONFIRMED, CANCELLED or FAILED.
        case settled
    }

    /// Whether anything in the world can still move `order` on: an agenda item about it,
    /// a delivery held for a crashed or cut-off consumer, an unpublished outbox row, or a
    /// dead letter an operator can redrive. O(work waiting): for views and commands.
    public func canMove(_ order: OrderId) -> Bool {
        if agenda.contains(where: { concerns($0.action, order: order) }) { return true }
        if parked.contains(where: { $0.event.orderId == order }) { return true }
        if deadLetter(aboutOrder: order) != nil { return true }
        return ServiceName.publishers.contains { service in
            node(service).outbox.unpublished.contains { $0.event.orderId == order }
        }
    }

    public func condition(of order: Order) -> SagaCondition {
        guard order.status == .pending else { return .settled }
        if canMove(order.id) { return .moving }
        if orders.saga(forOrder: order.id)?.compensationRequired == true { return .compensating }
        return .stuck
    }

    /// `compensate ORDER`: cancels a stuck choreographed order by hand, as its
    /// `cancel order` handler would have: the saga is marked for compensation, the order
    /// is cancelled, and `order.cancelled` goes out (through the outbox when it is on), so
    /// inventory releases, payment refunds and rewards revokes whatever they hold.
    public mutating func compensate(_ named: String) throws {
        guard let order = orders.order(named: named) else { throw WorldError("no order \(quoted(named))") }
        guard order.status == .pending else {
            throw WorldError("\(order.id) is \(order.status.rawValue): only a PENDING order's saga can be compensated")
        }
        guard order.mode == .choreography else {
            throw WorldError("\(order.id) is orchestrated: its execution compensates by itself")
        }
        guard !canMove(order.id) else {
            throw WorldError("\(order.id) is still moving (`show pending`); compensating now would race it")
        }
        guard node(.orders).isUp else { throw WorldError("orders is down; `restart orders` first") }
        let reason = "compensated by hand: the saga was stuck"
        orders.updateSaga(forOrder: order.id) { saga in
            saga.update(.compensation, succeeded: true, at: now)
            saga.markForCompensation(reason: reason)
            saga.currentStep = .cancelled
        }
        log(.step(.markedForCompensation(saga: order.sagaId, reason: Reason(reason))), .orders, order: order.id)
        orders.updateOrder(order.id) { $0.status = .cancelled; $0.reason = reason; $0.settledAt = now }
        let cancelled = makeEvent(.orderCancelled, orderId: order.id, customer: order.customer, items: order.items,
                                  amount: order.total, reason: reason)
        let viaOutbox = patterns.usesOutbox(.orders)
        if viaOutbox { updateNode(.orders) { $0.outbox.append(cancelled) } }
        log(.step(.cancelled(order: order.id, reason: Reason(reason)), compensated: true, outbox: viaOutbox ? EventRef(cancelled) : nil),
            .orders, order: order.id, event: cancelled.id)
        if !viaOutbox { publishToBus(cancelled) }
        announceInvariants()
    }
}
