/// One run of the orchestrated saga for one order, as the orchestrator stores it in the
/// orders service's database: where it stands, what it has done, and its history.
///
/// Everything the orchestrator needs to resume lives here, not in memory: the task it
/// is calling and when that call times out, the retry it is waiting for, the steps that
/// completed, the compensations still to run, and the saga's deadline. After a crash the
/// orchestrator reads this record and carries on from it, not from the start.
public struct Execution: Hashable, Sendable {
    public enum Status: String, Sendable, HashedByCase {
        case running = "RUNNING"
        case compensating = "COMPENSATING"
        case succeeded = "SUCCEEDED"
        case failed = "FAILED"
    }

    /// What the execution is doing about its current task.
    public enum Phase: Hashable, Sendable {
        /// About to call the current task (attempt `attempt`).
        case ready
        /// Called; waiting for the result until `timeoutAt`.
        case calling(timeoutAt: Millis)
        /// Waiting before the next attempt.
        case waitingRetry(until: Millis)
        /// A compensation ran out of retries and waits in the orders dead-letter queue.
        case deadLettered
        case finished
    }

    /// One line of the execution history, like a Step Functions execution event.
    public struct HistoryEvent: Hashable, Sendable {
        public var time: Millis
        public var type: String
        public var task: SagaTask?
        public var attempt: Int?
        public var detail: String
    }

    public var id: ExecutionId
    public var orderId: OrderId
    /// The order as the saga's input: every call carries it (event-carried state).
    public var order: Event
    /// The forward steps, fixed when the execution started.
    public var steps: [SagaTask]
    public var status: Status = .running
    /// The task being called or retried: a forward step, or the compensation at the head of `compensations`.
    public var current: SagaTask
    public var attempt = 1
    /// Which run of the current task this is: 1, or more for a compensation sent again
    /// to undo a step's late success. Each run has its own idempotency token.
    public var run = 1
    /// The compensations begun so far, repeats included, in the order they began.
    public var begunCompensations: [SagaTask] = []
    /// Forward steps whose SUCCESS came after the execution began compensating.
    public var lateSuccesses: [SagaTask] = []
    /// Compensations whose last run found nothing to undo.
    public var emptyUndos: [SagaTask] = []
    /// Whether a call of the current task timed out: it may have done its work unseen.
    public var hadTimeout = false
    public var phase: Phase = .ready
    public var completed: [SagaTask] = []
    /// Compensations still to run, in the order they will run (reverse of the steps).
    public var compensations: [SagaTask] = []
    public var deadline: Millis
    public var failure: String?
    public var history: [HistoryEvent] = []

    init(id: ExecutionId, order: Event, steps: [SagaTask], deadline: Millis) {
        self.id = id
        orderId = order.orderId
        self.order = order
        self.steps = steps
        current = steps[0]
        self.deadline = deadline
    }

    public var isActive: Bool { status == .running || status == .compensating }

    /// Whether a failure of any step compensates every completed one (`rollback
    /// any-step`), fixed when the execution started. Then there is no pivot.
    public var rollsBackAnyStep = false

    /// Whether the pivot step has completed, after which the saga only goes forward.
    public var isPastPivot: Bool {
        !rollsBackAnyStep && completed.contains(steps[SagaDefinition.pivotIndex(steps)])
    }

    /// Makes `task` the current one, about to be called for its first attempt.
    mutating func begin(_ task: SagaTask) {
        current = task
        run = 1
        if task.isCompensation {
            begunCompensations.append(task)
            run = begunCompensations.filter { $0 == task }.count
        }
        startOver()
    }

    /// Makes the current task's run start again from its first attempt (after a redrive).
    mutating func startOver() {
        attempt = 1
        hadTimeout = false
        phase = .ready
    }

