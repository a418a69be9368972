/// Word wrapping by terminal width, shared by help, lessons and every prose the lab prints.
public enum TextWrap {
    /// Wraps each paragraph of `text` (split on newlines) to `width` columns. The first line
    /// of a paragraph starts with `indent`, the rest with `hanging` (default: `indent`).
    /// A word longer than the width stays whole on its own line.
    public static func wrap(_ text: String, width: Int, indent: String = "", hanging: String? = nil) -> String {
        let rest = hanging ?? indent
        var lines: [String] = []
        let indentWidth = displayWidth(indent)
        let restWidth = displayWidth(rest)
        for paragraph in Self.lines(of: text)
        where !wrapPrintableASCII(paragraph, width: width, indent: (indent, indentWidth), rest: (rest, restWidth), into: &lines) {
            wrapCharacters(paragraph, width: width, indent: (indent, indentWidth), rest: (rest, restWidth), into: &lines)
        }
        return lines.joined(separator: "\n")
    }

    /// `wrap` for one paragraph of any text, measured character by character.
    static func wrapCharacters(_ paragraph: Substring, width: Int, indent: (text: String, width: Int),
                               rest: (text: String, width: Int), into lines: inout [String]) {
        // Most lines fit as they are: one measure, no words taken apart.
        if indent.width + displayWidth(String(paragraph)) <= width, !paragraph.contains("  "),
           paragraph.first != " ", paragraph.last != " " {
            lines.append(paragraph.isEmpty ? "" : indent.text + paragraph)
            return
        }
        var current = ""
        var currentWidth = 0
        var prefix = indent
        for word in paragraph.split(separator: " ") {
            let wordWidth = displayWidth(String(word))
            if current.isEmpty {
                current = String(word)
                currentWidth = wordWidth
            } else if prefix.width + currentWidth + 1 + wordWidth <= width {
                current += " " + word
                currentWidth += 1 + wordWidth
            } else {
                lines.append(prefix.text + current)
                prefix = rest
                current = String(word)
                currentWidth = wordWidth
            }
        }
        lines.append(current.isEmpty ? "" : prefix.text + current)
    }

    /// `wrap` for one paragraph of printable ASCII, where a byte is a column: the same lines,
    /// measured without decoding a character. False, with nothing appended, for any other text.
    static func wrapPrintableASCII(_ paragraph: Substring, width: Int, indent: (text: String, width: Int),
                                   rest: (text: String, width: Int), into lines: inout [String]) -> Bool {
        let bytes = paragraph.utf8
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
        if indent.width + bytes.count <= width, bytes.first != 0x20, bytes.last != 0x20,
           !zip(bytes, bytes.dropFirst()).contains(where: { $0 == 0x20 && $1 == 0x20 }) {
            lines.append(paragraph.isEmpty ? "" : indent.text + paragraph)
            return true
        }
        var current = ""
        var currentWidth = 0
        var prefix = indent
        for word in bytes.split(separator: 0x20) {
            if current.isEmpty {
                current = String(Substring(word))
                currentWidth = word.count
            } else if prefix.width + currentWidth + 1 + word.count <= width {
                current += " "
                current += Substring(word)
                currentWidth += 1 + word.count
            } else {
                lines.append(prefix.text + current)
                prefix = rest
                current = String(Substring(word))
                currentWidth = word.count
            }
        }
        lines.append(current.isEmpty ? "" : prefix.text + current)
        return true
    }

    /// `text` with every line wider than `width` wrapped at spaces: an `error: ` line with
    /// its continuation indented two spaces, a log line (`[00:30.035] inventory: ...`) with
    /// it indented past the stamp, a line laid out in columns (`  events:    evt-1 ...`)
    /// under its second column, any other line two spaces deeper than it starts. Spaces
    /// inside a line are kept; lines that fit, the most, are left as they are.
    public static func fit(_ text: String, width: Int) -> String {
        guard text.utf8.count > width, hasLongLine(text, width: width) else { return text }
        var changed = false
        var lines = Self.lines(of: text).map(String.init)
        for (index, line) in lines.enumerated() where line.utf8.count > width && displayWidth(line) > width {
            let pieces = breakLine(line, width: width, hanging: hanging(for: line, width: width))
            if pieces.count > 1 {
                lines[index] = pieces.joined(separator: "\n")
                changed = true
            }
        }
        return changed ? lines.joined(separator: "\n") : text
    }

