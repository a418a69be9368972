/// Splits a command line into words: whitespace separates, single or double quotes group,
/// `#` starts a comment. Rejects unmatched quotes and control characters with a reason.
public enum Tokenizer {
    public static func split(_ line: String) -> Result<[String], WorldError> {
        if let words = plainWords(line) { return .success(words) }
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for ch in line {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
                continue
            }
            if ch == "\"" || ch == "'" {
                quote = ch
                inWord = true
            } else if ch == "#" && !inWord {
                break
            } else if ch.isWhitespace {
                if inWord { words.append(current); current = ""; inWord = false }
            } else if ch.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) }) {
                return .failure(WorldError("the line contains a control character; type plain text"))
            } else {
                current.append(ch)
                inWord = true
            }
        }
        if quote != nil { return .failure(WorldError("unmatched quote; close it or remove it")) }
        if inWord { words.append(current) }
        return .success(words)
    }

    /// The common case without walking characters: printable ASCII with no quote and no
    /// `#`, split at ASCII whitespace. Nil for anything else, which takes the full path.
    static func plainWords(_ line: String) -> [String]? {
        var plain = true
        line.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where !(0x20...0x7E).contains(byte) && !(0x09...0x0D).contains(byte)
                || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "#") {
                plain = false
                return
            }
        } ?? { plain = false }()
        guard plain else { return nil }
        return line.utf8.split(whereSeparator: { $0 == 0x20 || (0x09...0x0D).contains($0) }).map { String(Substring($0)) }
    }
}

/// Near-miss suggestions: the candidate within a small edit distance, or the only one a prefix fits.
public enum Suggest {
    public static func closest(_ word: String, in candidates: [String]) -> String? {
        let lower = word.lowercased()
        guard !lower.isEmpty, lower.count <= 40 else { return nil }
        let prefixed = candidates.filter { $0.hasPrefix(lower) }
        if prefixed.count == 1 { return prefixed[0] }
        let limit = lower.count <= 3 ? 1 : 2
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(lower, candidate)
            if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    /// " (did you mean 'x'?)" or "".
    public static func hint(_ word: String, in candidates: [String]) -> String {
        closest(word, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var row = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            }
            previous = row
        }
        return previous[y.count]
    }
}

/// Shortens what the learner typed before echoing it in an error, so a 100 000-character
/// line gives a one-line message.
func quoted(_ word: String) -> String {
    word.count <= 30 ? "'\(word)'" : "'\(word.prefix(27))...'"
}
