import SagaLab

/// Checks transcripts the way `make test` and `sagalab check` both do: each transcript, and
/// each chapter's ```sagalab blocks taken together as one session, replayed through a fresh
/// `Workbench` (seed 1, plain style, 80 columns).
public enum TranscriptSuite {
    public struct Outcome: Sendable {
        /// nil when the replay matches; otherwise a unified diff.
        public var diff: String?
        /// The file as the replay would write it (`check --update`).
        public var updated: String
    }

    /// Why a file gives `check` nothing to replay, or nil when it has a `lab> ` line (in a
    /// ```sagalab block, for Markdown): a file with none would otherwise pass unchecked.
    public static func nothingToCheck(_ text: String, markdown: Bool) -> String? {
        if markdown {
            let inputs = blocks(in: text).flatMap { Transcript(parsing: $0.body).entries }
            return inputs.isEmpty ? "no ```sagalab block with a `lab> ` line, so nothing to check" : nil
        }
        return Transcript(parsing: text).entries.isEmpty
            ? "no `lab> ` line, so nothing to check (a transcript's input lines start with `lab> `)" : nil
    }

    /// The width every transcript and chapter session is recorded at.
    public static let recordedWidth = 80

    public static func freshBench() -> Workbench { Workbench(seed: 1, style: .plain, width: recordedWidth) }

    public static func checkTranscript(_ text: String, name: String) -> Outcome {
        var bench = freshBench()
        let transcript = Transcript(parsing: text)
        let replayed = transcript.replayed { bench.execute($0).text }
        let diff = UnifiedDiff.make(expected: text, actual: replayed.text, expectedName: name, actualName: "\(name) (replayed)")
        return Outcome(diff: diff, updated: replayed.text)
    }

    /// A chapter's session blocks: fenced code blocks whose info string is `sagalab`. A
    /// block inside a `~~~` fence is an example of a file (a lesson, in chapter 15), not a session.
    public static func blocks(in markdown: String) -> [(range: Range<Int>, body: String)] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var found: [(Range<Int>, String)] = []
        var start: Int?
        var inExample = false
        for (index, line) in lines.enumerated() {
            if start == nil, line.hasPrefix("~~~") {
                inExample.toggle()
            } else if inExample {
                continue
            } else if start == nil, trimTrailing(line) == "```sagalab" {
                start = index
            } else if let s = start, trimTrailing(line) == "```" {
                found.append((s + 1..<index, lines[(s + 1)..<index].map { $0 + "\n" }.joined()))
                start = nil
            }
        }
        return found
    }

    public static func checkChapter(_ markdown: String, name: String) -> Outcome {
        let updated = replayingSessions(markdown, on: freshBench())
        let diff = UnifiedDiff.make(expected: markdown, actual: updated, expectedName: name, actualName: "\(name) (replayed)")
        return Outcome(diff: diff, updated: updated)
    }

    /// `markdown` with its session blocks as a fresh lab `width` columns wide answers them:
    /// a chapter read on a terminal narrower than the 80 columns its sessions were recorded
    /// at shows them wrapped as the lab wraps its own lines there, not cut at the edge.
    public static func replayingSessions(_ markdown: String, width: Int) -> String {
        replayingSessions(markdown, on: Workbench(seed: 1, style: .plain, width: width))
    }

    private static func replayingSessions(_ markdown: String, on start: Workbench) -> String {
        var bench = start
        var lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var replacements: [(Range<Int>, [String])] = []
        for block in blocks(in: markdown) {
            let replayed = Transcript(parsing: block.body).replayed { bench.execute($0).text }
            var text = replayed.text
            if text.hasSuffix("\n") { text.removeLast() }
            replacements.append((block.range, text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)))
        }
        for (range, replacement) in replacements.reversed() {
            lines.replaceSubrange(range, with: replacement)
        }
        return lines.joined(separator: "\n")
    }
}
