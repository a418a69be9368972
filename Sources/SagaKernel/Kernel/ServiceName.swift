/// The five services of the simulated shop, in the order their lanes appear in a trace.
public enum ServiceName: String, CaseIterable, Comparable, Sendable {
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

    public var emitsEvents: Bool { ServiceName.publishers.contains(self) }
}
