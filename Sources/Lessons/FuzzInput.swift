import SagaLab

/// One input of the fuzz target (`make fuzz`) and of the regression tests that keep what it
/// found: lines typed at a fresh workbench, and the promises the workbench keeps whatever
/// they are.
///
/// The fuzzer hands over arbitrary bytes; they are read as UTF-8 (invalid bytes become
/// U+FFFD, as the terminal program reads them) and split into lines, an empty line being
/// Enter. A first line `# width N` sets the terminal width (40, the workbench's narrowest,
/// to 400; 80 without it), so that the fuzzer varies the width too. Both the fuzz target
/// and `swift test` play inputs through `play`, so a kept input checks exactly what the
/// fuzzer checked.
public struct FuzzInput: Sendable {
    public var width: Int
    public var lines: [String]

    /// Progress reports a long command (`run`, `advance`, `step N`) makes before the input's
    /// watch stops it, as Ctrl-C would: one report every `CommandWatch.progressInterval`
    /// steps, so 512 steps, more than twice what any command of the transcripts takes.
    /// `explore` is stopped at its first report (256 states searched from), which keeps
    /// one input to a few milliseconds where a full search takes seconds and gigabytes.
    public static let reportsPerCommand = 2

    public init(width: Int = 80, lines: [String]) {
        self.width = width
        self.lines = lines
    }

    public init(_ bytes: some Collection<UInt8>) {
        var lines = String(decoding: bytes, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var width = 80
        if let first = lines.first, first.hasPrefix("# width ") {
            let digits = first.dropFirst("# width ".count)
            if digits.count <= 3, let n = Int(digits) { width = min(400, max(40, n)) }
            lines.removeFirst()
        }
        self.init(width: width, lines: lines)
    }

    /// A promise a reply broke, with the line that broke it.
    public struct BrokenPromise: Equatable, Sendable, CustomStringConvertible {
        /// 0-based index into `lines`.
        public var line: Int
        public var input: String
        public var promise: String

        public var description: String {
            let shown = input.count > 60 ? String(input.prefix(57)) + "..." : input
            return "line \(line + 1) `\(shown)`: \(promise)"
        }
    }

    /// Plays every line at a fresh workbench (seed 1, plain style) until `quit`, and returns
    /// the first promise a reply broke: a rejected command leaves the world exactly as it
    /// was and says so on a line that starts `error: `; every line of every reply fits the
    /// width. A crash, the remaining promise, ends the process.
    public func play() -> BrokenPromise? {
        var bench = Workbench(seed: 1, style: .plain, width: width)
        for (index, line) in lines.enumerated() {
            let before = bench.world
            let budget = StepBudget(reports: Self.reportsPerCommand)
            let watch = CommandWatch(shouldStop: { budget.isSpent }, progress: { budget.report($0) })
            let reply = bench.execute(line, watch: watch)
            func broken(_ promise: String) -> BrokenPromise { BrokenPromise(line: index, input: line, promise: promise) }
            if reply.isError {
                if !reply.text.hasPrefix("error: ") {
                    return broken("rejected without an `error: ` line: \(reply.text.prefix(80))")
                }
                if bench.world != before { return broken("rejected, yet the world changed") }
            }
            // A line of no more bytes than columns fits: no character is wider than its bytes.
            for shown in reply.text.split(separator: "\n", omittingEmptySubsequences: false)
            where shown.utf8.count > bench.width && displayWidth(String(shown)) > bench.width {
                return broken("a \(displayWidth(String(shown)))-column line at width \(bench.width): \(shown.prefix(100))")
            }
            if reply.effects.contains(.quit) { break }
        }
        return nil
    }
}

/// Counts a watched command's progress reports and says stop when they run out; a search
/// (`explore`) spends them all at once.
final class StepBudget {
    private var reports: Int

    init(reports: Int) { self.reports = reports }

    var isSpent: Bool { reports <= 0 }

    func report(_ progress: CommandProgress) {
        reports = progress.search == nil ? reports - 1 : 0
    }
}
