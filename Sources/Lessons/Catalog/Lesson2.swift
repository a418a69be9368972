import SagaLab

extension LessonCatalog {
    static let transactionalOutbox = Lesson(
        number: 2,
        title: "The outbox publisher: lag, polling and resends",
        chapter: "02-transactional-outbox",
        steps: [
            LessonStep(
                "The outbox makes the order and its event one commit. The price is a delay: the event leaves only when the publisher next polls the table. Place an order.",
                command: "order alice prod-1x2",
                explanation: "ord-1 is saved at 00:00 together with outbox row evt-1. The client already has its 201, but no other service knows the order exists."),
            LessonStep(
                "Let twenty seconds of virtual time pass. The publisher polls every 30 seconds, so it has not come round yet.",
                command: "advance 20s",
                explanation: "The clock reads 00:20 and nothing was logged: the row is still waiting for the poll due at 00:30."),
            LessonStep(
                "How long events wait is the outbox lag: the age of the oldest unpublished row. It is the metric that tells you events are not leaving.",
                command: "show metrics",
                explanation: "outbox lag: orders 20s, inventory 0s, payment 0s. A publisher that is down or stuck lets this number grow; the OutboxLag alarm (`show alarms`) fires once it passes 5 minutes."),
            LessonStep(
                "You do not have to wait for the schedule: `publish` runs one poll of a publisher right now.",
                command: "publish orders",
                explanation: "evt-1 went onto the bus at 00:20, ten seconds before the scheduled poll. The poll reads the unpublished rows, hands each to the bus, and only then marks it published, in a second write."),
            LessonStep(
                "That second write is a gap. Arm a crash of the orders publisher between handing an event to the bus and marking its row.",
                command: "crash orders at after-publish",
                explanation: "Armed. The next event the orders publisher sends will reach the bus, but its row will stay unpublished."),
            LessonStep(
                "Run the saga. The next event orders publishes is the order.confirmed at the end.",
                command: "run",
                explanation: "Inventory reserved, payment captured $20.00, and orders confirmed ord-1 with outbox row evt-4. At 01:30 the publisher sent evt-4 and crashed before marking it, yet analytics received it and counted $20.00 of revenue. The FAIL line is the lab's own check: the bus has evt-4, but the orders table still calls its row unpublished."),
            LessonStep(
                "Bring orders back. Its publisher does not know the bus already has evt-4; the table says the row is unpublished.",
                command: "restart orders",
                explanation: "Restarted, with 1 unpublished row to send."),
            LessonStep(
                "Run again and see what the publisher does with that row.",
                command: "run",
                explanation: "At 02:00 evt-4 was published again (copy 2). Analytics received it a second time and skipped it: evt-4 was already in its processed-events table. The outbox promises at least once, never exactly once; the consumers' idempotency turns the resend into a no-op."),
        ],
        exercise: Exercise(
            task: "Make the inventory publisher send one inventory.reserved event twice, and let everything settle with payment charging that order exactly once and no consumer applying any event twice.",
            hints: [
                "`after-publish` is a crash point of every publisher, inventory included: `crash inventory at after-publish`.",
                "Arm it, place a new order, `run`, then `restart inventory` and `run` again; `show events` lists how often each event was published.",
            ],
            solution: ["crash inventory at after-publish", "order bob prod-3", "run", "restart inventory", "run", "show events"],
            success: "the bus carried inventory.reserved twice, and payment's processed-events table kept the second copy from charging again.",
            isSolved: { world in
                let resent = WorldFacts.publishedMoreThanOnce(world, type: .inventoryReserved)
                return !resent.isEmpty
                    && resent.allSatisfy { event in world.payment.charges.filter { $0.orderId == event.orderId }.count == 1 }
                    && WorldFacts.holds("once-per-event", world)
                    && WorldFacts.settled(world)
            })
    )
}
