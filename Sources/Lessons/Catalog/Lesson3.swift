import SagaLab

extension LessonCatalog {
    static let idempotentConsumers = Lesson(
        number: 3,
        title: "Idempotent consumers and the check-then-act trap",
        chapter: "03-idempotent-consumers",
        steps: [
            LessonStep(
                "Every consumer here keeps a processed-events table. By default the mark is written in the same transaction as the effect. Switch inventory to the other way, the one the EventBridge shop's handler uses: check the table, apply the effect, then mark the event, as three separate writes.",
                command: "pattern idempotency check-then-act inventory",
                explanation: "Only inventory changed. Orders, payment, rewards and analytics still commit the mark together with the effect."),
            LessonStep(
                "The bus delivers at least once. Ask it to deliver the next order.created twice, as a broker does after a lost acknowledgement.",
                command: "duplicate next order.created",
                explanation: "Armed: the next order.created will reach each of its subscribers twice."),
            LessonStep(
                "Now arm a crash of inventory after its effect commits and before it marks the event processed.",
                command: "crash inventory at after-effect",
                explanation: "Armed. Under check-then-act that point falls between the second write and the third."),
            LessonStep(
                "Place an order. Its order.created carries both faults.",
                command: "order alice prod-1x2",
                explanation: "ord-1 is PENDING with outbox row evt-1; the faults act once evt-1 is on the bus."),
            LessonStep(
                "Run it.",
                command: "run",
                explanation: "Inventory reserved prod-1x2 at 00:30.035, then crashed before marking evt-1; the copy and the redelivery due at 01:00.035 both wait in its queue. Rewards and analytics each received evt-1 twice and applied only the first arrival (for analytics, the copy), because their mark commits with the effect. With nothing else able to move, the lab judges the eventual invariants: alice holds points for an unconfirmed order (lesson 4's subject), ord-1 is PENDING, and inventory's row evt-2 is unpublished."),
            LessonStep(
                "Bring inventory back. Its processed-events table is empty: the crash came before the mark.",
                command: "restart inventory",
                explanation: "Restarted: the 2 queued deliveries resume and the publisher will send the unpublished row."),
            LessonStep(
                "Run again.",
                command: "run",
                explanation: "The copy of evt-1 found no mark, so inventory reserved prod-1x2 a second time and only then marked evt-1; the redelivery after it was skipped. The second reservation emitted a new event, evt-3, so payment's idempotency could not recognise it and captured $20.00 twice (ch-1, ch-2). The lab reports three broken invariants."),
            LessonStep(
                "Look at the order across all five databases.",
                command: "show order ord-1",
                explanation: "ord-1 is CONFIRMED for $20.00, yet inventory holds prod-1x2 twice and payment captured two charges. One duplicate inside inventory became two events downstream. Had inventory kept `pattern idempotency on`, the reservation and the mark would have committed together, and the copy arriving after the restart would have been skipped."),
        ],
        exercise: Exercise(
            task: "Switch inventory's idempotency off entirely, then make inventory reserve a new order twice, and let the world settle with every service running. No crash is needed this time.",
            hints: [
                "`pattern idempotency off inventory`: every delivery then runs the handler, and nothing is ever marked.",
                "A duplicated delivery is enough: `duplicate next order.created`, then place an order and `run`.",
            ],
            solution: ["pattern idempotency off inventory", "duplicate next order.created", "order bob prod-3", "run", "show order ord-2"],
            success: "with no processed-events table at all, a single duplicate delivery reserved the order twice.",
            isSolved: { world in
                world.patterns.idempotency(of: .inventory) == .off
                    && !WorldFacts.reservedTwiceUnmarked(world).isEmpty
                    && WorldFacts.settled(world)
            })
    )
}
