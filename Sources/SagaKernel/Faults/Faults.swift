/// Something the bus will do to a message instead of delivering it normally.
public enum MessageFaultKind: Hashable, Sendable {
    case duplicate
    case drop
    case delay(Millis)

    public var verb: String {
        switch self {
        case .duplicate: return "duplicate"
        case .drop: return "drop"
        case .delay(let d): return "delay \(VirtualTime.duration(d))"
        }
    }
}

/// Which message a fault applies to.
public enum MessageSelector: Hashable, Sendable {
    /// The next event published on the bus, optionally only of one type.
    case next(EventType?)
    /// One event by id.
    case event(String)
}

/// A message fault armed for a message that has not reached the bus yet.
public struct ArmedMessageFault: Hashable, Sendable {
    public var kind: MessageFaultKind
    public var selector: MessageSelector

    func matches(_ event: Event) -> Bool {
        switch selector {
        case .next(nil): return true
        case .next(let type?): return type == event.type
        case .event(let id): return EventId(parsing: id) == event.id
        }
    }
}

/// Business failures injected into a participant: decline the next request, or a share of all.
public enum FailureMode: Hashable, Sendable {
    case never
    case next
    case percent(Int)

    public var description: String {
        switch self {
        case .never: return "off"
        case .next: return "next request"
        case .percent(let p): return "\(p)% of requests"
        }
    }
}

/// The services whose business step can fail on demand (`fail payment|inventory|orders …`):
/// the two participants, and the orders API's create-order handler.
public enum FailingService: String, CaseIterable, Sendable {
    case payment, inventory, orders
}
