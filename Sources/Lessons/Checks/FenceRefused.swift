import SagaLab

/// `fence-refused`: a fence mark in inventory's or payment's database refused a late try:
/// an undo overtook its action there, and the action arrived after it and did nothing.
struct FenceRefused: ExerciseCheck {
    static let name = "fence-refused"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool {
        (world.inventory.fence.all + world.payment.fence.all).contains { $0.refused > 0 }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "a fence mark refuses a late try: an undo overtook its action (`show fence`)"
            : "no fence mark refused a late try"
    }
}
