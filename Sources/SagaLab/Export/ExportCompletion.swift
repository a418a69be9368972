/// TAB completion for `export`: the formats, a file name for each, the orders (Mermaid
/// only) and `counterexample`.
extension Completion {
    static func exportArguments(_ args: [String], orders: [String]) -> [String] {
        guard let first = args.first else { return ExportRequest.Format.allCases.map(\.rawValue) }
        guard let format = ExportRequest.Format(rawValue: first.lowercased()) else { return [] }
        switch args.count {
        case 1:
            switch format {
            case .mermaid: return ["trace.mmd"]
            case .json: return ["trace.json"]
            case .html: return ["timeline.html"]
            }
        case 2:
            return (format == .mermaid ? orders : []) + [ExportRequest.counterexampleWord]
        case 3:
            let third = args[2].lowercased()
            return format == .mermaid && third != ExportRequest.counterexampleWord ? [ExportRequest.counterexampleWord] : []
        default:
            return []
        }
    }
}