    /// The lines of `text`, split at each newline byte without decoding characters.
    static func lines(of text: String) -> [Substring] {
        var found: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = start
        while index != bytes.endIndex {
            if bytes[index] == 0x0A {
                found.append(text[start..<index])
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        found.append(text[start...])
        return found
    }

    /// Whether some line of `text` has more than `width` bytes: a byte scan with no copies,
    /// since a line's columns never exceed its bytes and most replies have no such line.
    static func hasLongLine(_ text: String, width: Int) -> Bool {
        var run = 0
        for byte in text.utf8 {
            if byte == 0x0A {
                run = 0
            } else {
                run += 1
                if run > width { return true }
            }
        }
        return false
    }

    /// The indentation of a long line's continuation lines (see `fit`).
    static func hanging(for line: String, width: Int) -> String {
        let leading = line.prefix { $0 == " " }.count
        var columns = leading + 2
        if line.hasPrefix("error: ") || line.contains(": error: ") {
            columns = 2
        } else if line.hasPrefix("["), let close = line.firstIndex(of: "]"),
                  line.distance(from: line.startIndex, to: close) <= 16 {
            columns = line.distance(from: line.startIndex, to: close) + 2
        } else {
            // A second column (text after two spaces or more): continue under it.
            let characters = Array(line)
            var at = leading
            while at + 1 < characters.count, !(characters[at] == " " && characters[at + 1] == " ") { at += 1 }
            if at + 1 < characters.count {
                var after = at
                while after < characters.count, characters[after] == " " { after += 1 }
                if after < width / 2 { columns = after }
            }
        }
        return String(repeating: " ", count: min(columns, width / 2))
    }

    /// `line` cut at spaces into pieces of at most `width` columns, the first keeping its
    /// own indentation and the rest starting with `hanging`; runs of spaces inside a piece
    /// stay. A word too long for a piece (a long path, a pasted id) is cut where the piece
    /// is full, as the terminal would cut it, but under `hanging`.
    static func breakLine(_ line: String, width: Int, hanging: String) -> [String] {
        var out: [String] = []
        var rest = line
        var guardCount = 0
        while displayWidth(rest) > width && guardCount < 10_000 {
            guardCount += 1
            // The last space at which the piece before it fits, after the indentation.
            var column = 0
            var inEscape = false
            var seenText = false
            var cut: String.Index?
            // Where the piece is full, for a word with no space to cut at.
            var full: String.Index?
            var index = rest.startIndex
            let minimum = out.isEmpty ? 0 : hanging.count
            while index < rest.endIndex {
                let character = rest[index]
                if inEscape {
                    if let v = character.unicodeScalars.first?.value, (0x40...0x7E).contains(v), character != "[" { inEscape = false }
                } else if character == "\u{1B}" {
                    inEscape = true
                } else {
                    if character == " " {
                        if seenText && column >= minimum && column <= width { cut = index }
                    } else {
                        seenText = true
                    }
                    column += displayWidth(String(character))
                    if column > width {
                        full = index
                        break
                    }
                }
                index = rest.index(after: index)
            }
            if let cut {
                let tail = rest[cut...].drop { $0 == " " }
                if tail.isEmpty { break }
                out.append(trimTrailing(String(rest[..<cut])))
                rest = hanging + tail
            } else {
                guard let full, full > rest.startIndex else { break }
                out.append(trimTrailing(String(rest[..<full])))
                rest = hanging + rest[full...]
            }
        }
        out.append(rest)
        return out
    }
}
