/// Every event that reached the bus, in first-publish order, with how often each was
/// published: what `World.published` holds.
///
/// Nearly every event is published once, so the table keeps the events themselves (24
/// bytes each) and, apart, the counts of the few published again. A publication carried
/// its count beside its event, 40 bytes a row when an event took 32, and a range of a
/// million orders publishes some five million events. Read by position, it gives a `World.Publication` as before.
public struct Publications: RandomAccessCollection, Hashable, Sendable {
    /// The events, in first-publish order.
    public private(set) var events: [Event] = []
    /// For each event published more than once, by its position: how many times more.
    private var again: [Int32: Int] = [:]

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { events.count }

    public subscript(position: Int) -> World.Publication {
        World.Publication(event: events[position], count: count(at: position))
    }

    /// How often the event at `position` was published.
    public func count(at position: Int) -> Int {
        again.isEmpty ? 1 : 1 + (again[Int32(position)] ?? 0)
    }

    /// Room for `n` more publications without growing.
    mutating func reserveCapacity(_ n: Int) {
        events.reserveCapacity(n)
        events.prefaultRoom()
    }

    var capacity: Int { events.capacity }

    /// An event's first publication, `count` times published.
    mutating func append(_ event: Event, count: Int = 1) {
        events.append(event)
        events.prefaultAhead(grewFrom: events.count - 1)
        if count > 1 { again[Int32(events.count - 1)] = count - 1 }
    }

    /// Counts one more publication of the event at `position`, and returns its count.
    mutating func publishAgain(at position: Int) -> Int {
        let more = (again[Int32(position)] ?? 0) + 1
        again[Int32(position)] = more
        return 1 + more
    }
}
