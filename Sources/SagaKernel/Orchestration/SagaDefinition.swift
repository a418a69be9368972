/// A task the orchestrator can call on a participant: a saga step's action or its
/// compensation (the Step Functions shop's reserve inventory → process payment → send notification,
/// and the Boong saga's `@CompensationAction`s).
public enum SagaTask: String, CaseIterable, Sendable, HashedByCase {
    case reserveInventory = "reserve-inventory"
    case processPayment = "process-payment"
    case sendNotification = "send-notification"
    case releaseInventory = "release-inventory"
    case refundPayment = "refund-payment"

    /// The service that carries the task out.
    public var participant: ServiceName {
        switch self {
        case .reserveInventory, .releaseInventory: return .inventory
        case .processPayment, .refundPayment: return .payment
        case .sendNotification: return .rewards
        }
    }

    /// What the participant does, in the domain's words.
    public var action: String {
        switch self {
        case .reserveInventory: return "reserve stock"
        case .processPayment: return "charge the customer"
        case .sendNotification: return "notify the customer"
        case .releaseInventory: return "release the reserved stock"
        case .refundPayment: return "refund the charge"
        }
    }

    /// The compensation that undoes this step, if it has one.
    public var compensation: SagaTask? {
        switch self {
        case .reserveInventory: return .releaseInventory
        case .processPayment: return .refundPayment
        default: return nil
        }
    }

    public var isCompensation: Bool { self == .releaseInventory || self == .refundPayment }

    /// The forward steps, the ones `retry STEP` names.
    public static let steps: [SagaTask] = [.reserveInventory, .processPayment, .sendNotification]

    /// The step of the orders service's saga-state record this task reports on.
    var sagaStep: SagaStepName {
        switch self {
        case .reserveInventory, .releaseInventory: return .inventoryReservation
        case .processPayment, .refundPayment: return .paymentProcessing
        case .sendNotification: return .notification
        }
    }
}

/// The errors a task can end with, named as a Step Functions state machine sees them.
/// Retriable ones are technical (the call may succeed later); business failures are answers.
public enum TaskError: String, Sendable, HashedByCase {
    case timeout = "States.Timeout"
    case serviceUnavailable = "ServiceUnavailable"
    case taskFailed = "States.TaskFailed"
    case outOfStock = "OutOfStock"
    case paymentDeclined = "PaymentDeclined"
    /// The participant's fence refused a try that came after its rollback.
    case fenced = "Fenced"

    public var isRetriable: Bool {
        switch self {
        case .timeout, .serviceUnavailable, .taskFailed: return true
        case .outOfStock, .paymentDeclined, .fenced: return false
        }
    }

    public static let retriable: [TaskError] = [.timeout, .serviceUnavailable, .taskFailed]
    public static let allBusiness: [TaskError] = [.outOfStock, .paymentDeclined]
}

/// What a failure after the pivot does (`rollback`).
public enum Rollback: String, CaseIterable, Sendable {
    /// Steps after the pivot only go forward: retried, then an operator's (Garcia-Molina
    /// and Salem's saga structure, Richardson's "retriable" steps).
    case pivot
    /// Any failing step compensates every completed one, notification included, as the
    /// Step Functions shop's README has it ("if any step fails").
    case anyStep = "any-step"
}

/// The orchestrated saga as declared: its steps in order, each with its action, its
/// compensation and its retry policy, and the pivot after which the saga must go forward.
///
/// Steps before the pivot are compensatable; the pivot is the last step that can fail
/// for a business reason; steps after it are retriable and must eventually succeed.
public struct SagaDefinition: Hashable, Sendable {
    /// Where a step stands relative to the pivot (Garcia-Molina & Salem; Richardson's names).
    public enum Kind: String, Sendable, HashedByCase {
        case compensatable
        case pivot
        case retriable
    }

    public struct Step: Hashable, Sendable {
        public var task: SagaTask
        public var kind: Kind
        public var retry: RetryPolicy
    }

    public var steps: [Step]

    /// The forward steps for a flow: the two business steps in the flow's order, then the notification.
    public static func tasks(for flow: Flow) -> [SagaTask] {
        switch flow {
        case .inventoryFirst: return [.reserveInventory, .processPayment, .sendNotification]
        case .paymentFirst: return [.processPayment, .reserveInventory, .sendNotification]
        // The orchestrator calls one participant at a time: a parallel flow runs in order.
        case .parallel: return [.reserveInventory, .processPayment, .sendNotification]
        }
    }

    public init(flow: Flow, policies: [SagaTask: RetryPolicy], rollback: Rollback = .pivot) {
        let tasks = SagaDefinition.tasks(for: flow)
        let pivot = rollback == .anyStep ? tasks.count : SagaDefinition.pivotIndex(tasks)
        steps = tasks.enumerated().map { index, task in
            let kind: Kind = index < pivot ? .compensatable : index == pivot ? .pivot : .retriable
            return Step(task: task, kind: kind, retry: policies[task] ?? RetryPolicy())
        }
    }

    /// The index of the pivot step in a list of forward tasks.
    static func pivotIndex(_ tasks: [SagaTask]) -> Int { min(1, tasks.count - 1) }
}
