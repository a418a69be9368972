/// A JSON document as the exports build it: objects keep their keys in the order they were
/// written, so the output never depends on a dictionary's iteration order and the same
/// world always gives the same bytes.
///
/// The writer is a few dozen lines instead of Foundation's `JSONEncoder`, so that the lab
/// keeps its one dependency and chooses its own layout: an object or array that holds only
/// scalars (a trace entry, a stock row) stays on one line, which keeps exports readable and
/// their diffs small.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    /// A seed: every UInt64 is written exactly (a reader in JavaScript may round past 2^53).
    case unsigned(UInt64)
    case string(String)
    case array([JSONValue])
    /// Keys in the order given: the schema's order, never a hash order.
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.unsigned(let x), .unsigned(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// A string, or null when there is none.
    static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    /// A number, or null when there is none.
    static func number(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }

    var isScalar: Bool {
        switch self {
        case .array(let items): return items.isEmpty
        case .object(let pairs): return pairs.isEmpty
        default: return true
        }
    }

    /// The document as text, two spaces an indent, ending in a newline. `forHTML` also
    /// writes `<`, `>` and `&` as `\u003c` and so on, so the text can sit inside a
    /// `<script>` element of a page; `compact` leaves out every space and line break.
    public func written(forHTML: Bool = false, compact: Bool = false) -> String {
        var out = ""
        write(to: &out, indent: compact ? nil : "", forHTML: forHTML)
        return compact ? out : out + "\n"
    }

    /// Writes the value; a nil `indent` writes it compactly.
    func write(to out: inout String, indent: String?, forHTML: Bool) {
        let comma = indent == nil ? "," : ", "
        let colon = indent == nil ? ":" : ": "
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .unsigned(let n): out += String(n)
        case .string(let s): JSONValue.quote(s, into: &out, forHTML: forHTML)
        case .array(let items):
            guard let indent, !items.allSatisfy(\.isScalar) else {
                out += "["
                for (index, item) in items.enumerated() {
                    if index > 0 { out += comma }
                    item.write(to: &out, indent: indent, forHTML: forHTML)
                }
                out += "]"
                return
            }
            let inner = indent + "  "
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += inner
                item.write(to: &out, indent: inner, forHTML: forHTML)
                out += index + 1 < items.count ? ",\n" : "\n"
            }
            out += indent + "]"
        case .object(let pairs):
            guard let indent, !pairs.allSatisfy({ $0.1.isScalar }) else {
                out += "{"
                for (index, pair) in pairs.enumerated() {
                    if index > 0 { out += comma }
                    JSONValue.quote(pair.0, into: &out, forHTML: forHTML)
                    out += colon
                    pair.1.write(to: &out, indent: indent, forHTML: forHTML)
                }
                out += "}"
                return
            }
            let inner = indent + "  "
            out += "{\n"
            for (index, pair) in pairs.enumerated() {
                out += inner
                JSONValue.quote(pair.0, into: &out, forHTML: forHTML)
                out += ": "
                pair.1.write(to: &out, indent: inner, forHTML: forHTML)
                out += index + 1 < pairs.count ? ",\n" : "\n"
            }
            out += indent + "}"
        }
    }

    static func quote(_ text: String, into out: inout String, forHTML: Bool) {
        out += "\""
        // Most text needs no escape at all, and is appended whole: a long run's export
        // quotes tens of millions of strings.
        if !needsEscape(text, forHTML: forHTML) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where forHTML: out += "\\u003c"
            case ">" where forHTML: out += "\\u003e"
            case "&" where forHTML: out += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Whether `quote` would write any character of `text` other than as itself: a quote,
    /// a backslash, a control character, U+2028 or U+2029 (whose UTF-8 starts with 0xE2),
    /// or for HTML an angle bracket or an ampersand. Errs only towards true.
    private static func needsEscape(_ text: String, forHTML: Bool) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.contains { byte in
                byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0xE2
                    || forHTML && (byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&"))
            }
        }
    }
}
