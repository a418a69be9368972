/// The participants' business steps, shared by both ways of running a saga: the
/// choreography handlers wrap them in events, the orchestrator's tasks in replies.
extension World {
    /// What one business step did.
    struct StepOutcome {
        /// True when business state changed (a reservation, a charge, a release, a refund).
        var succeeded: Bool
        var result: StepResult
        /// Why a step failed (`insufficient stock`, `card declined`): interned, so that an
        /// outcome holds no reference (a text was destroyed through the runtime's generic
        /// witnesses at every charge and reservation).
        var why: Reason?
        /// The amount refunded, for a refund.
        var amount: Int?
    }

    /// Inventory reserves every line of the order, or nothing; with the fence on, nothing
    /// for an order whose reservation was already rolled back.
    mutating func reserve(_ order: Event) -> StepOutcome {
        if patterns.fence, inventory.fence.mark(order.orderId) != nil {
            inventory.fence.refuse(order.orderId)
            return StepOutcome(succeeded: false, result: .suspended(.reservation, order: order.orderId),
                               why: .rolledBackAlready)
        }
        if injectedFailure(.inventory) {
            return StepOutcome(succeeded: false, result: .reservationFailedByInjection(order: order.orderId),
                               why: .injectedFailure)
        }
        let items = details(of: order).items
        // Each product once, where it first appears, with every line of it summed: no
        // table of what is wanted to build and free at every reservation.
        for (index, item) in items.enumerated() where !items[..<index].contains(where: { $0.product == item.product }) {
            let product = item.product
            let quantity = items[index...].reduce(0) { $1.product == product ? $0 + $1.quantity : $0 }
            let have = inventory.available(product)
            if have < quantity {
                return StepOutcome(succeeded: false,
                                   result: .cannotReserve(quantity: quantity, product: product, order: order.orderId, available: have),
                                   why: .insufficientStock)
            }
        }
        inventory.reserve(items, for: order.orderId, event: order.id, at: now)
        return StepOutcome(succeeded: true, result: .reserved(items, order: order.orderId))
    }

    /// Inventory puts back everything held for the order; nothing held, nothing to do.
    /// With the fence on, either way leaves a fence mark against a late reserve.
    mutating func release(_ orderId: OrderId) -> StepOutcome {
        let held = inventory.release(orderId)
        let marked = patterns.fence
            && inventory.fence.record(held.isEmpty ? .emptyRollback : .rolledBack, order: orderId, at: now)
        guard !held.isEmpty else {
            return StepOutcome(succeeded: false, result: marked ? .emptyRollback(.reservation, order: orderId)
                                                                : .nothingReserved(order: orderId))
        }
        return StepOutcome(succeeded: true, result: .released(held.flatMap(\.items), order: orderId))
    }

    /// Payment captures the order's total, unless the card is declined; with the fence on,
    /// nothing for an order whose charge was already rolled back.
    mutating func charge(_ order: Event) -> StepOutcome {
        if patterns.fence, payment.fence.mark(order.orderId) != nil {
            payment.fence.refuse(order.orderId)
            return StepOutcome(succeeded: false, result: .suspended(.charge, order: order.orderId),
                               why: .rolledBackAlready)
        }
        if injectedFailure(.payment) {
            return StepOutcome(succeeded: false, result: .declined(amount: order.amount, order: order.orderId),
                               why: .cardDeclined)
        }
        let chargeId = nextChargeId()
        payment.capture(.init(id: chargeId, orderId: order.orderId, customer: details(of: order).customer,
                                     amount: order.amount, refunded: false, at: now))
        return StepOutcome(succeeded: true, result: .captured(amount: order.amount, order: order.orderId, charge: chargeId))
    }

    /// Payment refunds every open charge of the order; no charge, nothing to do. With the
    /// fence on, either way leaves a fence mark against a late charge.
    mutating func refund(_ orderId: OrderId) -> StepOutcome {
        let total = payment.refundAll(forOrder: orderId)
        let marked = patterns.fence
            && payment.fence.record(total == nil ? .emptyRollback : .rolledBack, order: orderId, at: now)
        guard let total else {
            return StepOutcome(succeeded: false, result: marked ? .emptyRollback(.charge, order: orderId)
                                                                : .noChargeToRefund(order: orderId))
        }
        return StepOutcome(succeeded: true, result: .refunded(amount: total, order: orderId), amount: total)
    }

    /// Rewards sends the customer the notice that the order went through.
    mutating func notify(_ order: Event) -> StepOutcome {
        let customer = details(of: order).customer
        rewards.notifications.append(.init(orderId: order.orderId, customer: customer, at: now))
        return StepOutcome(succeeded: true, result: .notified(customer: customer, order: order.orderId))
    }
}

extension Reason {
    /// Why a business step failed, each interned once.
    static let rolledBackAlready = Reason("rolled back already")
    static let injectedFailure = Reason("injected failure")
    static let insufficientStock = Reason("insufficient stock")
    static let cardDeclined = Reason("card declined")
}
