import SagaLab

extension LessonCatalog {
    static let compensation = Lesson(
        number: 4,
        title: "Compensation: undoing the steps that succeeded",
        chapter: "04-compensation",
        steps: [
            LessonStep(
                "A saga cannot roll back across databases. When a later step fails, every earlier step that succeeded must be undone by a new transaction of its own. Make the next charge fail.",
                command: "fail payment next",
                explanation: "Armed: payment will decline the next charge it is asked for."),
            LessonStep(
                "Place an order. In the default flow inventory reserves first, so stock is already held when payment declines.",
                command: "order alice prod-1x2",
                explanation: "ord-1 is PENDING for $20.00, with order.created waiting in the outbox as evt-1."),
            LessonStep(
                "Run it and follow the failure back through the saga.",
                command: "run",
                explanation: "Inventory reserved prod-1x2, then payment declined the charge and emitted payment.failed evt-3. Orders marked saga-1 for compensation and cancelled ord-1; its order.cancelled evt-4 made inventory release prod-1x2, while payment had nothing to refund. The FAIL line at 02:30 is a different problem: rewards awarded alice 20 points when the order was created, and nothing took them back."),
            LessonStep(
                "The Kafka shop charges first and reserves afterwards. Switch the flow: the bus rules are rewired, rewards' subscription is kept as it is.",
                command: "flow payment-first",
                explanation: "From now on payment answers order.created and inventory answers payment.completed."),
            LessonStep(
                "This time let inventory fail, after the money is taken.",
                command: "fail inventory next",
                explanation: "Armed: inventory will refuse the next reservation."),
            LessonStep(
                "Place a second order.",
                command: "order bob prod-3",
                explanation: "ord-2 is PENDING for $50.00, with evt-6 in the outbox."),
            LessonStep(
                "Run it.",
                command: "run",
                explanation: "Payment captured $50.00 (ch-1), inventory refused with inventory.reservation.failed evt-8, and orders cancelled ord-2. On order.cancelled evt-9 payment refunded the $50.00: the refund the Kafka shop left unimplemented. Rewards gave bob 50 points on evt-6 at 03:00.113, while nothing was decided yet, and they stay."),
            LessonStep(
                "Ask the lab which business truths still hold.",
                command: "check",
                explanation: "Nine hold: stock was released and the money balances at net $0.00. One is broken: alice holds 20 points and bob 50, but neither has a confirmed order. Rewards listens to order.created, which says nothing about whether the order will succeed."),
        ],
        exercise: Exercise(
            task: "Fix rewards so that `check` passes: it must no longer award points on order.created, and once the world settles there must be at least one cancelled and one confirmed order, with every customer's points matching their confirmed orders.",
            hints: [
                "`show rules` lists what rewards hears. Which event means the order really went through? `unsubscribe` and `subscribe` change the wiring.",
                "`reset` gives a fresh lab; then `unsubscribe rewards order.created`, `subscribe rewards order.confirmed`, place one order after `fail payment next` and one without, `run` and `check`.",
            ],
            solution: [
                "reset", "unsubscribe rewards order.created", "subscribe rewards order.confirmed",
                "fail payment next", "order alice prod-1x2", "run", "order bob prod-3", "run", "check",
            ],
            success: "points now follow order.confirmed, so a cancelled order never earns any.",
            isSolved: { world in
                !world.rules.contains { $0.target == .rewards && $0.eventType == .orderCreated }
                    && WorldFacts.settled(world)
                    && world.orders.orders.contains { $0.status == .cancelled }
                    && world.orders.orders.contains { $0.status == .confirmed }
                    && WorldFacts.holds("points-confirmed-only", world)
            })
    )
}
