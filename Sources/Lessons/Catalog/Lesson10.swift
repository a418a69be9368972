import SagaLab

extension LessonCatalog {
    static let idempotencyKeys = Lesson(
        number: 10,
        title: "API idempotency keys and the stuck INPROGRESS record",
        chapter: "10-api-idempotency-keys",
        steps: [
            LessonStep(
                "The Step Functions shop runs its own test script against the orders API. Its first request carries no idempotency key: an ordinary order.",
                command: "order customer-123 prod-1x2",
                explanation: "201 and ord-1, exactly as in every earlier lesson. Without a key the orders service has nothing to recognise a retry by."),
            LessonStep(
                "The second request sends a key, as the Step Functions shop's client does with its x-idempotency-key header.",
                command: "order customer-456 prod-2x2 key=customer-order-001",
                explanation: "Before the handler ran, a conditional put wrote the record for customer-order-001 as INPROGRESS, locking the key until 00:30.000. The handler created ord-2, and the record became COMPLETED with that 201 response, valid until 10:00.000."),
            LessonStep(
                "Send exactly the same request again, as a client does when its first answer was lost.",
                command: "order customer-456 prod-2x2 key=customer-order-001",
                explanation: "The record answered on its own: the same ord-2, marked as a replay. The handler did not run, so there is no new order, saga, outbox row or event."),
            LessonStep(
                "A different key is a different request, even for the same basket.",
                command: "order customer-456 prod-2x2 key=customer-order-002",
                explanation: "ord-3 is a new order with its own record. The key tells the service that a request is repeated; it cannot tell that a purchase is."),
            LessonStep(
                "Let the three sagas finish.",
                command: "run quiet",
                explanation: "Every order went through inventory and payment and is CONFIRMED now, and every invariant holds."),
            LessonStep(
                "Replay the first key once more, now that ord-2 is confirmed.",
                command: "order customer-456 prod-2x2 key=customer-order-001",
                explanation: "Still PENDING, at $50.00: the record stored the first response, not a link to the order. This is the note in the Step Functions shop's README; a client asks GET /orders/{id} for the current state."),
            LessonStep(
                "Look at the idempotency table.",
                command: "show idempotency",
                explanation: "Two COMPLETED records, both live and both expiring at 10:00.000, ten minutes after they were written (key-expiry; Powertools itself defaults to an hour)."),
            LessonStep(
                "Move ten minutes on.",
                command: "advance 10m",
                explanation: "Now 12:00.115. Both records are past their expiry; they stay in the table, but they no longer answer for their keys."),
            LessonStep(
                "Send the first key's request one last time.",
                command: "order customer-456 prod-2x2 key=customer-order-001",
                explanation: "The expired record was replaced: the request ran the handler and created ord-4. A key protects against retries inside its window, and only there."),
        ],
        exercise: Exercise(
            task: "Make one idempotency key produce two orders while its record is still live: the second order must come from a retry that took over an INPROGRESS record, not from an expired one. Then let the world settle with every service running.",
            hints: [
                "A crash between the commit and the COMPLETED write leaves the record INPROGRESS with the order already saved: `crash orders at after-commit`, then a keyed order.",
                "`restart orders`; retries get 409 until the in-progress expiry (30s) passes. `advance 30s`, send the same keyed order again, then `run`.",
            ],
            solution: [
                "crash orders at after-commit", "order bob prod-3 key=pay-7", "restart orders", "order bob prod-3 key=pay-7",
                "advance 30s", "order bob prod-3 key=pay-7", "run quiet", "show payments",
            ],
            success: "the first request's order was saved, its record stayed INPROGRESS, and the retry after the in-progress expiry made a second one.",
            isSolved: { world in
                !world.orders.idempotency.keysWithDuplicateOrders.isEmpty && WorldFacts.settled(world)
            })
    )
}
