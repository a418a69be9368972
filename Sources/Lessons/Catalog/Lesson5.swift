import SagaLab

extension LessonCatalog {
    static let sagaState = Lesson(
        number: 5,
        title: "Saga state: diagnosing a stuck saga",
        chapter: "05-saga-state",
        steps: [
            LessonStep(
                "The orders service keeps a saga-state record beside every order: the current step, each step's result, and whether compensation is required. The EventBridge shop lists three everyday problems it helps with: events that do not publish, events processed twice, and sagas that stop half way. Prepare the third. Cancelling an order takes orders two local transactions, first marking the saga, then cancelling the order; arm a crash between them.",
                command: "crash orders at mid-compensation",
                explanation: "Armed: the next time orders compensates, it will crash after marking the saga and before cancelling the order."),
            LessonStep(
                "Give it something to compensate: a declined payment.",
                command: "fail payment next",
                explanation: "Armed: payment will decline its next charge."),
            LessonStep(
                "Place the order.",
                command: "order alice prod-1x2",
                explanation: "ord-1 is PENDING with saga-1 at CREATED and evt-1 in the outbox."),
            LessonStep(
                "Run until nothing more can happen.",
                command: "run",
                explanation: "Inventory reserved prod-1x2 and payment declined the charge. At 01:30.037 orders marked saga-1 for compensation and crashed before cancelling ord-1. The bus redelivered payment.failed evt-3 at 02:00.037, but orders was down, so it waits in the queue. Of the two FAIL lines, the second names the cause: ord-1 is PENDING because evt-3 waits for orders, which is down."),
            LessonStep(
                "A support engineer sees a PENDING order that should be settled. The saga state says what the orders table does not.",
                command: "show saga ord-1",
                explanation: "currentStep COMPENSATING, compensationRequired true, compensationReason \"Payment failed: card declined\". inventoryReservation SUCCESS at 01:00.108, paymentProcessing FAILED at 01:30.037 and no compensation step yet: the saga knows it must be undone, and nothing has been undone."),
            LessonStep(
                "Now look at the same order in every database.",
                command: "show order ord-1",
                explanation: "orders says PENDING with saga-1 at COMPENSATING, inventory still holds prod-1x2, payment has no charge, and rewards holds 20 points. Each table looks plausible on its own; only the saga record says the order is half way through being undone."),
            LessonStep(
                "The cure for this one is the bus's redelivery: bring orders back.",
                command: "restart orders",
                explanation: "Restarted: the queued payment.failed evt-3 is delivered again."),
            LessonStep(
                "Run again.",
                command: "run",
                explanation: "At 02:00.071 orders handled evt-3 a second time: it had never marked it processed, since the crash came before the transaction that carries the mark. Marking the saga again writes the same values, so handling it twice is harmless. ord-1 is CANCELLED, order.cancelled evt-4 made inventory release prod-1x2, and payment had nothing to refund. `show saga ord-1` now reads CANCELLED with a compensation SUCCESS step."),
        ],
        exercise: Exercise(
            task: "Leave a saga stuck for good: its record says compensationRequired true while its order is still PENDING, every service is running, and nothing is left in flight that could finish the job.",
            hints: [
                "Start as in the steps: arm the crash at mid-compensation, decline a payment, place an order and `run`. What rescued ord-1 was the queued redelivery.",
                "After `restart orders` that redelivery is back on the bus: `drop EVENT-ID` (the payment.failed id from the log) loses it before orders sees it.",
            ],
            solution: [
                "crash orders at mid-compensation", "fail payment next", "order bob prod-3", "run",
                "restart orders", "drop evt-8", "show saga ord-2",
            ],
            success: "the saga says compensate, the order says PENDING, and no event will ever reconcile them: only a job that scans saga states for compensationRequired could find it.",
            isSolved: { world in
                !WorldFacts.stuckCompensations(world).isEmpty && WorldFacts.settled(world)
            })
    )
}
