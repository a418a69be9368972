import SagaLab

/// `revenue-differs`: analytics' revenue is not the total of the confirmed orders.
struct RevenueDiffers: ExerciseCheck {
    static let name = "revenue-differs"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool { world.analytics.revenue != world.orders.confirmedTotal }

    func phrase(wanted: Bool) -> String {
        wanted ? "analytics' revenue differs from the confirmed orders' total (`show analytics`)"
            : "analytics' revenue equals the confirmed orders' total"
    }
}
