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
public struct SagaState: Hashable, Sendable, DigestRow {
    public struct StepRecord: Hashable, Sendable {
        // In this order, 16 bytes (the time after the flags took 24): a saga keeps six.
        public var at: Millis
        /// Why the step failed, as a number for its text (`Reason`): a record is plain data.
        public var why: Reason?
        public var name: SagaStepName
        public var succeeded: Bool

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
        public func hash(into hasher: inout Hasher) { digest(into: &hasher) }

        func digest<H: WordHasher>(into hasher: inout H) {
            hasher.combineWord(UInt64(name.tag) | (succeeded ? 0x100 : 0) | UInt64(why.map { $0.number + 1 } ?? 0) << 32)
            hasher.combineWord(UInt64(bitPattern: Int64(at)))
        }

        /// The record but its time, in four bytes: the name in three bits, whether it
        /// succeeded in one, and its reason's number + 1 (0 for none) in the rest.
        fileprivate var mark: UInt32 {
            let why = self.why.map { $0.number + 1 } ?? 0
            precondition(why < 1 << 28, "a step record keeps a reason's number in 28 bits")
            return UInt32(name.tag) | (succeeded ? 0x8 : 0) | why << 4
        }

        /// The record of `mark` written at `at`.
        fileprivate init(mark: UInt32, at: Millis) {
            self.at = at
            name = SagaStepName.allCases[Int(mark & 0x7)]
            succeeded = mark & 0x8 != 0
            why = mark >> 4 == 0 ? nil : Reason(number: (mark >> 4) - 1)
        }
    }

    // In this order, 88 bytes (six records of 16 bytes took 128): each order keeps one.
    /// The step records in the order they were written, at most one per step name, kept
    /// inside the saga's own row: no allocation per saga, and a saga is plain data. A
    /// record is its time here and the rest of it packed in `recordMarks`
    /// (`StepRecord.mark`), which leaves no padding between records.
    private var recordTimes = InlineArray<6, Millis>(repeating: 0)
    private var recordMarks = InlineArray<6, UInt32>(repeating: 0)
    public var sagaId: SagaId
    public var orderId: OrderId
    /// Why compensation is required, as a number for its text (`Reason`).
    public var compensationWhy: Reason?
    public var currentStep: SagaStep
    private var recordCount: UInt8 = 0
    public var compensationRequired: Bool

    /// Why compensation is required, in words.
    public var compensationReason: String? {
        get { compensationWhy?.text }
        set { compensationWhy = newValue.map(Reason.init) }
    }

    /// The step records, oldest first. Set from stored rows, a later record of a name
    /// replaces an earlier one, as `update` does.
    public var steps: [StepRecord] {
        get { (0..<Int(recordCount)).map(record(at:)) }
        set {
            recordCount = 0
            for record in newValue { update(record) }
        }
    }

    /// Equal when every field and every record written is: the slots past `recordCount`
    /// hold nothing.
    public static func == (a: SagaState, b: SagaState) -> Bool {
        guard a.sagaId == b.sagaId, a.orderId == b.orderId, a.currentStep == b.currentStep,
              a.compensationRequired == b.compensationRequired, a.compensationWhy == b.compensationWhy,
              a.recordCount == b.recordCount else { return false }
        for index in 0..<Int(a.recordCount)
        where a.recordTimes[index] != b.recordTimes[index] || a.recordMarks[index] != b.recordMarks[index] { return false }
        return true
    }

    /// The small fields go packed into one word, then the records.
    public func hash(into hasher: inout Hasher) { digest(into: &hasher) }

    func digest<H: WordHasher>(into hasher: inout H) {
        hasher.combineWord(hasher.sagaNumber(sagaId) | hasher.orderNumber(orderId) << 32)
        hasher.combineWord(UInt64(currentStep.tag) | (compensationRequired ? 0x100 : 0)
            | UInt64(compensationWhy.map { $0.number + 1 } ?? 0) << 32 | UInt64(recordCount) << 16)
        for index in 0..<Int(recordCount) { record(at: index).digest(into: &hasher) }
    }

    init(sagaId: SagaId, orderId: OrderId, at time: Millis) {
        self.sagaId = sagaId
        self.orderId = orderId
        currentStep = .created
        compensationRequired = false
        compensationWhy = nil
        update(StepRecord(name: .created, succeeded: true, at: time, error: nil))
    }

    public func record(_ name: SagaStepName) -> StepRecord? {
        for index in stride(from: Int(recordCount) - 1, through: 0, by: -1) where recordMarks[index] & 0x7 == UInt32(name.tag) {
            return record(at: index)
        }
        return nil
    }

    mutating func update(_ name: SagaStepName, succeeded: Bool, at time: Millis, error: String? = nil) {
        update(StepRecord(name: name, succeeded: succeeded, at: time, error: error))
    }

    /// The same, with the reason already a `Reason`.
    mutating func update(_ name: SagaStepName, succeeded: Bool, at time: Millis, why: Reason?) {
        var record = StepRecord(name: name, succeeded: succeeded, at: time)
        record.why = why
        update(record)
    }

    /// Writes `record`, dropping an earlier record of its name: one record per name, so six
    /// slots always suffice.
    private mutating func update(_ record: StepRecord) {
        var kept = 0
        for index in 0..<Int(recordCount) where recordMarks[index] & 0x7 != UInt32(record.name.tag) {
            recordTimes[kept] = recordTimes[index]
            recordMarks[kept] = recordMarks[index]
            kept += 1
        }
        recordTimes[kept] = record.at
        recordMarks[kept] = record.mark
        recordCount = UInt8(kept + 1)
    }

    /// The record in slot `index`.
    private func record(at index: Int) -> StepRecord {
        StepRecord(mark: recordMarks[index], at: recordTimes[index])
    }

    /// The EventBridge shop's `markForCompensation`.
    mutating func markForCompensation(reason: String) { markForCompensation(why: Reason(reason)) }

    /// The same, with the reason already a `Reason`.
    mutating func markForCompensation(why: Reason) {
        compensationRequired = true
        compensationWhy = why
        currentStep = .compensating
    }
}
