import SagaLab

extension LessonCatalog {
    static let dualWrite = Lesson(
        number: 1,
        title: "The dual write and the outbox that closes it",
        chapter: "01-the-dual-write",
        steps: [
            LessonStep(
                "One order touches three databases: orders, inventory and payment. No transaction spans them, so the orders service can only commit its own. Place an order and watch what the API answers.",
                command: "order alice prod-1x2",
                explanation: "The API answered 201 at once, with the order PENDING. One local transaction saved the order, its saga state and an order.created row in the orders outbox. Nothing has left the orders service yet."),
            LessonStep(
                "The event is not on the bus: it waits in the outbox table, in the same database as the order.",
                command: "show outbox",
                explanation: "published: no. The outbox publisher polls every 30 seconds of virtual time and will send it then."),
            LessonStep(
                "Let the world run until nothing is left to do.",
                command: "run",
                explanation: "At 00:30 the publisher sent order.created; inventory reserved stock, payment charged, and orders confirmed on payment.completed. Each service committed only its own transaction, and the events carried the saga from one to the next."),
            LessonStep(
                "Now crash the orders service right after it commits a new order, before it can answer the client.",
                command: "crash orders at after-commit",
                explanation: "The crash is armed: it fires the next time orders passes that point."),
            LessonStep(
                "Place a second order.",
                command: "order bob prod-3",
                explanation: "The client got no response, yet ord-2 was saved, together with its outbox row: the commit happened before the crash."),
            LessonStep(
                "Bring orders back and let the world run.",
                command: "restart orders",
                explanation: "Restarted: the publisher resumes, and the unpublished row is still there because it was committed."),
            LessonStep(
                "Run again.",
                command: "run",
                explanation: "ord-2 is CONFIRMED: with the outbox, a crash after commit delays the event but cannot lose it."),
        ],
        exercise: Exercise(
            task: "Make one order stay PENDING forever using a single crash. (The outbox is what saved ord-2; what happens without it?)",
            hints: [
                "`pattern outbox off` makes the orders service commit first and publish straight to the bus afterwards.",
                "Then arm `crash orders at after-commit`, place an order, `restart orders` and `run`.",
            ],
            solution: ["pattern outbox off", "crash orders at after-commit", "order carol prod-2", "restart orders", "run", "show order ord-3"],
            success: "an order is PENDING and nothing in the world can ever move it on: the dual write lost its event.",
            isSolved: { !WorldFacts.stuckPending($0).isEmpty && WorldFacts.allRunning($0) })
    )
}
