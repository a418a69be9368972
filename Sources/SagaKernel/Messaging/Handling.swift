/// One delivery a consumer is working on, stage by stage of the recipe it started with.
/// It lives on the service's `World.Node` until it is acknowledged, skipped, thrown back
/// for a retry, or lost with a crash (and then redelivered by the broker).
public struct Handling: Hashable, Sendable {
    /// Unique in the world, so a stage waiting in the agenda finds its delivery.
    public var id: Int32
    public var delivery: Delivery
    public var recipe: Recipe
    /// The next stage to run.
    public var stage: Int
    /// What the effect emitted, kept for a `publish` stage still to come.
    public var emitted: Event?
    /// When the next stage is due and its sequence in the agenda (-1: not scheduled).
    public internal(set) var dueAt: Millis = 0
    public internal(set) var sequence = -1

    /// The steps of the stage to run next.
    @inline(__always)
    var currentSteps: Recipe.Steps { recipe.steps(at: stage) }

    /// Whether the recipe still has a `publish` stage to run.
    @inline(__always)
    public var willPublish: Bool { recipe.stage(of: .publish).map { $0 >= stage } ?? false }
}

/// The next stage of a delivery a consumer handles concurrently (`set concurrency`): what
/// an agenda item carries so the stage finds its `Handling`.
public struct RecipeStageRun: Hashable, Sendable {
    public var service: ServiceName
    public var handling: Int32
    public var eventId: EventId
    public var orderId: OrderId
}

/// Deliveries waiting for a free slot in a consumer, first come first served. Taking the
/// first costs O(1); only the deliveries still waiting count for equality and hashing.
public struct DeliveryQueue: Hashable, Sendable {
    private var items: [Delivery] = []
    private var head = 0

    public init() {}

    /// The deliveries still waiting, in order.
    public var waiting: ArraySlice<Delivery> { items[head...] }
    public var count: Int { items.count - head }
    public var isEmpty: Bool { head == items.count }

    mutating func append(_ delivery: __owned Delivery) { items.append(delivery) }

    /// Takes the first delivery out; the queue must not be empty.
    mutating func removeFirst() -> Delivery {
        let first = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return first
    }

    /// Takes every waiting delivery out, in order.
    mutating func removeAll() -> [Delivery] {
        let all = Array(waiting)
        items = []
        head = 0
        return all
    }

    public static func == (a: DeliveryQueue, b: DeliveryQueue) -> Bool { a.waiting == b.waiting }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for delivery in waiting { hasher.combine(delivery) }
    }
}
