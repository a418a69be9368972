/// What `export` was asked to write: a format, a file, and which run to draw.
///
/// `export mermaid FILE [ORDER]`, `export json FILE` and `export html FILE`, each optionally
/// followed by `counterexample` for the last schedule `explore` found instead of the
/// session's own trace. Like `save`, the session only renders the file; the host writes it.
public struct ExportRequest: Equatable, Sendable {
    /// The three pictures of a run.
    public enum Format: String, CaseIterable, Sendable {
        /// A Mermaid `sequenceDiagram`, which GitHub renders in Markdown.
        case mermaid
        /// The trace and every database as `sagalab-trace/1` JSON.
        case json
        /// One self-contained page: the timeline as lanes and arrows, with a slider.
        case html
    }

    public var format: Format
    public var path: String
    /// One order's part of the trace (Mermaid only), as typed: `ord-1`.
    public var order: String?
    /// Draw the last counterexample `explore` found rather than the session's trace.
    public var counterexample: Bool
    /// `--force`: write over a file that exists.
    public var replacing: Bool

    public init(format: Format, path: String, order: String? = nil, counterexample: Bool = false, replacing: Bool = false) {
        self.format = format
        self.path = path
        self.order = order
        self.counterexample = counterexample
        self.replacing = replacing
    }

    /// The word that lets a command write over a file that exists.
    public static let forceWord = "--force"

    /// The word that selects the counterexample.
    public static let counterexampleWord = "counterexample"
}

extension CommandParser {
    /// `export mermaid|json|html FILE [ORDER] [counterexample]`; ORDER for mermaid only.
    static func exportRequest(_ words: [String], usage: (String) -> WorldError) throws -> ExportRequest {
        let (args, replacing) = forced(words)
        var request = try exportTarget(args, usage: usage)
        request.replacing = replacing
        return request
    }

    /// The words without `--force`, and whether it was there.
    /// A file name as typed: anything but blank (`save ""` names no file to write).
    static func fileName(_ word: String, for command: String, usage: (String) -> WorldError) throws -> String {
        guard !word.allSatisfy(\.isWhitespace) else { throw usage("\(command) needs a file name, not \(quoted(word))") }
        return word
    }

    static func forced(_ words: [String]) -> (words: [String], force: Bool) {
        let kept = words.filter { $0.lowercased() != ExportRequest.forceWord }
        return (kept, kept.count < words.count)
    }

    static func exportTarget(_ args: [String], usage: (String) -> WorldError) throws -> ExportRequest {
        let formats = ExportRequest.Format.allCases.map(\.rawValue)
        guard let first = args.first else {
            throw usage("export needs a format (\(formats.joined(separator: ", "))) and a file")
        }
        guard let format = ExportRequest.Format(rawValue: first.lowercased()) else {
            throw usage("unknown format \(quoted(first))\(Suggest.hint(first.lowercased(), in: formats)); formats: \(formats.joined(separator: ", "))")
        }
        guard args.count >= 2 else { throw usage("export \(format.rawValue) needs a file to write") }
        let path = try fileName(args[1], for: "export \(format.rawValue)", usage: usage)
        if path.lowercased() == ExportRequest.counterexampleWord {
            throw usage("export \(format.rawValue) needs a file before `counterexample`")
        }
        var rest = Array(args.dropFirst(2))
        var counterexample = false
        if rest.last?.lowercased() == ExportRequest.counterexampleWord {
            counterexample = true
            rest.removeLast()
        }
        guard let word = rest.first else {
            return ExportRequest(format: format, path: path, counterexample: counterexample)
        }
        guard rest.count == 1 else { throw usage("unexpected \(quoted(rest[1]))") }
        let order = word.lowercased()
        guard OrderId(parsing: order) != nil else {
            throw usage("\(quoted(word)) is neither an order id like ord-1 nor `counterexample`")
        }
        guard format == .mermaid else {
            throw usage("only `export mermaid` draws one order; export \(format.rawValue) takes the whole trace")
        }
        return ExportRequest(format: format, path: path, order: order, counterexample: counterexample)
    }

    /// Parses words already split (a host's own arguments, such as `sagalab run --export`),
    /// so that a file name with spaces needs no quoting.
    public static func parse(words: [String]) -> Outcome {
        guard let head = words.first else { return .empty }
        do {
            return .command(try parse(head.lowercased(), Array(words.dropFirst())))
        } catch let error as WorldError {
            return .error(error.message)
        } catch {
            return .error("\(error)")
        }
    }
}
