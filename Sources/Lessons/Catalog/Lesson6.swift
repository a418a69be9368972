import SagaLab

extension LessonCatalog {
    static let streamingAnalytics = Lesson(
        number: 6,
        title: "Streaming analytics: windows, late events, duplicates",
        chapter: "06-streaming-analytics",
        steps: [
            LessonStep(
                "The analytics service listens to every event and keeps running totals, plus a count of orders per one-minute window. The windows follow event time, the moment an event was created, not the moment it arrives. Have the bus hold the next order.created back for two minutes.",
                command: "delay 2m next order.created",
                explanation: "Armed: the next order.created published will reach its subscribers two minutes late."),
            LessonStep(
                "Place an order. Its order.created is the one that will be held back.",
                command: "order alice prod-1x2",
                explanation: "ord-1 is created at 00:00, so its event belongs to the window 00:00-01:00."),
            LessonStep(
                "Place a second order in the same minute. Its event travels normally.",
                command: "order bob prod-3",
                explanation: "ord-2 is also created at 00:00: both orders belong to the same window."),
            LessonStep(
                "Run the world.",
                command: "run",
                explanation: "At 00:30 the bus held evt-1 back and delivered evt-2. Bob's saga ran to CONFIRMED at 01:30.036, and each event analytics counted pushed its stream time further. When evt-1 finally arrived at 02:30.079, stream time already stood at 01:30.036, the creation time of evt-5, so the window that ended at 01:00 was closed: analytics counted the order but dropped it from the window. Alice's saga then ran late but correct."),
            LessonStep(
                "Read the analytics service's view.",
                command: "show analytics",
                explanation: "orders counted 2 and revenue $70.00 are right, but the window 00:00-01:00 shows 1 order and \"late, dropped\" is 1. With a grace of 0s a window closes the moment stream time passes its end; `set window-grace` keeps windows open longer, at the price of results that keep changing."),
            LessonStep(
                "Compare with the orders service's own numbers, computed from its table.",
                command: "show metrics",
                explanation: "The 00:00 minute shows 2 orders created. The orders table knows when each order was made; the stream only knows what arrived in time."),
            LessonStep(
                "Duplicates are the other threat to running totals: a sum cannot tell a second copy from a second sale. Analytics guards against them with its processed-events table.",
                command: "show processed analytics",
                explanation: "All eight events analytics consumed are listed by id, evt-1 included, and kept for 7 days. A copy of any of them arriving now would be skipped, so revenue cannot be counted twice while this table is in use."),
        ],
        exercise: Exercise(
            task: "Make analytics report revenue that differs from the total of the confirmed orders, and let the world settle with every service running.",
            hints: [
                "Revenue is added on each order.confirmed analytics applies. What if it applied one twice?",
                "`pattern idempotency off analytics`, then `duplicate next order.confirmed`, place an order and `run`; compare `show analytics` with `show orders`.",
            ],
            solution: ["pattern idempotency off analytics", "duplicate next order.confirmed", "order carol prod-2", "run", "show analytics"],
            success: "analytics' revenue no longer matches the orders it describes, and a running total has no way of noticing.",
            isSolved: { world in
                world.analytics.revenue != world.orders.confirmedTotal && WorldFacts.settled(world)
            })
    )
}
