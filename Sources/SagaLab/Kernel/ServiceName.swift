/// The five services of the simulated shop, in the order their lanes appear in a trace.
public enum ServiceName: String, CaseIterable, Comparable, Sendable {
    case orders, inventory, payment, rewards, analytics

    public static func < (a: ServiceName, b: ServiceName) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }

    /// Services that emit events and so own an `Outbox` and an `OutboxPublisher`.
    public static let publishers: [ServiceName] = [.orders, .inventory, .payment]

    public var emitsEvents: Bool { ServiceName.publishers.contains(self) }
}
