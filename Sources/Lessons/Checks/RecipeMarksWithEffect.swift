import SagaLab

/// `recipe-marks-with-effect SERVICE`: the service's recipe for the events it handles
/// first writes the processed-events mark in the same transaction as the effect.
struct RecipeMarksWithEffect: ExerciseCheck {
    static let name = "recipe-marks-with-effect"
    static let arguments = "SERVICE"
    let service: ServiceName

    init(arguments: [String]) throws {
        try CheckArguments.expect(arguments, count: 1, Self.self)
        service = try CheckArguments.service(arguments[0])
    }

    func isMet(in world: World) -> Bool {
        let type = world.rules.first { $0.target == service && $0.eventType != nil }?.eventType ?? .orderCreated
        let recipe = world.patterns.recipes.recipe(service, for: type)
        return recipe.contains(.effect) && recipe.stage(of: .mark) == recipe.effectStage
    }

    func phrase(wanted: Bool) -> String {
        "\(service.possessive) recipe \(wanted ? "commits" : "does not commit") the mark with the effect (`show recipes`)"
    }
}
