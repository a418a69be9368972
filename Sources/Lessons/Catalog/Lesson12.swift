import SagaLab

extension LessonCatalog {
    static let undoArrivesFirst = Lesson(
        number: 12,
        title: "When the undo arrives first",
        chapter: "04-compensation",
        steps: [
            LessonStep(
                "A compensation is a message like any other, and nothing on the network keeps it behind the action it undoes. Start with every pattern on, so that rewards follows order.confirmed and only one rule can break in this lesson.",
                command: "pattern all on",
                explanation: "Outbox, idempotency, durable timers, key validation and the fence are on, and rewards now hears order.confirmed instead of order.created."),
            LessonStep(
                "Switch the fence off, to see what it is for.",
                command: "pattern fence off",
                explanation: "Inventory and payment no longer remember which orders they rolled back. An undo that finds nothing to undo leaves no trace."),
            LessonStep(
                "Let the orchestrator in orders run new sagas, as the Step Functions shop does.",
                command: "mode orchestration",
                explanation: "From now on orders calls inventory, payment and rewards in turn, and compensates in reverse order when a step fails or the saga runs out of time."),
            LessonStep(
                "Give every saga a deadline of 10ms: shorter than any call takes to reach inventory.",
                command: "set saga-deadline 10ms",
                explanation: "A saga that is not finished 10ms after it starts is compensated. The deadline will fire while the reserve call is still on its way."),
            LessonStep(
                "Place an order.",
                command: "order alice prod-1x2",
                explanation: "ord-1 is PENDING for $20.00, with order.created in the orders outbox as evt-1."),
            LessonStep(
                "Do the next three things the world would do.",
                command: "step 3",
                explanation: "The publisher sent evt-1; the orchestrator started exec-1 and called inventory to reserve. Ten milliseconds later the deadline fired, and exec-1 began compensating: it called inventory to release the stock. Two calls about ord-1 are now in flight, the reserve ahead of the release."),
            LessonStep(
                "You are the network now. See what could happen next.",
                command: "show pending",
                explanation: "The reserve call is due at 00:30.114 and the release at 00:30.140, but the network owes nobody that order. Number 3 is the release."),
            LessonStep(
                "Deliver the release first.",
                command: "pick 3",
                explanation: "The release arrived before anything was reserved: inventory found nothing to release for ord-1 and answered SUCCESS. With the fence off, nothing records that this order's reservation has already been undone."),
            LessonStep(
                "The orchestrator can undo a reserve that succeeds late, but only if it hears the answer. Take orders down before the answers come back.",
                command: "crash orders",
                explanation: "Orders is down. Its executions and their timers are rows in its database, so exec-1 survives, but the answers on their way to it will be lost."),
            LessonStep(
                "Let the network deliver the rest.",
                command: "run",
                explanation: "The reserve call arrived after its own undo, and inventory reserved prod-1x2 for ord-1. Both answers were lost with orders down. The lab reports ord-1 PENDING, since its orchestrator is stopped."),
            LessonStep(
                "Bring orders back.",
                command: "restart orders",
                explanation: "exec-1 resumes from its record, still waiting for the release's answer until 00:35.045. It never learns that the reserve succeeded."),
            LessonStep(
                "Run to the end.",
                command: "run",
                explanation: "The release timed out and was retried; inventory recognised the call and answered with its first result. ord-1 is FAILED, and when the world fell quiet the lab found inventory still holding prod-1x2 for it: the late reserve stands, and nothing in the shop will ever release it."),
            LessonStep(
                "Check the rules.",
                command: "check",
                explanation: "One broken: a reservation held for a failed order. The undo ran, correctly, and was overtaken by the action it undid. The cure is the fence: a mark left by the rollback, even an empty one, so that the late try is refused. The exercise has you watch it work."),
        ],
        exercise: Exercise(
            task: "With the fence on, make a compensation overtake the action it undoes, by picking it first, and let the world settle with every invariant holding and a fence mark that refused the late try. You may lose the answers too, as above: with the fence, it does not matter.",
            hints: [
                "`reset`, then `pattern all on` (the fence comes on with it), `mode orchestration`, `set saga-deadline 10ms` and an order. `step 3` brings both calls into flight; `show pending` numbers them.",
                "`pick` the release, then `run` (with `crash orders` before it and `restart orders` after, if you like). `show fence` should list an empty rollback with one late try refused.",
            ],
            solution: [
                "reset", "pattern all on", "mode orchestration", "set saga-deadline 10ms", "order bob prod-3",
                "step 3", "pick 3", "crash orders", "run", "restart orders", "run quiet", "show fence", "check",
            ],
            success: "the release found nothing and left an empty-rollback mark; the late reserve met the mark and was refused, so no stock is held for the failed order.",
            isSolved: { world in
                world.patterns.fence
                    && !WorldFacts.fenceMarksThatRefused(world).isEmpty
                    && Invariants.evaluate(world).allSatisfy { $0.status == .holds }
                    && WorldFacts.settled(world)
            })
    )
}
