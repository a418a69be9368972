/// How a new order's saga is carried out. Orders in flight finish the way they started.
///
/// Choreography: each participant reacts to the events on the bus and emits its own
/// (the EventBridge shop, the Kafka shop). Orchestration: a central orchestrator in the orders service
/// calls each participant in turn and compensates on failure (the Boong saga).
public enum SagaMode: String, CaseIterable, Sendable, HashedByCase {
    case choreography
    case orchestration
}
