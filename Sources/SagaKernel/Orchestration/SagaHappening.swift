/// What the orchestrator, and the participants answering its calls, record in the trace.
public enum SagaHappening: Hashable, Sendable {
    /// The orchestrator called a participant for a task (`run` above 1: a compensation
    /// sent again to undo a late success).
    case calls(execution: ExecutionId, participant: ServiceName, task: SagaTask, attempt: Int, run: Int = 1)
    /// A call never reached its participant: `partitioned` is cut off.
    case callLost(task: SagaTask, to: ServiceName, partitioned: ServiceName)
    /// A participant received a call.
    case callReceived(task: SagaTask, order: OrderId, attempt: Int)
    /// The participant's handler threw: its transaction rolled back and the task was not done.
    case handlerFailed(error: String, task: SagaTask)
    /// A participant's answer never reached the orchestrator.
    case resultLost(task: SagaTask, order: OrderId, because: Loss)
    /// The orchestrator received a participant's answer.
    case resultReceived(task: SagaTask, attempt: Int, outcome: TaskOutcome)
    /// An answer came for an attempt the execution no longer waits for.
    case lateResultIgnored(execution: ExecutionId, attempt: Int, task: SagaTask)
    /// A task failed with a retriable error: it is tried again after `wait`, at `at`.
    case retryScheduled(task: SagaTask, error: TaskError, retry: Int, of: Int, at: Millis, wait: Millis)
    /// A compensation, or a step after the pivot, failed for good: it moved to the
    /// orchestrator's dead-letter queue and the execution waits for an operator.
    case stepDeadLettered(task: SagaTask, order: OrderId, failure: TaskFailure, letter: DeadLetterId, execution: ExecutionId)
    /// The execution catches a failure and compensates these tasks, in this order.
    case catches(execution: ExecutionId, reason: String, compensations: [SagaTask])
    /// The orchestrator's outcome event could not be published (outbox off, partitioned).
    case publishFailed(EventRef)
    /// A call's timeout fired before its answer came.
    case noAnswer(task: SagaTask, attempt: Int, within: Millis)
    /// The saga deadline passed after the pivot: the execution goes forward anyway.
    case deadlinePassedAfterPivot(execution: ExecutionId)
    /// The saga deadline passed before the pivot: the execution compensates.
    case missedDeadline(execution: ExecutionId, deadline: Millis)
    /// A forward step's SUCCESS came after its execution began compensating: its
    /// compensation runs again.
    case undoesLateSuccess(execution: ExecutionId, task: SagaTask)
    /// The compensation run again for a late success finished; the order stays FAILED.
    case lateSuccessUndone(execution: ExecutionId, order: OrderId)
    /// The orders process stopped; these active executions' timers are stored with them.
    case timersKept(executions: [ExecutionId])
    /// The orders process stopped; these active executions' timers were only in memory.
    case timersLost(executions: [ExecutionId])
    /// After a restart, an execution whose timers were only in memory: nothing wakes it.
    case timersOnlyInMemory(execution: ExecutionId)
    /// After a restart, an execution carries on from its record.
    case resumes(execution: ExecutionId, next: Resumption)

    /// Why a participant's answer was lost.
    public enum Loss: Hashable, Sendable {
        case down(ServiceName)
        case partitioned(ServiceName)
    }

    /// Why a task failed for good.
    public enum TaskFailure: Hashable, Sendable {
        /// A retriable error, with no attempts left.
        case outOfAttempts(TaskError, attempts: Int)
        /// An error no retry can help, with the participant's detail.
        case nonRetriable(TaskError, detail: String)

        init(_ error: TaskError, attempts: Int, detail: String) {
            self = error.isRetriable ? .outOfAttempts(error, attempts: attempts) : .nonRetriable(error, detail: detail)
        }
    }

    /// What a resumed execution does next.
    public enum Resumption: Hashable, Sendable {
        /// It calls its current task now.
        case calls(SagaTask)
        /// It waits for the answer to a call until its (re-armed) timeout.
        case waits(for: SagaTask, attempt: Int, until: Millis)
        /// It retries its current task at the (re-armed) retry time.
        case retries(SagaTask, at: Millis)
        /// Its deadline passed while orders was down: it calls nothing and compensates.
        case compensates(deadline: Millis)
    }

    public var kind: TraceEntry.Kind {
        switch self {
        case .calls, .catches: return .commit
        case .callReceived, .resultReceived: return .deliver
        case .handlerFailed, .retryScheduled: return .redeliver
        case .callLost, .noAnswer, .missedDeadline: return .fault
        case .resultLost(_, _, let because):
            switch because {
            case .down: return .note
            case .partitioned: return .fault
            }
        case .stepDeadLettered: return .deadLetter
        case .undoesLateSuccess: return .fault
        case .lateSuccessUndone: return .compensate
        case .lateResultIgnored, .publishFailed, .deadlinePassedAfterPivot, .timersKept, .timersLost,
             .timersOnlyInMemory, .resumes:
            return .note
        }
    }
}
