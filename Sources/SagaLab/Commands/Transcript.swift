/// A session transcript: lines that begin with the prompt are input, the lines up to the
/// next prompt are the output expected from it. Lines before the first prompt are a
/// free-form header. Transcripts are how tests, lessons and the handbook stay honest:
/// replaying the inputs must give back the file byte for byte.
public struct Transcript: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        /// 1-based line number of the prompt line.
        public var line: Int
        public var input: String
        public var expected: [String]
    }

    public static let prompt = "lab> "

    /// A line as the lab echoes it after the prompt: control characters (an escape that
    /// would recolour the terminal, a stray carriage return) shown as `?`, so that what was
    /// read cannot drive the terminal or slip unseen into a transcript.
    public static func echo(_ line: String) -> String {
        guard line.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }) else { return prompt + line }
        return prompt + String(String.UnicodeScalarView(line.unicodeScalars.map { scalar in
            (scalar.value < 0x20 && scalar.value != 0x09) || (0x7F...0x9F).contains(scalar.value) ? "?" : scalar
        }))
    }

    public var header: [String]
    public var entries: [Entry]

    public init(header: [String] = [], entries: [Entry] = []) {
        self.header = header
        self.entries = entries
    }

    public init(parsing text: String) {
        var header: [String] = []
        var entries: [Entry] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            if line.hasPrefix(Transcript.prompt) || line == trimTrailing(Transcript.prompt) {
                entries.append(Entry(line: index + 1, input: String(line.dropFirst(Transcript.prompt.count)), expected: []))
            } else if entries.isEmpty {
                header.append(line)
            } else {
                entries[entries.count - 1].expected.append(line)
            }
        }
        self.header = header
        self.entries = entries
    }

    /// The text of a transcript: header, then each prompt line followed by its output.
    public var text: String {
        var lines = header
        for entry in entries {
            lines.append(Transcript.prompt + entry.input)
            lines += entry.expected
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// Replays every input through `execute` and returns the transcript it really produces.
    public func replayed(_ execute: (String) -> String) -> Transcript {
        var result = Transcript(header: header)
        for entry in entries {
            let output = execute(entry.input)
            let lines = output.isEmpty ? [] : output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            result.entries.append(Entry(line: entry.line, input: entry.input, expected: lines))
        }
        return result
    }

    /// nil when replaying reproduces the transcript exactly; otherwise a unified diff.
    public func check(name: String, _ execute: (String) -> String) -> String? {
        UnifiedDiff.make(expected: text, actual: replayed(execute).text,
                         expectedName: name, actualName: "\(name) (replayed)")
    }
}

/// A script for `sagalab run`: one command a line, `#` comments and blank lines skipped.
/// A transcript works as a script too: only its prompt lines are taken.
public enum Script {
    public struct Line: Equatable, Sendable {
        public var number: Int
        public var text: String
    }

    public static func lines(_ text: String) -> [Line] {
        // Split the bytes, not the characters: a long script is read at once, and a Windows
        // line end ("\r\n", one character to Swift) still ends a line.
        let all = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(Substring($0)) }
        let isTranscript = all.contains { $0.hasPrefix(Transcript.prompt) }
        var out: [Line] = []
        for (index, raw) in all.enumerated() {
            var line = raw
            if line.hasSuffix("\r") { line.removeLast() }
            if isTranscript {
                guard line.hasPrefix(Transcript.prompt) else { continue }
                line = String(line.dropFirst(Transcript.prompt.count))
            }
            let trimmed = line.drop(while: \.isWhitespace)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            out.append(Line(number: index + 1, text: line))
        }
        return out
    }
}
