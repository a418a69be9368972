import SagaLab

extension LessonCatalog {
    static let retriesAndDeadLetters = Lesson(
        number: 9,
        title: "Retries, dead letters and redrive",
        chapter: "09-retries-and-dead-letters",
        steps: [
            LessonStep(
                "A declined card is an answer, and the saga compensates it. A database timeout is no answer at all: the same handler may well succeed a moment later, so a consumer retries it. Ask the lab how its consumers retry.",
                command: "retry consumers",
                explanation: "NServiceBus's defaults: five immediate retries straight away, then three delayed retries that wait 10s, 20s and 30s, and after that the message goes to the consumer's own dead-letter queue. The first line is itself a command: `retry consumers` with other values changes the policy. (`retry` alone also lists the orchestrator's step policies, chapter 8's subject.)"),
            LessonStep(
                "Now take inventory's database away. Make its handler throw a technical error on every delivery, inside its own transaction.",
                command: "fail inventory error always",
                explanation: "Armed for inventory only. Unlike `fail inventory next`, nothing is declined: the handler never gets as far as deciding. Every attempt rolls back, so no stock moves, no outbox row is written and evt-1 is never marked processed."),
            LessonStep(
                "Place an order. Its order.created will reach inventory first of all.",
                command: "order alice prod-1x2",
                explanation: "ord-1 is PENDING for $20.00, with order.created waiting in the outbox as evt-1."),
            LessonStep(
                "Run it, and count inventory's attempts.",
                command: "run",
                explanation: "At 00:30.035 the first try and five immediate retries failed in the same millisecond. The delayed retries came at 00:40.035, 01:00.035 and 01:30.035, 10s, 20s and 30s apart. After the ninth attempt inventory moved evt-1 to its dead-letter queue as dl-1. Rewards and analytics handled the same event at 00:30.055 and 00:30.079 without waiting: alice already holds 20 points for an order that is stuck, and the lab says so."),
            LessonStep(
                "Inventory gave up. Look at its dead-letter queue.",
                command: "show dlq",
                explanation: "dl-1 keeps what an operator needs: the event, its order, nine attempts, the error and when inventory gave up. It is not work the world will do by itself, which is why `run` stopped and the DeadLetters alarm in `show alarms` is red."),
            LessonStep(
                "The database is back. Switch the fault off first: a redrive before the fix would only go round the retries again.",
                command: "fail inventory error off",
                explanation: "Inventory's handler works again. Nothing has happened to dl-1 yet: a dead letter waits until someone sends it back."),
            LessonStep(
                "Send inventory's dead letters back to its queue.",
                command: "redrive inventory",
                explanation: "dl-1 is back in inventory's queue with a fresh attempt count. Had the fault still been on, it would have had all nine attempts again and returned as a new dead letter."),
            LessonStep(
                "Run again.",
                command: "run quiet",
                explanation: "The reservation committed this time, and the saga carried on to the end at 03:00.036. No FAIL line: the two rules broken while evt-1 waited hold again."),
            LessonStep(
                "Check the order across the five databases.",
                command: "show order ord-1",
                explanation: "CONFIRMED, one reservation, one charge of $20.00 and 20 points: exactly what the order would have had without the outage, only a minute later. None of the nine failed attempts left anything behind, because each one rolled back inside its transaction."),
        ],
        exercise: Exercise(
            task: "Change the consumers' retry policy so that a failing delivery is tried exactly three times in all, the last try 30 seconds after the first. Then make rewards' handler throw on every delivery, place an order for carol, and let the world settle with carol's order.created waiting in the rewards dead-letter queue after those three attempts.",
            hints: [
                "Immediate retries take no time; delayed retry n waits delay x n after the failure before it. Three tries in all means two retries.",
                "`retry consumers immediate=0 delayed=2 delay=10s` is one answer (waits of 10s and 20s); `immediate=1 delayed=1 delay=30s` is another. Then `fail rewards error always`, `order carol prod-3` and `run`.",
            ],
            solution: ["retry consumers immediate=0 delayed=2 delay=10s", "fail rewards error always", "order carol prod-3", "run quiet", "show dlq rewards"],
            success: "carol's order.created was tried three times over 30 seconds and then set aside, while her order went on without it. She is owed 50 points until someone fixes rewards and redrives it.",
            isSolved: { world in
                let policy = world.settings.consumerRetries
                let waits = (0..<policy.delayed).reduce(0) { $0 + policy.wait(beforeDelayed: $1 + 1) }
                return policy.immediate + policy.delayed == 2
                    && waits == 30 * VirtualTime.second
                    && world.node(.rewards).deadLetters.contains { letter in
                        letter.attempts == 3 && letter.error == World.handlerErrorText
                            && world.orders.order(letter.orderId)?.customer == "carol"
                    }
                    && WorldFacts.settled(world)
            })
    )
}
