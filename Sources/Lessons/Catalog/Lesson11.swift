import SagaLab

extension LessonCatalog {
    static let handlerRace = Lesson(
        number: 11,
        title: "Write the handler, then race it",
        chapter: "11-races-and-exploring",
        steps: [
            LessonStep(
                "A consumer's handler is a short list of steps, and where its transactions begin and end matters as much as the steps. The EventBridge shop's inventory handler reads the processed-events table, reserves, publishes its event, and only then writes the mark: four separate awaits. Write it down as a recipe.",
                command: "recipe inventory check effect publish mark ack",
                explanation: "Spaces separate stages, and each stage is a transaction, a read or a send of its own. `publish` sends inventory's event straight to the bus, as that handler does, instead of writing it to the outbox. Nothing has run yet: the recipe applies to the next deliveries inventory takes."),
            LessonStep(
                "Real consumers work on several messages at once. Let inventory take two deliveries at a time.",
                command: "set concurrency inventory 2",
                explanation: "With concurrency above 1, each stage of the recipe takes one round trip (10ms), and the stages of two deliveries can interleave. With one delivery at a time the four stages ran back to back, so only a crash could fall between them."),
            LessonStep(
                "The bus delivers at least once. Arm a duplicate of the next order.created, as a broker does when an acknowledgement is slow.",
                command: "duplicate next order.created",
                explanation: "Armed: each subscriber of the next order.created gets it twice. No crash is armed, and none will be."),
            LessonStep(
                "Place an order.",
                command: "order alice prod-1x2",
                explanation: "ord-1 is PENDING for $20.00; its order.created waits in the orders outbox as evt-1."),
            LessonStep(
                "Run it and follow inventory's two deliveries of evt-1 line by line.",
                command: "run",
                explanation: "The first delivery checked the table at 00:30.045 and found no mark. The copy arrived at 00:30.055 and checked at 00:30.065, while the first was publishing, so it found no mark either. Both went on and reserved prod-1x2; the first marked evt-1 at 00:30.075, too late to stop the copy, whose own mark then simply failed. Two reservations made two events, evt-2 and evt-3, and payment charged twice. Rewards and analytics each applied evt-1 once: their marks commit with their effects."),
            LessonStep(
                "Ask the lab which rules broke.",
                command: "check",
                explanation: "Three rules broke, and the first is the one that started it: inventory applied order.created evt-1 twice. Nothing crashed. Two deliveries of one event were simply in progress at once, and the check and the mark were separate writes."),
            LessonStep(
                "You found this race because you armed the duplicate at the right moment. `explore` looks for such schedules itself. Start again from a fresh lab.",
                command: "reset",
                explanation: "A fresh world with the same seed: the recipe, the concurrency and the order are gone."),
            LessonStep(
                "Write the same handler again.",
                command: "recipe inventory check effect publish mark ack",
                explanation: "The EventBridge shop's recipe, as in the first step."),
            LessonStep(
                "Two deliveries at a time again.",
                command: "set concurrency inventory 2",
                explanation: "The same setting as before. No duplicate is armed this time."),
            LessonStep(
                "Place the order, and stop there.",
                command: "order alice prod-1x2",
                explanation: "ord-1 is PENDING with evt-1 in the outbox. Nothing else has happened."),
            LessonStep(
                "Now let the lab try every order in which the pending work could happen, with one fault of its choice added.",
                command: "explore",
                explanation: "After a few hundred states it found the invariant broken, and printed a minimal way there as lab commands: publish evt-1, duplicate it, then hand inventory the original and the copy at once, so both are in progress together. Four actions, no crash. The world itself is unchanged: `explore` works on copies."),
            LessonStep(
                "Fix the handler: put the mark in the effect's transaction, and let the event go through the outbox (`emit`) in that transaction too.",
                command: "recipe inventory check effect+emit+mark ack",
                explanation: "Now the reservation, its event and the mark commit together or not at all. A copy that checks before the first commits goes on, but its own mark is a conditional write: it finds the mark and rolls back the whole transaction, reservation included."),
            LessonStep(
                "Search again.",
                command: "explore",
                explanation: "Every schedule within the budget, with any one fault, keeps every invariant: the search ran out of states to try (exhausted). The duplicate still happens in some of them; it just changes nothing."),
        ],
        exercise: Exercise(
            task: "Write a recipe of your own for inventory that applies an event once even when two deliveries of it are in progress together. Then, with inventory's concurrency at 2 or more, make a copy of an order.created reach inventory, and let the world settle with every order decided and no event applied twice.",
            hints: [
                "The mark must commit with the effect. `check effect+emit+mark ack` does that; so does `mark+effect+emit ack`, which writes the mark first: the conditional write itself is the check.",
                "`reset`, `recipe inventory mark+effect+emit ack`, `set concurrency inventory 2`, `duplicate next order.created`, place an order and `run`.",
            ],
            solution: [
                "reset", "recipe inventory mark+effect+emit ack", "set concurrency inventory 2",
                "duplicate next order.created", "order bob prod-3", "run", "check",
            ],
            success: "the copy reached inventory before the first delivery was acknowledged, and its mark found the first one's: the conditional write rolled its transaction back, so prod-3 was reserved once.",
            isSolved: { world in
                let recipe = world.patterns.recipes.recipe(.inventory, for: .orderCreated)
                return recipe.contains(.effect) && recipe.stage(of: .mark) == recipe.effectStage
                    && world.settings.concurrency[ServiceName.inventory.index] >= 2
                    && WorldFacts.copyReached(.inventory, type: .orderCreated, world)
                    && WorldFacts.holds("once-per-event", world)
                    && !world.orders.orders.isEmpty
                    && world.orders.orders.allSatisfy { $0.status != .pending }
                    && WorldFacts.settled(world)
            })
    )
}
