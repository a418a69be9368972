/// The names of a saga's steps, as in the EventBridge shop's saga-state record.
public enum SagaStepName: String, CaseIterable, Sendable, HashedByCase {
    case created
    case inventoryReservation
    case paymentProcessing
    case notification
    case confirmation
    case compensation
}

/// Where a saga stands, as in the EventBridge shop's `currentStep`.
public enum SagaStep: String, Sendable, HashedByCase {
    case created = "CREATED"
    case inventoryReserved = "INVENTORY_RESERVED"
    case paymentCompleted = "PAYMENT_COMPLETED"
    case compensating = "COMPENSATING"
    case confirmed = "CONFIRMED"
    case cancelled = "CANCELLED"
    case failed = "FAILED"
}

/// The orders service's record of one distributed transaction: which steps succeeded or
/// failed, when, and whether compensation is required. It is how a person diagnoses a
/// saga that is stuck, or an order that three databases disagree about.
public struct SagaState: Hashable, Sendable {
    public struct StepRecord: Hashable, Sendable {
        public var name: SagaStepName
        public var succeeded: Bool
        public var at: Millis
        /// Why the step failed, as a number for its text (`Reason`): a record is plain data.
        public var why: Reason?

        /// Why the step failed, in words.
        public var error: String? { why?.text }

        public init(name: SagaStepName, succeeded: Bool, at: Millis, error: String? = nil) {
            self.name = name
            self.succeeded = succeeded
            self.at = at
            why = error.map(Reason.init)
        }

        /// The small fields go packed into one word: the explorer hashes a saga's records
        /// whenever the saga changes.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(name.tag) | (succeeded ? 0x100 : 0) | UInt64(why.map { $0.number + 1 } ?? 0) << 32)
            hasher.combine(at)
        }
    }

    public var sagaId: SagaId
    public var orderId: OrderId
    public var currentStep: SagaStep
    public var steps: [StepRecord]
    public var compensationRequired: Bool
    /// Why compensation is required, as a number for its text (`Reason`).
    public var compensationWhy: Reason?

    /// Why compensation is required, in words.
    public var compensationReason: String? {
        get { compensationWhy?.text }
        set { compensationWhy = newValue.map(Reason.init) }
    }

    /// The small fields go packed into one word, then the records.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(UInt32(bitPattern: sagaId.number)) | UInt64(UInt32(bitPattern: orderId.number)) << 32)
        hasher.combine(UInt64(currentStep.tag) | (compensationRequired ? 0x100 : 0)
            | UInt64(compensationWhy.map { $0.number + 1 } ?? 0) << 32)
        hasher.combine(steps)
    }

    init(sagaId: SagaId, orderId: OrderId, at time: Millis) {
        self.sagaId = sagaId
        self.orderId = orderId
        currentStep = .created
        // Room for what a saga usually records (created, two steps, how it ended), so its
        // record is allocated once rather than regrown at every step.
        steps = []
        steps.reserveCapacity(4)
        steps.append(StepRecord(name: .created, succeeded: true, at: time, error: nil))
        compensationRequired = false
        compensationWhy = nil
    }

    public func record(_ name: SagaStepName) -> StepRecord? { steps.last { $0.name == name } }

    mutating func update(_ name: SagaStepName, succeeded: Bool, at time: Millis, error: String? = nil) {
        steps.removeAll { $0.name == name }
        steps.append(StepRecord(name: name, succeeded: succeeded, at: time, error: error))
    }

    /// The EventBridge shop's `markForCompensation`.
    mutating func markForCompensation(reason: String) {
        compensationRequired = true
        compensationReason = reason
        currentStep = .compensating
    }
}
