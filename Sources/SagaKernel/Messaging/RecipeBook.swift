/// Every consumer's recipes: one for each service, and optionally one for a single event
/// type that overrides it (`recipe inventory order.cancelled ...`). Finding the recipe
/// for a delivery costs O(1).
public struct RecipeBook: Hashable, Sendable {
    /// The recipe of every event a service handles, in `ServiceName.allCases` order.
    private var services: [Recipe] = ServiceName.allCases.map { _ in Recipe.named(.on) }
    /// The recipes that override a service's for one event type, by service index.
    private var events: [[EventType: Recipe]] = ServiceName.allCases.map { _ in [:] }

    public init() {}

    /// The recipe `service` follows for an event of `type`.
    @inline(__always)
    public func recipe(_ service: ServiceName, for type: EventType) -> Recipe {
        if !events[service.index].isEmpty, let own = events[service.index][type] { return own }
        return services[service.index]
    }

    /// The recipe `service` follows for every event without one of its own.
    public func recipe(of service: ServiceName) -> Recipe { services[service.index] }

    /// The event types with a recipe of their own, in `EventType.allCases` order.
    public func overrides(of service: ServiceName) -> [(type: EventType, recipe: Recipe)] {
        EventType.allCases.compactMap { type in events[service.index][type].map { (type, $0) } }
    }

    /// Sets the recipe of one event type, or (nil) of every event, which drops the overrides.
    mutating func set(_ recipe: Recipe, for service: ServiceName, type: EventType?) {
        guard let type else {
            services[service.index] = recipe
            events[service.index] = [:]
            return
        }
        events[service.index][type] = recipe
    }

    /// Switches every recipe of `service` between `emit` (the outbox) and `publish`.
    mutating func switchOutbox(_ on: Bool, for service: ServiceName) {
        services[service.index] = services[service.index].withOutbox(on)
        for type in EventType.allCases {
            events[service.index][type] = events[service.index][type]?.withOutbox(on)
        }
    }
}
