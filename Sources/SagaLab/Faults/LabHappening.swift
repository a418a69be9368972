/// What the learner's changes to the lab record in the trace: patterns, wiring,
/// settings and injected failures.
public enum LabHappening: Hashable, Sendable {
    /// `set NAME DURATION` changed a setting.
    case setting(name: String, value: Millis)

    public var kind: TraceEntry.Kind {
        switch self {
        case .setting: return .note
        }
    }
}
