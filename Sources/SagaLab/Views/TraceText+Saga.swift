extension SagaHappening {
    var text: String {
        switch self {
        case .calls(let execution, let participant, let task, let attempt):
            return "\(execution) calls \(participant.rawValue): \(task.rawValue) (attempt \(attempt))"
        }
    }
}
