/// What crashes, restarts, partitions and tampered messages record in the trace.
public enum FaultHappening: Hashable, Sendable {
    /// An armed crash point fired and took the service down.
    case crashedAt(CrashPoint)
    /// `crash SERVICE`: the service went down at once.
    case crashed
    /// `restart SERVICE`: the service is up again, with the deliveries parked for it that
    /// now resume and the outbox rows its publisher has yet to send.
    case restarted(resumedDeliveries: Int, unpublishedRows: Int)
    /// `crash SERVICE-publisher`: the publisher, a process of its own, went down at once.
    case publisherCrashed
    /// `restart SERVICE-publisher`: the publisher runs again, with the rows it has to send.
    case publisherRestarted(unpublishedRows: Int)
    /// `partition SERVICE`: the service is cut off from the bus.
    case partitioned
    /// `heal`: the partitioned services, reconnected.
    case healed([ServiceName])
    /// `duplicate EVENT` on a published event: the bus delivers it again.
    case deliversAgain(EventRef)
    /// `drop EVENT`: the deliveries of the event that were in flight, removed.
    case droppedDeliveries(count: Int, EventRef)

    public var kind: TraceEntry.Kind {
        switch self {
        case .crashedAt, .crashed, .publisherCrashed: return .crash
        case .restarted, .publisherRestarted: return .restart
        case .partitioned, .healed, .deliversAgain, .droppedDeliveries: return .fault
        }
    }
}
