/// The failures injected into each service's business step (`fail SERVICE ...`), one slot
/// per service.
///
/// Every charge, reservation and order placed asks it whether to fail: a slot read by the
/// service's case costs nothing, where a dictionary hashed the service every time. It
/// reads and writes like the dictionary it replaces: a service never set holds nil, and
/// one set to `never` holds `never`.
public struct FailureTable: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    private var payment: FailureMode?
    private var inventory: FailureMode?
    private var orders: FailureMode?

    public init() {}

    public init(dictionaryLiteral elements: (FailingService, FailureMode)...) {
        for (service, mode) in elements { self[service] = mode }
    }

    public subscript(service: FailingService) -> FailureMode? {
        get {
            switch service {
            case .payment: return payment
            case .inventory: return inventory
            case .orders: return orders
            }
        }
        set {
            switch service {
            case .payment: payment = newValue
            case .inventory: inventory = newValue
            case .orders: orders = newValue
            }
        }
    }

    /// The modes set, in `FailingService.allCases` order.
    public var values: [FailureMode] { FailingService.allCases.compactMap { self[$0] } }

    /// Whether a mode set satisfies `predicate`, asked without building `values`: the
    /// explorer asks in every state it reaches.
    public func contains(where predicate: (FailureMode) -> Bool) -> Bool {
        payment.map(predicate) ?? false || inventory.map(predicate) ?? false || orders.map(predicate) ?? false
    }

    /// Whether no service has a mode set.
    public var isEmpty: Bool { payment == nil && inventory == nil && orders == nil }
}
