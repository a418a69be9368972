import SagaLab

/// `reserved-twice`: inventory holds two or more reservations for one order, and never
/// recorded the reserving events as processed: the footprint of a consumer with no
/// idempotency at all.
struct ReservedTwice: ExerciseCheck {
    static let name = "reserved-twice"
    static let arguments = ""

    init(arguments: [String]) throws { try CheckArguments.expect(arguments, count: 0, Self.self) }

    func isMet(in world: World) -> Bool {
        let marked = Set(world.node(.inventory).processed.keys)
        return world.orders.orders.contains { order in
            let held = world.inventory.reservations(forOrder: order.id)
            return held.count >= 2 && held.allSatisfy { !marked.contains(.event($0.eventId)) }
        }
    }

    func phrase(wanted: Bool) -> String {
        wanted ? "inventory reserves one order twice, with no processed-events mark (`show order`)"
            : "no order is reserved twice"
    }
}
