/// A precise moment at which a service can be made to crash (`crash SERVICE at POINT`).
///
/// Each point sits in a gap the patterns are meant to close, so arming one and running
/// the world shows whether the pattern that is switched on really closes it.
public enum CrashPoint: String, CaseIterable, Sendable, HashedByCase {
    case beforeCommit = "before-commit"
    case afterCommit = "after-commit"
    case afterPublish = "after-publish"
    case afterCheck = "after-check"
    case afterEffect = "after-effect"
    case afterMark = "after-mark"
    case midCompensation = "mid-compensation"

    /// One line for `help crash`.
    public var summary: String {
        switch self {
        case .beforeCommit:
            return "orders API, inside the create transaction: nothing is saved, the client gets an error"
        case .afterCommit:
            return "orders API, after commit and before replying; with the outbox off, before publishing (the dual write's gap)"
        case .afterPublish:
            return "outbox publisher, after the bus took an event and before the row is marked published: it is sent again (with `publishers own-process` the point is the publisher's: crash orders-publisher at after-publish); or a consumer's publish step, before the rest of its recipe"
        case .afterCheck:
            return "a consumer, after its check read the processed-events table, before the effect"
        case .afterMark:
            return "a consumer, after its mark committed, before it acknowledged"
        case .afterEffect:
            return "a consumer, after its effect committed and before it acknowledged or marked the event processed"
        case .midCompensation:
            return "a consumer running a compensation (cancel, release, refund, revoke), before it finishes"
        }
    }

    /// Services at which the point can happen.
    public var services: [ServiceName] {
        switch self {
        case .beforeCommit, .afterCommit: return [.orders]
        case .afterPublish: return ServiceName.publishers
        case .afterCheck, .afterEffect, .afterMark: return ServiceName.allCases
        case .midCompensation: return [.orders, .inventory, .payment, .rewards]
        }
    }
}

/// A crash waiting to happen: fires once, the next time `service` reaches `point`.
public struct ArmedCrash: Hashable, Sendable {
    public var service: ServiceName
    public var point: CrashPoint
    /// Armed in the service's outbox publisher running as a process of its own
    /// (`crash orders-publisher at after-publish`): when it fires, only the publisher stops.
    public var inPublisher = false

    /// The process it is armed in, as commands name it: `orders`, `orders-publisher`.
    public var processName: String { inPublisher ? service.publisherName : service.rawValue }
}
