extension StepResult {
    /// The step in words: `reserved prod-1x2 for ord-1`.
    public var text: String {
        switch self {
        case .reserved(let items, let order): return "reserved \(items.words) for \(order)"
        case .cannotReserve(let quantity, let product, let order, let available):
            return "cannot reserve \(quantity) of \(product) for \(order): \(available) available"
        case .reservationFailedByInjection(let order): return "reservation for \(order) failed (injected failure)"
        case .released(let items, let order): return "released \(items.words) held for \(order)"
        case .nothingReserved(let order): return "nothing reserved for \(order)"
        case .sold(let items, let order): return "sold \(items.words) reserved for \(order)"
        case .nothingToSell(let order): return "nothing reserved for \(order) to mark sold"
        case .captured(let amount, let order, let charge): return "captured \(money(amount)) for \(order) (\(charge))"
        case .declined(let amount, let order): return "charge of \(money(amount)) for \(order) declined"
        case .refunded(let amount, let order): return "refunded \(money(amount)) for \(order)"
        case .noChargeToRefund(let order): return "no charge to refund for \(order)"
        case .emptyRollback(let step, let order):
            let nothing = step == .reservation ? "nothing reserved" : "no charge to refund"
            return "\(nothing) for \(order): empty rollback, fenced"
        case .suspended(let step, let order): return "late \(step.rawValue) for \(order) refused: fenced (suspension)"
        case .notified(let customer, let order): return "notified \(customer) that \(order) is confirmed"
        case .awarded(let customer, let points, let order): return "awarded \(points) points to \(customer) for \(order)"
        case .revoked(let customer, let points, let order): return "revoked \(points) points from \(customer) for \(order)"
        case .noPointsToRevoke(let order): return "no points to revoke for \(order)"
        case .counted(let type): return "counted \(type.rawValue)"
        case .countedConfirmed(let revenue): return "counted order.confirmed: revenue \(money(revenue))"
        case .reported(let report):
            let rate = report.successRate.map { " (\(percent($0)))" } ?? ""
            return "report: \(report.orders) orders, \(report.successful) paid\(rate), \(report.failed) failed, "
                + "\(money(report.revenue)), \(report.lastMinute) last minute"
        case .countedTooLate(let start):
            return "counted order.created; too late for window \(VirtualTime.stamp(start)): dropped from it"
        case .noOrder(let order): return "no order \(order): ignored"
        case .alreadySettled(let order, let status, let type): return "\(order) is already \(status.rawValue): \(type.rawValue) ignored"
        case .nothingToCancel(let order, let status): return "\(order) is already \(status.rawValue): nothing to cancel"
        case .sagaStepSucceeded(let saga, let step): return "saga \(saga): \(step.rawValue) SUCCESS"
        case .confirmed(let order): return "\(order) CONFIRMED"
        case .markedForCompensation(let saga, let reason): return "saga \(saga) marked for compensation: \(reason)"
        case .cancelled(let order, let reason): return "\(order) CANCELLED (\(reason))"
        case .executionAlreadyRuns(let execution, let order): return "\(execution) already runs the saga of \(order): ignored"
        case .notPendingNoSaga(let order): return "\(order) is not PENDING: no saga to start"
        case .executionStarted(let execution, let order, let steps):
            return "started \(execution) for \(order): " + steps.map(\.rawValue).joined(separator: " -> ")
        case .executionSucceeded(let order, let execution): return "\(order) CONFIRMED; \(execution) SUCCEEDED"
        case .executionFailed(let order, let reason, let execution): return "\(order) FAILED (\(reason)); \(execution) FAILED"
        }
    }
}

extension [OrderItem] {
    /// `prod-1x2 prod-3`, as the `order` command takes them.
    var words: String { map(\.description).joined(separator: " ") }
}
