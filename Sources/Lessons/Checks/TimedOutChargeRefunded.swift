import SagaLab

/// `timed-out-charge-refunded`: an orchestrated order FAILED after its payment call timed
/// out, and the charge the card did get was refunded: the orchestrator, unsure whether
/// the step ran, undid it anyway.
struct TimedOutChargeRefunded: ExerciseCheck {
    static let name = "timed-out-charge-refunded"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool {
        world.orders.executions.contains { execution in
            execution.status == .failed
                && execution.history.contains { $0.type == "TaskTimedOut" && $0.task == .processPayment }
                && world.payment.charges.contains { $0.orderId == execution.orderId && $0.refunded }
        }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "an orchestrated order FAILS after its payment call timed out, with the charge refunded (`show execution`)"
            : "no order failed on a payment timeout with its charge refunded"
    }
}
