/// The trace in words: each recorded `Happening` rendered as the text of its log line.
/// Nothing here runs until a line is shown.
extension TraceEntry {
    /// The line's text after the stamp and the lane name: `reserved prod-1x2 for ord-1`.
    public var text: String { what.text }
}

extension Happening {
    /// The happening in words, as its log line shows it after the lane name.
    public var text: String {
        switch self {
        case .api(let h): return h.text
        case .message(let h): return h.text
        case .step(let result, _, let outbox):
            return result.text + (outbox.map { "; outbox: \($0.type.rawValue) \($0.id)" } ?? "")
        case .saga(let h): return h.text
        case .fault(let h): return h.text
        case .lab(let h): return h.text
        case .invariantBroken(let title, let evidence): return "invariant broken: \(title): \(evidence)"
        case .recorded(_, let text): return text
        }
    }
}
