/// The case names `export json` and the timeline page give each happening (the `created`
/// of `api.created`, the `reserved` of `step.reserved`): the schema's words, written out
/// so that naming a happening costs a switch rather than a reflection of its value
/// (`Mirror` was a third of the time of exporting a long run). The compiler holds every
/// case to a name; `ExportTests` holds each name to its case's own, over every transcript.
extension APIHappening {
    var caseName: String {
        switch self {
        case .request: "request"
        case .refusedWhileDown: "refusedWhileDown"
        case .rolledBack: "rolledBack"
        case .failedByInjection: "failedByInjection"
        case .created: "created"
        case .publishFailed: "publishFailed"
        case .keyPayloadMismatch: "keyPayloadMismatch"
        case .keyInProgress: "keyInProgress"
        case .keyReplayed: "keyReplayed"
        case .keyLocked: "keyLocked"
        case .keyStaysInProgress: "keyStaysInProgress"
        case .keyDeleted: "keyDeleted"
        case .keyCompleted: "keyCompleted"
        }
    }
}

extension MessageHappening {
    var caseName: String {
        switch self {
        case .published: "published"
        case .publishedAgain: "publishedAgain"
        case .droppedOnPublish: "droppedOnPublish"
        case .willDeliverTwice: "willDeliverTwice"
        case .heldBack: "heldBack"
        case .sentNeverMarked: "sentNeverMarked"
        case .neverPublished: "neverPublished"
        case .publishFailed: "publishFailed"
        case .ackLost: "ackLost"
        case .parked: "parked"
        case .received: "received"
        case .queued: "queued"
        case .notYetProcessed: "notYetProcessed"
        case .markExpired: "markExpired"
        case .nothingToPublish: "nothingToPublish"
        case .markExists: "markExists"
        case .acknowledged: "acknowledged"
        case .alreadyProcessed: "alreadyProcessed"
        case .alreadyAnswered: "alreadyAnswered"
        case .markedProcessed: "markedProcessed"
        case .compensationRolledBack: "compensationRolledBack"
        case .redelivers: "redelivers"
        case .immediateRetry: "immediateRetry"
        case .delayedRetry: "delayedRetry"
        case .deadLettered: "deadLettered"
        case .poisonWritten: "poisonWritten"
        case .redriven: "redriven"
        case .redrivenStep: "redrivenStep"
        case .handlerErrors: "handlerErrors"
        case .consumerRetries: "consumerRetries"
        case .stepRetries: "stepRetries"
        }
    }
}

extension StepResult {
    var caseName: String {
        switch self {
        case .reserved: "reserved"
        case .cannotReserve: "cannotReserve"
        case .reservationFailedByInjection: "reservationFailedByInjection"
        case .released: "released"
        case .nothingReserved: "nothingReserved"
        case .sold: "sold"
        case .nothingToSell: "nothingToSell"
        case .captured: "captured"
        case .declined: "declined"
        case .refunded: "refunded"
        case .noChargeToRefund: "noChargeToRefund"
        case .emptyRollback: "emptyRollback"
        case .suspended: "suspended"
        case .notified: "notified"
        case .awarded: "awarded"
        case .revoked: "revoked"
        case .noPointsToRevoke: "noPointsToRevoke"
        case .counted: "counted"
        case .countedConfirmed: "countedConfirmed"
        case .countedTooLate: "countedTooLate"
        case .reported: "reported"
        case .noOrder: "noOrder"
        case .alreadySettled: "alreadySettled"
        case .nothingToCancel: "nothingToCancel"
        case .sagaStepSucceeded: "sagaStepSucceeded"
        case .confirmed: "confirmed"
        case .markedForCompensation: "markedForCompensation"
        case .cancelled: "cancelled"
        case .executionAlreadyRuns: "executionAlreadyRuns"
        case .notPendingNoSaga: "notPendingNoSaga"
        case .executionStarted: "executionStarted"
        case .executionSucceeded: "executionSucceeded"
        case .executionFailed: "executionFailed"
        }
    }
}

extension SagaHappening {
    var caseName: String {
        switch self {
        case .calls: "calls"
        case .callLost: "callLost"
        case .callReceived: "callReceived"
        case .handlerFailed: "handlerFailed"
        case .resultLost: "resultLost"
        case .resultReceived: "resultReceived"
        case .lateResultIgnored: "lateResultIgnored"
        case .retryScheduled: "retryScheduled"
        case .stepDeadLettered: "stepDeadLettered"
        case .catches: "catches"
        case .publishFailed: "publishFailed"
        case .noAnswer: "noAnswer"
        case .deadlinePassedAfterPivot: "deadlinePassedAfterPivot"
        case .missedDeadline: "missedDeadline"
        case .undoesLateSuccess: "undoesLateSuccess"
        case .lateSuccessUndone: "lateSuccessUndone"
        case .timersKept: "timersKept"
        case .timersLost: "timersLost"
        case .timersOnlyInMemory: "timersOnlyInMemory"
        case .resumes: "resumes"
        }
    }
}

extension FaultHappening {
    var caseName: String {
        switch self {
        case .crashedAt: "crashedAt"
        case .crashed: "crashed"
        case .restarted: "restarted"
        case .publisherCrashed: "publisherCrashed"
        case .publisherRestarted: "publisherRestarted"
        case .partitioned: "partitioned"
        case .healed: "healed"
        case .deliversAgain: "deliversAgain"
        case .droppedDeliveries: "droppedDeliveries"
        }
    }
}

extension LabHappening {
    var caseName: String {
        switch self {
        case .setting: "setting"
        case .armedCrash: "armedCrash"
        case .armedMessageFault: "armedMessageFault"
        case .armedUntilPublished: "armedUntilPublished"
        case .failures: "failures"
        case .stockSet: "stockSet"
        case .product: "product"
        case .design: "design"
        case .restarts: "restarts"
        case .rollback: "rollback"
        case .outbox: "outbox"
        case .idempotency: "idempotency"
        case .recipe: "recipe"
        case .concurrency: "concurrency"
        case .flow: "flow"
        case .ruleAdded: "ruleAdded"
        case .ruleRemoved: "ruleRemoved"
        case .mode: "mode"
        case .durableTimers: "durableTimers"
        case .slowness: "slowness"
        case .keyValidation: "keyValidation"
        case .fence: "fence"
        case .rebuilt: "rebuilt"
        case .publishers: "publishers"
        }
    }
}
