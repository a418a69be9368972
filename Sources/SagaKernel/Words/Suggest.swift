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

    /// " (did you mean 'x'?)", " (did you mean 'x' or 'y'?)" when the word begins two or
    /// three names (`latency` for latency-min and latency-max), or "".
    public static func hint(_ word: String, in candidates: [String]) -> String {
        if let one = closest(word, in: candidates) { return " (did you mean '\(one)'?)" }
        let lower = word.lowercased()
        guard !lower.isEmpty, lower.count <= 40 else { return "" }
        let names = candidates.filter { $0.hasPrefix(lower) }.map { "'\($0)'" }
        guard (2...3).contains(names.count), let last = names.last else { return "" }
        return " (did you mean \(names.dropLast().joined(separator: ", ")) or \(last)?)"
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
public func quoted(_ word: String) -> String {
    // A control character (an escape typed or piped in) is shown as `?`, never sent on.
    let shown = word.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        ? String(String.UnicodeScalarView(word.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "?" : $0 }))
        : word
    return shown.count <= 30 ? "'\(shown)'" : "'\(shown.prefix(27))...'"
}
