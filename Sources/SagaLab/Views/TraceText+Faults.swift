extension FaultHappening {
    var text: String {
        switch self {
        case .crashedAt(let point): return "CRASHED at \(point.rawValue)"
        }
    }
}
