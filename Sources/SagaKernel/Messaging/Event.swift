/// The kinds of event the services exchange, named as in the seeds (`order.created`, …).
public enum EventType: String, CaseIterable, Sendable, HashedByCase {
    case orderCreated = "order.created"
    case orderConfirmed = "order.confirmed"
    case orderCancelled = "order.cancelled"
    case orderFailed = "order.failed"
    case inventoryReserved = "inventory.reserved"
    case inventoryReservationFailed = "inventory.reservation.failed"
    case inventoryReleased = "inventory.released"
    case paymentCompleted = "payment.completed"
    case paymentFailed = "payment.failed"
    case paymentRefunded = "payment.refunded"

    /// The service whose local transaction produces this event.
    public var source: ServiceName {
        switch self {
        case .orderCreated, .orderConfirmed, .orderCancelled, .orderFailed: return .orders
        case .inventoryReserved, .inventoryReservationFailed, .inventoryReleased: return .inventory
        case .paymentCompleted, .paymentFailed, .paymentRefunded: return .payment
        }
    }

    /// A reply that says a saga step failed and the saga must be compensated.
    public var isFailure: Bool { self == .inventoryReservationFailed || self == .paymentFailed }
}

/// One line of an order: a product and how many.
public struct OrderItem: Hashable, Sendable, CustomStringConvertible {
    public var product: String
    public var quantity: Int

    public init(product: String, quantity: Int) {
        self.product = product
        self.quantity = quantity
    }

    /// `prod-1x2`, the form the `order` command accepts.
    public var description: String { quantity == 1 ? product : "\(product)x\(quantity)" }
}

/// What every event of one order carries about it: the customer and the items. They
/// never change after the order is placed, so the world keeps them once per order
/// (`World.orderDetails`) and an event names its order instead of holding a copy: an
/// event is then plain data, copied without touching memory elsewhere, which matters with
/// a million of them in outboxes, on the bus and in the agenda.
public struct OrderDetails: Hashable, Sendable {
    public let customer: String
    public let items: [OrderItem]

    public init(customer: String, items: [OrderItem]) {
        self.customer = customer
        self.items = items
    }

    /// The details of no order: a poison message's.
    public static let none = OrderDetails(customer: Event.noCustomer, items: [])
}

/// An event as it sits in an outbox, travels the bus and reaches a consumer.
///
/// Every event carries the whole order (customer, items, amount), so each consumer can
/// act on it without calling back: event-carried state transfer, as in the seeds. The
/// customer and items, the same in every event of one order, are read through the world
/// (`World.details(of:)`).
public struct Event: Hashable, Sendable {
    public var id: EventId
    public var orderId: OrderId
    // The other fields share two words, so that the event takes 24 bytes: the outbox, the
    // bus, the agenda and the deliveries each hold copies, and a million orders publish
    // some five million events. Every accessor below reads and writes its own bits; the
    // same fields always make the same bits, so equality comes from the compiler.
    /// `createdAt` in the low 48 bits (two's complement), and the low 16 bits of the
    /// reason's number above them.
    private var timeBits: UInt64
    /// `amount` in the low 40 bits (two's complement), the high 16 bits of the reason's
    /// number (40...55), the type (56...59), then whether the event is orchestrated (60),
    /// malformed (61) and carries a reason (62).
    private var amountBits: UInt64

    private static let timeMask: UInt64 = (1 << 48) - 1
    private static let amountMask: UInt64 = (1 << 40) - 1
    private static let typeShift: UInt64 = 56
    private static let orchestratedBit: UInt64 = 1 << 60
    private static let malformedBit: UInt64 = 1 << 61
    private static let reasonBit: UInt64 = 1 << 62

    /// The earliest and latest times an event can carry: some 4 000 years either side of
    /// the world's start, far past any virtual time a session reaches.
    public static let timeRange: ClosedRange<Millis> = -(1 << 47)...((1 << 47) - 1)
    /// The smallest and largest amounts an event can carry: some 5 billion dollars either
    /// way, five times an order's largest total.
    public static let amountRange: ClosedRange<Int> = -(1 << 39)...((1 << 39) - 1)

    /// Order total in cents.
    public var amount: Int {
        @inline(__always) get { Int(Int64(bitPattern: amountBits << 24) >> 24) }
        set {
            let clamped = Swift.min(Swift.max(newValue, Event.amountRange.lowerBound), Event.amountRange.upperBound)
            amountBits = amountBits & ~Event.amountMask | UInt64(bitPattern: Int64(clamped)) & Event.amountMask
        }
    }

