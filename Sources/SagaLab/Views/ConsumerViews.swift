/// `show recipe` and `show consumers`: how each consumer handles a delivery, and the
/// deliveries it is working on or holds in its queue.
extension Views {
    /// The recipe of each service (or one), then the event types with a recipe of their own.
    public func recipes(_ service: ServiceName?) -> String {
        let book = world.patterns.recipes
        var rows: [[String]] = []
        for s in service.map({ [$0] }) ?? ServiceName.allCases {
            rows.append([s.rawValue, "every event", book.recipe(of: s).description])
            for (type, recipe) in book.overrides(of: s) { rows.append([s.rawValue, type.rawValue, recipe.description]) }
        }
        return Table(["service", "for", "recipe"], rows).render(style, until: shouldStop)
    }

    /// Each consumer's concurrency, busy slots and queue, then every delivery in progress.
    public func consumers() -> String {
        let summary = Table(["service", "concurrency", "in progress", "queued"], ServiceName.allCases.map { s in
            let node = world.node(s)
            return [s.rawValue, "\(world.settings.concurrency[s.index])", "\(node.handlings.count)", "\(node.queue.count)"]
        }).render(style, until: shouldStop)
        var rows: [[String]] = []
        for s in ServiceName.allCases {
            for handling in world.node(s).handlings {
                let event = handling.delivery.event
                let stage = handling.recipe.stages[handling.stage].map(\.rawValue).joined(separator: "+")
                rows.append([s.rawValue, "\(event.id)", event.type.rawValue, "\(handling.delivery.attempt)", stage,
                             handling.sequence >= 0 ? VirtualTime.stamp(handling.dueAt) : "-"])
            }
        }
        guard !rows.isEmpty else { return summary + "\nno delivery in progress" }
        return summary + "\n\nin progress:\n"
            + Table(["service", "event", "type", "attempt", "next stage", "due at"], rows).render(style, until: shouldStop)
    }
}
