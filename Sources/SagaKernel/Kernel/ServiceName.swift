/// The five services of the simulated shop, in the order their lanes appear in a trace.
public enum ServiceName: String, CaseIterable, Comparable, Sendable, HashedByCase {
    case orders, inventory, payment, rewards, analytics

    public static func < (a: ServiceName, b: ServiceName) -> Bool { a.index < b.index }

    /// The position in `allCases`: where the world keeps this service's node.
    public var index: Int {
        switch self {
        case .orders: return 0
        case .inventory: return 1
        case .payment: return 2
        case .rewards: return 3
        case .analytics: return 4
        }
    }

    /// Services that emit events and so own an `Outbox` and an `OutboxPublisher`.
    public static let publishers: [ServiceName] = [.orders, .inventory, .payment]

    public var emitsEvents: Bool {
        switch self {
        case .orders, .inventory, .payment: true
        case .rewards, .analytics: false
        }
    }

    /// Its name as a possessive: `orders'`, `inventory's`.
    public var possessive: String { rawValue.hasSuffix("s") ? rawValue + "'" : rawValue + "'s" }

    /// The name of its outbox publisher as a process of its own: `orders-publisher`.
    public var publisherName: String { rawValue + "-publisher" }

    /// The service whose publisher is named `text` (`orders-publisher`), if any.
    public init?(publisherName text: String) {
        let suffix = "-publisher"
        let lower = text.lowercased()
        guard lower.hasSuffix(suffix), let service = ServiceName(rawValue: String(lower.dropLast(suffix.count))),
              service.emitsEvents else { return nil }
        self = service
    }
}