    /// Virtual time of the local transaction that produced the event (event time).
    public var createdAt: Millis {
        @inline(__always) get { Millis(Int64(bitPattern: timeBits << 16) >> 16) }
        set {
            let clamped = Swift.min(Swift.max(newValue, Event.timeRange.lowerBound), Event.timeRange.upperBound)
            timeBits = timeBits & ~Event.timeMask | UInt64(bitPattern: Int64(clamped)) & Event.timeMask
        }
    }

    /// Why a step failed or an order was cancelled, as a number for its text (`Reason`).
    public var why: Reason? {
        get {
            guard amountBits & Event.reasonBit != 0 else { return nil }
            return Reason(number: UInt32(truncatingIfNeeded: timeBits >> 48) | UInt32(truncatingIfNeeded: amountBits >> 40 & 0xFFFF) << 16)
        }
        set {
            let number = UInt64(newValue?.number ?? 0)
            timeBits = timeBits & Event.timeMask | (number & 0xFFFF) << 48
            amountBits = amountBits & ~(0xFFFF << 40 | Event.reasonBit) | (number >> 16) << 40 | (newValue == nil ? 0 : Event.reasonBit)
        }
    }

    public var type: EventType {
        // The bits hold a case's tag (`HashedByCase.tag`), written by the setter alone: the
        // byte an enum without payloads is made of.
        @inline(__always) get { unsafeBitCast(UInt8(truncatingIfNeeded: amountBits >> Event.typeShift & 0xF), to: EventType.self) }
        set { amountBits = amountBits & ~(0xF << Event.typeShift) | UInt64(newValue.tag) << Event.typeShift }
    }

    /// True for an order whose saga the orchestrator runs: choreography handlers ignore it.
    public var orchestrated: Bool {
        @inline(__always) get { amountBits & Event.orchestratedBit != 0 }
        set { amountBits = newValue ? amountBits | Event.orchestratedBit : amountBits & ~Event.orchestratedBit }
    }

    /// A poison message (`inject poison`): no consumer can deserialize its payload.
    public var isMalformed: Bool {
        @inline(__always) get { amountBits & Event.malformedBit != 0 }
        set { amountBits = newValue ? amountBits | Event.malformedBit : amountBits & ~Event.malformedBit }
    }

    /// Why a step failed or an order was cancelled, in words.
    public var reason: String? { why?.text }

    public var source: ServiceName { type.source }

    public init(
        id: EventId, type: EventType, orderId: OrderId, amount: Int, reason: String? = nil,
        createdAt: Millis, orchestrated: Bool = false, isMalformed: Bool = false
    ) {
        self.init(id: id, type: type, orderId: orderId, amount: amount, why: reason.map(Reason.init), createdAt: createdAt,
                  orchestrated: orchestrated, isMalformed: isMalformed)
    }

    /// The same, with the reason already a `Reason`.
    public init(
        id: EventId, type: EventType, orderId: OrderId, amount: Int, why: Reason?,
        createdAt: Millis, orchestrated: Bool = false, isMalformed: Bool = false
    ) {
        self.id = id
        self.orderId = orderId
        timeBits = 0
        amountBits = 0
        self.type = type
        self.amount = amount
        self.why = why
        self.createdAt = createdAt
        self.orchestrated = orchestrated
        self.isMalformed = isMalformed
    }

    /// Hashes the scalar fields, packed into four words, and leaves out the reason, which
    /// goes with them: equal events still hash equal, and the explorer hashes millions of
    /// worlds full of events.
    public func hash(into hasher: inout Hasher) { digest(into: &hasher) }

    func digest<H: WordHasher>(into hasher: inout H) {
        hasher.combineWord(hasher.eventNumber(id) | hasher.orderNumber(orderId) << 32)
        hasher.combineWord(UInt64(bitPattern: Int64(amount)))
        hasher.combineWord(UInt64(bitPattern: Int64(createdAt)))
        hasher.combineWord(UInt64(type.tag) | (orchestrated ? 0x100 : 0) | (isMalformed ? 0x200 : 0))
    }
}

/// The shop's products and prices (cents). Stock levels live in the inventory service.
public enum Catalog {
    public static let products: [(id: String, price: Int, initialStock: Int)] = [
        ("prod-1", 1_000, 100),
        ("prod-2", 2_500, 50),
        ("prod-3", 5_000, 25),
    ]

    public static var productIds: [String] { products.map(\.id) }

    public static func price(of product: String) -> Int? {
        products.first { $0.id == product }?.price
    }
}

/// Money in cents shown as dollars: `$45.00`.
public func money(_ cents: Int) -> String {
    let sign = cents < 0 ? "-" : ""
    let value = abs(cents)
    return "\(sign)$\(value / 100).\(VirtualTime.pad(value % 100, 2))"
}

/// A percentage with one decimal: `71.4%`.
public func percent(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)%"
}
