/// Splits a command line into words: whitespace separates, single or double quotes group,
/// `#` starts a comment. Rejects unmatched quotes and control characters with a reason.
public enum Tokenizer {
    public static func split(_ line: String) -> Result<[String], WorldError> {
        if let words = plainWords(line) { return .success(words) }
        return walk(line)
    }

    /// The full tokenizer, character by character: quotes, comments, control characters.
    static func walk(_ line: String) -> Result<[String], WorldError> {
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
