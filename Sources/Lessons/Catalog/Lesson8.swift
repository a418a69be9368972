import SagaLab

extension LessonCatalog {
    static let orchestration = Lesson(
        number: 8,
        title: "Orchestration: one component runs the saga",
        chapter: "08-choreography-versus-orchestration",
        steps: [
            LessonStep(
                "Until now every saga was a choreography: each service reacted to the previous one's event, and nobody held the whole saga. The Step Functions shop runs it from an AWS Step Functions state machine instead. Switch new orders to the lab's orchestrator, which lives in the orders service.",
                command: "mode orchestration",
                explanation: "From now on the orchestrator starts an execution for each new order when it hears the order's order.created, through the one rule `order.created -> orders (start saga)`. An order already in flight would finish by choreography."),
            LessonStep(
                "An orchestrator has its saga written down. Read it.",
                command: "show saga-definition",
                explanation: "Three steps in order: reserve-inventory (compensatable, undone by release-inventory), process-payment (the pivot, undone by refund-payment) and send-notification (retriable, no compensation: it must succeed). Each step retries States.Timeout, ServiceUnavailable and States.TaskFailed up to 3 times, waiting 1s, then 2s, then 4s. OutOfStock and PaymentDeclined are business answers and go straight to the catch, States.ALL, which compensates in reverse order."),
            LessonStep(
                "Place an order. The API answers exactly as under choreography.",
                command: "order alice prod-1x2",
                explanation: "ord-1 is PENDING for $20.00, with order.created waiting in the orders outbox as evt-1."),
            LessonStep(
                "Run it. Watch for calls and results instead of events.",
                command: "run",
                explanation: "The outbox published evt-1 at 00:30.000 and orders itself received it at 00:30.055, starting exec-1. The orchestrator then called inventory (reserved at 00:30.150), payment (captured $20.00 as ch-1 at 00:30.365) and rewards (notified alice at 00:30.502), each time waiting for the result before the next call. At 00:30.536 ord-1 was CONFIRMED and order.confirmed evt-2 went into the outbox. Only two events reached the bus, and the saga itself took under half a second."),
            LessonStep(
                "The orchestrator keeps a history of each execution, like the Step Functions console.",
                command: "show execution ord-1",
                explanation: "Eight entries: ExecutionStarted with its deadline 02:30.055 (two minutes later), then for each step a TaskScheduled with its timeout five seconds later and a TaskSucceeded with what the participant did, and finally ExecutionSucceeded at 00:30.536."),
            LessonStep(
                "Now give the orchestrator a technical failure, one that may go away: take payment down.",
                command: "crash payment",
                explanation: "Payment is down. Its committed rows survive, and every call to it will fail at once with ServiceUnavailable."),
            LessonStep(
                "Place a second order.",
                command: "order bob prod-2",
                explanation: "ord-2 is PENDING for $25.00, with evt-3 in the outbox."),
            LessonStep(
                "Run it and count the retries.",
                command: "run",
                explanation: "exec-2 reserved prod-2 at 01:30.123, then called payment four times: the first call failed at 01:30.343, and the retries followed after waits of 1s, 2s and 4s, at 01:31.343, 01:33.450 and 01:37.637. With the retries spent, the catch released prod-2 and ord-2 ended FAILED at 01:37.910 with order.failed evt-4. The FAIL line is chapter 4's problem again: rewards gave bob 25 points on order.created, and nothing told it about order.failed."),
            LessonStep(
                "Read the same failure in the execution history.",
                command: "show execution ord-2",
                explanation: "Eighteen entries: four TaskFailed (ServiceUnavailable) separated by RetryScheduled \"retry 1 of 3 after 1s\", \"2 of 3 after 2s\" and \"3 of 3 after 4s\", then CatchTriggered States.ALL, one compensation (release-inventory) and ExecutionFailed. Max attempts 3 counts retries, so there were four calls."),
        ],
        exercise: Exercise(
            task: "Make an orchestrated order FAIL because its payment timed out, although the card was in fact charged, and leave the money balanced: the charge refunded, captured minus refunded equal to the confirmed orders' total, every service running and nothing left in flight.",
            hints: [
                "`reset` and `mode orchestration` give a clean start. `slow payment 6s` makes payment do its work and answer after the 5s step timeout, so every attempt times out.",
                "If payment stays slow, the refund times out as well, and the orchestrator parks it in the orders dead-letter queue (`show dlq`). Make payment fast again with `slow payment off`, then `redrive orders` and `run`.",
            ],
            solution: [
                "reset", "mode orchestration", "subscribe rewards order.failed", "slow payment 6s",
                "order carol prod-1x2", "run quiet", "slow payment off", "redrive orders", "run", "show payments",
            ],
            success: "payment charged the card on a call whose answer came too late; the orchestrator, unsure whether the step had run, refunded it anyway, and the money nets to zero.",
            isSolved: { world in
                world.orders.executions.contains { execution in
                    execution.status == .failed
                        && execution.history.contains { $0.type == "TaskTimedOut" && $0.task == .processPayment }
                        && world.payment.charges.contains { $0.orderId == execution.orderId && $0.refunded }
                }
                    && WorldFacts.settled(world)
                    && WorldFacts.holds("money-balanced", world)
                    && WorldFacts.holds("no-pending", world)
            })
    )
}
