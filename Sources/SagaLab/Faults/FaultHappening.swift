/// What crashes, restarts, partitions and tampered messages record in the trace.
public enum FaultHappening: Hashable, Sendable {
    /// An armed crash point fired and took the service down.
    case crashedAt(CrashPoint)

    public var kind: TraceEntry.Kind {
        switch self {
        case .crashedAt: return .crash
        }
    }
}
