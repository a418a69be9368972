/// What the orchestrator, and the participants answering its calls, record in the trace.
public enum SagaHappening: Hashable, Sendable {
    /// The orchestrator called a participant for a task.
    case calls(execution: String, participant: ServiceName, task: SagaTask, attempt: Int)

    public var kind: TraceEntry.Kind {
        switch self {
        case .calls: return .commit
        }
    }
}
