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
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // Most lines fit as they are: one measure, no words taken apart.
            if indentWidth + displayWidth(String(paragraph)) <= width, !paragraph.contains("  "),
               paragraph.first != " ", paragraph.last != " " {
                lines.append(paragraph.isEmpty ? "" : indent + paragraph)
                continue
            }
            var current = ""
            var currentWidth = 0
            var prefix = indent
            var prefixWidth = indentWidth
            for word in paragraph.split(separator: " ") {
                let wordWidth = displayWidth(String(word))
                if current.isEmpty {
                    current = String(word)
                    currentWidth = wordWidth
                } else if prefixWidth + currentWidth + 1 + wordWidth <= width {
                    current += " " + word
                    currentWidth += 1 + wordWidth
                } else {
                    lines.append(prefix + current)
                    prefix = rest
                    prefixWidth = restWidth
                    current = String(word)
                    currentWidth = wordWidth
                }
            }
            lines.append(current.isEmpty ? "" : prefix + current)
        }
        return lines.joined(separator: "\n")
    }

    /// `text` with every line wider than `width` wrapped at spaces: an `error: ` line with
    /// its continuation indented two spaces, a log line (`[00:30.035] inventory: ...`) with
    /// it indented past the stamp, a line laid out in columns (`  events:    evt-1 ...`)
    /// under its second column, any other line two spaces deeper than it starts. Spaces
    /// inside a line are kept; lines that fit, the most, are left as they are.
    public static func fit(_ text: String, width: Int) -> String {
        guard text.utf8.count > width else { return text }
        var changed = false
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() where line.utf8.count > width && displayWidth(line) > width {
            let pieces = breakLine(line, width: width, hanging: hanging(for: line, width: width))
            if pieces.count > 1 {
                lines[index] = pieces.joined(separator: "\n")
                changed = true
            }
        }
        return changed ? lines.joined(separator: "\n") : text
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
