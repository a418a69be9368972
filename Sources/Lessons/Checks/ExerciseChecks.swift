/// The registry of named checks a lesson's exercise can use, in the order chapter 15
/// documents them. Adding one is a file in this folder and a line here.
public enum ExerciseChecks {
    public static let all: [any ExerciseCheck.Type] = [
        Settled.self,
        AllRunning.self,
        InvariantHolds.self,
        AllInvariants.self,
        OrderStatusSeen.self,
        OrdersAtLeast.self,
        AllOrdersDecided.self,
        OrderStuck.self,
        SagaStuckCompensating.self,
        LostInCrash.self,
        PublishedTwice.self,
        CopyReached.self,
        ReservedTwice.self,
        NoDoubleCharge.self,
        RevenueDiffers.self,
        RebuildChanged.self,
        TimedOutChargeRefunded.self,
        KeyMadeTwoOrders.self,
        FenceRefused.self,
        DeadLetterWaits.self,
        AlarmFiring.self,
        RuleExists.self,
        FlowIs.self,
        FailureRate.self,
        PatternIs.self,
        IdempotencyIs.self,
        RecipeMarksWithEffect.self,
        ConcurrencyAtLeast.self,
        ConsumerTries.self,
    ]

    public static var names: [String] { all.map { $0.name } }

    static func named(_ name: String) -> (any ExerciseCheck.Type)? {
        all.first { $0.name == name.lowercased() }
    }
}
