import SagaLab

extension LessonCatalog {
    static let failureAtScale = Lesson(
        number: 7,
        title: "Failure at scale: rates, metrics and alarms",
        chapter: "07-failure-at-scale",
        seed: 3,
        steps: [
            LessonStep(
                "The Kafka shop charges the customer first and reserves stock afterwards. Switch the lab to that flow.",
                command: "flow payment-first",
                explanation: "The bus is rewired: payment answers order.created, inventory answers payment.completed, and an inventory failure now has money to give back."),
            LessonStep(
                "Its demo made payment fail 30% of the time. Set the same rate; the lab draws each outcome from its seeded generator, so a replay gives the same results.",
                command: "fail payment 30%",
                explanation: "From now on roughly three charges in ten are declined."),
            LessonStep(
                "Inventory failed 20% of the time in that demo. The rates compound: an order survives both with probability 0.7 x 0.8, only 56%.",
                command: "fail inventory 20%",
                explanation: "Both failure rates are set (`show faults` lists them)."),
            LessonStep(
                "Place a first order.",
                command: "order alice prod-1x2",
                explanation: "ord-1 is PENDING for $20.00."),
            LessonStep(
                "And a second one.",
                command: "order bob prod-3",
                explanation: "ord-2 is PENDING for $50.00."),
            LessonStep(
                "At scale nobody reads every line. `run quiet` runs until nothing is left to do and prints only what broke.",
                command: "run quiet",
                explanation: "26 steps, and one line printed: lesson 4's broken invariant, alice holding 20 points for an order that was not confirmed. So ord-1 was cancelled; inventory refused it after the charge, and because money still balances, payment refunded the $20.00 (`show payments` shows it)."),
            LessonStep(
                "The EventBridge shop's dashboard reads the orders table. See what two orders tell it.",
                command: "show metrics",
                explanation: "2 created, 1 confirmed, 1 cancelled: a success rate of 50.0%, with 1 failed event on the bus. The average saga time, 1m30.065s, is bob's confirmed order alone. Two orders are far too few to tell a 56% shop from a 50% one."),
            LessonStep(
                "The alarms use the same numbers.",
                command: "show alarms",
                explanation: "HighCompensationRate is in ALARM at 50.0%, over its 10% threshold. FailedSagas counts sagas that needed compensation, and EventProcessingFailure the failure events: 1 each, below their threshold of more than 5. OutboxLag is 0s."),
        ],
        exercise: Exercise(
            task: "Run the Kafka shop's load test: with the flow and both failure rates left as they are, bring the shop to at least 20 orders and let them settle, until the FailedSagas alarm fires while the money still balances.",
            hints: [
                "Place orders with different customers and products, then `run quiet` once at the end. `show alarms` shows how far FailedSagas is from its threshold.",
                "At about 44% cancelled, around fourteen orders give six compensated sagas. The Kafka shop's script placed twenty; if FailedSagas is still quiet after that, keep going.",
            ],
            solution: [
                "order carol prod-2", "order dave prod-1", "order erin prod-3", "order frank prod-1x3",
                "order grace prod-2x2", "order heidi prod-1", "order ivan prod-3", "order judy prod-2",
                "order alice prod-1", "order bob prod-2", "order carol prod-3", "order dave prod-1x2",
                "order erin prod-2", "order frank prod-1", "order grace prod-3", "order heidi prod-2",
                "order ivan prod-1x2", "order judy prod-3", "order alice prod-2", "order bob prod-1",
                "run quiet", "show alarms", "show metrics",
            ],
            success: "under the Kafka shop's failure rates the compensated sagas pile up past FailedSagas' threshold, and every refund kept the money balanced.",
            isSolved: { world in
                world.flow == .paymentFirst
                    && world.failures[.payment] == .percent(30)
                    && world.failures[.inventory] == .percent(20)
                    && world.orders.orders.count >= 20
                    && WorldFacts.alarmFiring("FailedSagas", world)
                    && WorldFacts.holds("money-balanced", world)
                    && WorldFacts.settled(world)
            })
    )
}
