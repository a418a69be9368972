extension LabHappening {
    var text: String {
        switch self {
        case .setting(let name, let value): return "\(name) = \(VirtualTime.duration(value))"
        }
    }
}