    /// Whether a late success of `step` stays standing unless its compensation runs
    /// again: that compensation never ran, or its last run found nothing to undo (it
    /// overtook the step). Not while it is still to run or on its way: its answer decides.
    func mustUndoAgain(_ step: SagaTask) -> Bool {
        guard let undo = step.compensation, lateSuccesses.contains(step), !compensations.contains(undo) else {
            return false
        }
        return emptyUndos.contains(undo) || !begunCompensations.contains(undo)
    }

    /// Notes what a compensation's run found: something to undo, or nothing.
    mutating func noteUndo(_ compensation: SagaTask, foundNothing: Bool) {
        emptyUndos.removeAll { $0 == compensation }
        if foundNothing { emptyUndos.append(compensation) }
    }

    mutating func record(_ time: Millis, _ type: String, _ task: SagaTask? = nil, attempt: Int? = nil, _ detail: String = "") {
        history.append(HistoryEvent(time: time, type: type, task: task, attempt: attempt, detail: detail))
    }

    mutating func record(_ time: Millis, _ type: String, _ task: SagaTask? = nil, detail: String) {
        record(time, type, task, attempt: nil, detail)
    }
}

/// A call from the orchestrator to a participant, on its way.
///
/// Its counts are stored in four bytes each, so that a call and its answer fit in an
/// agenda item as wide as a delivery, with no reference in it (`Agenda.Item`).
public struct TaskCall: Hashable, Sendable {
    public var executionId: ExecutionId
    public var task: SagaTask
    private var storedAttempt: Int32
    /// 1, or more for a compensation sent again to undo a late success.
    private var storedRun: Int32
    public var order: Event

    public var attempt: Int {
        get { Int(storedAttempt) }
        set { storedAttempt = Int32(clamping: newValue) }
    }

    /// 1, or more for a compensation sent again to undo a late success.
    public var run: Int {
        get { Int(storedRun) }
        set { storedRun = Int32(clamping: newValue) }
    }

    public init(executionId: ExecutionId, task: SagaTask, attempt: Int, order: Event, run: Int = 1) {
        self.executionId = executionId
        self.task = task
        storedAttempt = Int32(clamping: attempt)
        storedRun = Int32(clamping: run)
        self.order = order
    }

    /// The idempotency token the participant de-duplicates on: the same for every attempt
    /// of one task of one order, as Step Functions passes the execution and state name;
    /// a compensation sent again gets a token of its own, so it is done again.
    public var token: ProcessedKey { run <= 1 ? .call(order.orderId, task) : .callAgain(order.orderId, task, run: Int16(clamping: run)) }
}

/// How a task ended at its participant: success, or the error it failed with.
///
/// Its detail is an interned text (`Reason`), so that an outcome, kept in every answer
/// waiting in the agenda and every processed call, holds no reference.
public struct TaskOutcome: Hashable, Sendable {
    // The reason first, so that an outcome takes six bytes, not nine, and an answer fits
    // in an agenda item as wide as a delivery.
    private var why: Reason
    /// Nil on success.
    public var error: TaskError?
    /// For a compensation: whether it found nothing to undo.
    public var foundNothing = false

    public init(error: TaskError?, detail: String, foundNothing: Bool = false) {
        self.error = error
        why = Reason(detail)
        self.foundNothing = foundNothing
    }

    /// What the participant said: what its step did, or why it failed.
    public var detail: String { why.text }
}

/// A participant's answer to a call, on its way back to the orchestrator.
public struct TaskReply: Hashable, Sendable {
    public var call: TaskCall
    public var outcome: TaskOutcome
}

/// Where one of an execution's timers waits in the agenda: its time and sequence.
struct ArmedTimer: Hashable, Sendable {
    var time: Millis
    var sequence: Int
}

/// A timer the orchestrator set for an execution.
public struct SagaTimer: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Start the execution's current task now.
        case start
        /// The call for `attempt` of the current task has taken too long.
        case timeout(attempt: Int)
        /// The wait before `attempt` is over.
        case retry(attempt: Int)
        /// The saga's deadline.
        case deadline
    }

    public var executionId: ExecutionId
    public var kind: Kind
}
