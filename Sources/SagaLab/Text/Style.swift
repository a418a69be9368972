/// How text is decorated for the reader's terminal.
///
/// SagaLab prints colour and Unicode glyphs only on a real terminal; piped output,
/// transcripts and `NO_COLOR` get plain ASCII so that files stay byte-identical
/// whatever terminal produced them. Every renderer takes a `Style` instead of
/// asking the environment, which keeps the library pure.
public struct Style: Sendable, Equatable {
    /// ANSI colour and emphasis escapes.
    public var color: Bool
    /// Unicode glyphs (✓ ✗ → │ ─) instead of their ASCII stand-ins.
    public var unicode: Bool
    /// The terminal's width in columns: tables and log lines wrap to fit it (80 in pipes,
    /// scripts and transcripts).
    public var width: Int
    /// Where sentences wrap: at the terminal's width, and at 80 columns at most, so that a
    /// wide terminal does not stretch them past easy reading.
    public var proseWidth: Int { min(width, 80) }

    public init(color: Bool, unicode: Bool, width: Int = 80) {
        self.color = color
        self.unicode = unicode
        self.width = width
    }

    /// No colour, ASCII only: what transcripts, scripts and tests see.
    public static let plain = Style(color: false, unicode: false)
    /// Colour and Unicode: what an interactive terminal sees.
    public static let rich = Style(color: true, unicode: true)

    public enum Tone: Sendable {
        case bold, dim, italic, underline, red, green, yellow, blue, magenta, cyan
        var code: String {
            switch self {
            case .bold: return "1"
            case .dim: return "2"
            case .italic: return "3"
            case .underline: return "4"
            case .red: return "31"
            case .green: return "32"
            case .yellow: return "33"
            case .blue: return "34"
            case .magenta: return "35"
            case .cyan: return "36"
            }
        }
    }

    /// Wraps `text` in the escapes for `tones` when colour is on; returns it unchanged otherwise.
    /// One tone: the common case, without building an array of tones.
    public func paint(_ text: String, _ tone: Tone) -> String {
        guard color, !text.isEmpty else { return text }
        return "\u{1B}[\(tone.code)m\(text)\u{1B}[0m"
    }

    public func paint(_ text: String, _ tones: Tone...) -> String {
        guard color, !tones.isEmpty, !text.isEmpty else { return text }
        let codes = tones.map(\.code).joined(separator: ";")
        return "\u{1B}[\(codes)m\(text)\u{1B}[0m"
    }

    /// Picks the Unicode or the ASCII form of a glyph.
    public func glyph(_ unicode: String, _ ascii: String) -> String {
        self.unicode ? unicode : ascii
    }

    public var pass: String { paint(glyph("✓", "ok"), .green) }
    public var fail: String { paint(glyph("✗", "FAIL"), .red) }
    public var arrow: String { glyph("→", "->") }
    public var bullet: String { glyph("•", "-") }
}

/// Width of `text` in terminal columns, ignoring ANSI escapes; wide (East Asian, emoji) scalars count two.
public func displayWidth(_ text: String) -> Int {
    // Printable ASCII, as nearly every line the lab writes is: one column a byte.
    if let ascii = text.utf8.withContiguousStorageIfAvailable(printableASCIICount), let ascii { return ascii }
    var width = 0
    var inEscape = false
    for scalar in text.unicodeScalars {
        if inEscape {
            if (0x40...0x7E).contains(scalar.value) && scalar != "[" { inEscape = false }
            continue
        }
        if scalar == "\u{1B}" { inEscape = true; continue }
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { continue }
        if (0x0300...0x036F).contains(v) || v == 0x200D || (0xFE00...0xFE0F).contains(v) { continue }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v) {
            width += 2
        } else {
            width += 1
        }
    }
    return width
}

/// How many bytes `bytes` holds when every one is printable ASCII (a space to a tilde);
/// nil otherwise.
func printableASCIICount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    for byte in bytes where byte < 0x20 || byte > 0x7E { return nil }
    return bytes.count
}
