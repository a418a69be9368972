/// Everything the world will do by itself, in order of (virtual time, sequence).
///
/// One agenda drives the whole simulation: event deliveries, redeliveries and outbox
/// publisher polls all wait here. Ties in time are broken by the order things were
/// scheduled, which keeps every run of the same commands identical.
public struct Agenda: Equatable, Sendable {
    public struct Item: Equatable, Sendable {
        public var time: Millis
        public var sequence: Int
        public var action: Action
    }

    public enum Action: Equatable, Sendable {
        /// Hand one copy of an event to one subscriber.
        case deliver(Delivery)
        /// Run one service's outbox publisher.
        case poll(ServiceName)
        /// The orchestrator's call reaches its participant.
        case call(TaskCall)
        /// A participant's answer reaches the orchestrator.
        case reply(TaskReply)
        /// One of the orchestrator's timers fires.
        case timer(SagaTimer)

        var isPoll: Bool { if case .poll = self { return true } else { return false } }
    }

    public private(set) var items: [Item] = []
    private var nextSequence = 0

    public init() {}

    public mutating func schedule(_ action: Action, at time: Millis) {
        let item = Item(time: time, sequence: nextSequence, action: action)
        nextSequence += 1
        var low = 0
        var high = items.count
        while low < high {
            let mid = (low + high) / 2
            let other = items[mid]
            if (other.time, other.sequence) < (item.time, item.sequence) { low = mid + 1 } else { high = mid }
        }
        items.insert(item, at: low)
    }

    public var first: Item? { items.first }

    public mutating func popFirst() -> Item? {
        items.isEmpty ? nil : items.removeFirst()
    }

    /// Removes the items `shouldRemove` picks and returns them in agenda order.
    public mutating func remove(where shouldRemove: (Item) -> Bool) -> [Item] {
        let removed = items.filter(shouldRemove)
        items.removeAll(where: shouldRemove)
        return removed
    }

    /// When the next item that is not a publisher poll is due.
    public var nextWorkTime: Millis? { items.first { !$0.action.isPoll }?.time }

    /// Deliveries waiting in the agenda, in the order they will happen.
    public var deliveries: [(time: Millis, delivery: Delivery)] {
        items.compactMap { item in
            if case .deliver(let d) = item.action { return (item.time, d) }
            return nil
        }
    }
}
