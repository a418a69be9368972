import SagaLab

/// Turns a handbook chapter written in Markdown into text for a terminal.
///
/// The handbook is read inside the REPL and its pages end up in golden session
/// transcripts, so rendering is a pure, deterministic function of the Markdown,
/// the width and the `Style`. With colour off the result is plain text that is
/// byte-identical on every machine; with colour on the layout is the same and
/// only ANSI emphasis is added. It covers the Markdown a handbook needs (ATX
/// headings, paragraphs, emphasis, inline code, links, nested lists, block
/// quotes, fenced code, rules and pipe tables), not the whole of CommonMark.
public enum MarkdownRenderer {
    /// Renders `markdown` wrapped to `width` terminal columns (never fewer than 20).
    ///
    /// Blocks are separated by one blank line, and the result ends with exactly one
    /// newline; a document without content renders as the empty string. Fenced code
    /// is reproduced verbatim, including any blank lines inside it. Code lines, wide
    /// tables and text nested so deeply that fewer than 8 columns remain may exceed `width`.
    public static func render(_ markdown: String, width: Int, style: Style) -> String {
        let blocks = Parser.blocks(in: Parser.lines(of: markdown)).blocks
        var lines = Printer(style: style).blocks(blocks, width: max(width, 20), depth: 0, spaced: true)
        while let first = lines.first, first.isEmpty { lines.removeFirst() }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}

// MARK: - Block structure

extension MarkdownRenderer {
    fileprivate enum Block {
        case heading(level: Int, text: String)
        case paragraph([String])
        case code([String])
        case quote([Block])
        case list(ordered: Bool, start: Int, delimiter: Character, items: [[Block]], loose: Bool)
        case rule
        case table(header: [String], alignments: [Alignment], rows: [[String]])
    }

    fileprivate enum Alignment {
        case left, center, right
    }

    // MARK: Line helpers

    fileprivate static func isBlank(_ line: String) -> Bool {
        line.allSatisfy { $0 == " " }
    }

    fileprivate static func leadingSpaces(_ line: String) -> Int {
        line.prefix { $0 == " " }.count
    }

    fileprivate static func trimmed(_ text: String) -> String {
        trimmingTrailingSpaces(String(text.drop { $0 == " " }))
    }

    fileprivate static func trimmingTrailingSpaces(_ text: String) -> String { trimTrailing(text) }

    fileprivate static func spaces(_ count: Int) -> String {
        String(repeating: " ", count: max(count, 0))
    }
}

// MARK: - Block parser

extension MarkdownRenderer {
    /// Splits the document into lines and groups them into blocks, recursing into quotes and list items.
    fileprivate enum Parser {
        static func lines(of text: String) -> [String] {
            text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
                .map { expandingTabs(String($0)) }
        }

        static func expandingTabs(_ line: String) -> String {
            guard line.contains("\t") else { return line }
            var result = ""
            var column = 0
            for character in line {
                if character == "\t" {
                    let count = 4 - column % 4
                    result += spaces(count)
                    column += count
                } else {
                    result.append(character)
                    column += 1
                }
            }
            return result
        }

        /// The blocks in `lines`, and whether a blank line separates any two of them (which makes a list item loose).
        static func blocks(in lines: [String]) -> (blocks: [Block], blankBetween: Bool) {
            var blocks: [Block] = []
            var blankBetween = false
            var sawBlank = false
            var index = 0
            while index < lines.count {
                if isBlank(lines[index]) {
                    sawBlank = true
                    index += 1
                    continue
                }
                if sawBlank && !blocks.isEmpty { blankBetween = true }
                sawBlank = false
                let (block, next) = block(in: lines, at: index)
                blocks.append(block)
                index = next
            }
            return (blocks, blankBetween)
        }

        /// The block starting at the non-blank line `index`, and the index of the line after it.
        static func block(in lines: [String], at index: Int) -> (Block, Int) {
            let line = lines[index]
            if let fence = Fence(line) { return code(in: lines, at: index, fence: fence) }
            if let heading = heading(line) { return (heading, index + 1) }
            if isRule(line) { return (.rule, index + 1) }
            if quoted(line) != nil { return quote(in: lines, at: index) }
            if let marker = ListMarker(line) { return list(in: lines, at: index, first: marker) }
            if let alignments = tableAlignments(lines, at: index) { return table(in: lines, at: index, alignments: alignments) }
            return paragraph(in: lines, at: index)
        }

        /// Whether the line at `index` starts a new block instead of continuing a paragraph.
        static func interrupts(_ lines: [String], at index: Int) -> Bool {
            let line = lines[index]
            if Fence(line) != nil || heading(line) != nil || isRule(line) || quoted(line) != nil { return true }
            if tableAlignments(lines, at: index) != nil { return true }
            if let marker = ListMarker(line), !marker.content.isEmpty, !marker.ordered || marker.number == 1 { return true }
            return false
        }

        static func endsInParagraph(_ blocks: [Block]) -> Bool {
            switch blocks.last {
            case .paragraph?: return true
            case .quote(let inner)?: return endsInParagraph(inner)
            case .list(_, _, _, let items, _)?: return endsInParagraph(items.last ?? [])
            default: return false
            }
        }

        /// Whether the line at `index` may continue the paragraph that `body` ends with although it
        /// lacks the indentation or `>`. `afterLazyLine` says the previous line was such a continuation,
        /// so the paragraph is known to go on and `body` need not be parsed again.
        static func isLazyContinuation(_ lines: [String], at index: Int, of body: [String], afterLazyLine: Bool) -> Bool {
            guard !isBlank(lines[index]), let last = body.last, !isBlank(last) else { return false }
            guard ListMarker(lines[index]) == nil, !interrupts(lines, at: index) else { return false }
            return afterLazyLine || endsInParagraph(blocks(in: body).blocks)
        }

        // MARK: Leaf blocks

        static func heading(_ line: String) -> Block? {
            guard leadingSpaces(line) <= 3 else { return nil }
            let rest = line.drop { $0 == " " }
            let level = rest.prefix { $0 == "#" }.count
            guard (1...6).contains(level) else { return nil }
            let after = rest.dropFirst(level)
            guard after.isEmpty || after.first == " " else { return nil }
            var text = trimmed(String(after))
            let closing = text.reversed().prefix { $0 == "#" }.count
            if closing == text.count {
                text = ""
            } else if closing > 0 {
                let kept = text.dropLast(closing)
                if kept.last == " " { text = trimmed(String(kept)) }
            }
            return .heading(level: level, text: text)
        }

        static func isRule(_ line: String) -> Bool {
            guard leadingSpaces(line) <= 3 else { return false }
            let marks = line.filter { $0 != " " }
            guard let first = marks.first, "-*_".contains(first), marks.count >= 3 else { return false }
            return marks.allSatisfy { $0 == first }
        }

        static func paragraph(in lines: [String], at index: Int) -> (Block, Int) {
            var body = [lines[index]]
            var next = index + 1
            while next < lines.count, !isBlank(lines[next]), !interrupts(lines, at: next) {
                body.append(lines[next])
                next += 1
            }
            return (.paragraph(body.map { String($0.drop { $0 == " " }) }), next)
        }

        /// An opening code fence: three or more backticks or tildes, optionally followed by an info string.
        struct Fence {
            let marker: Character
            let length: Int
            let indent: Int

            init?(_ line: String) {
                let indent = leadingSpaces(line)
                let rest = line.dropFirst(indent)
                guard indent <= 3, let first = rest.first, first == "`" || first == "~" else { return nil }
                let length = rest.prefix { $0 == first }.count
                guard length >= 3 else { return nil }
                if first == "`" && rest.dropFirst(length).contains("`") { return nil }
                self.marker = first
                self.length = length
                self.indent = indent
            }

            func isClosed(by line: String) -> Bool {
                guard leadingSpaces(line) <= 3 else { return false }
                let rest = line.drop { $0 == " " }
                let run = rest.prefix { $0 == marker }.count
                return run >= length && rest.dropFirst(run).allSatisfy { $0 == " " }
            }
        }

        static func code(in lines: [String], at index: Int, fence: Fence) -> (Block, Int) {
            var body: [String] = []
            var next = index + 1
            while next < lines.count {
                let line = lines[next]
                next += 1
                if fence.isClosed(by: line) { break }
                body.append(String(line.dropFirst(min(leadingSpaces(line), fence.indent))))
            }
            while let first = body.first, isBlank(first) { body.removeFirst() }
            while let last = body.last, isBlank(last) { body.removeLast() }
            return (.code(body), next)
        }

        // MARK: Tables

        static func cells(_ line: String) -> [String] {
            var text = trimmed(line)
            if text.hasPrefix("|") { text.removeFirst() }
            if text.hasSuffix("|") && !text.hasSuffix("\\|") { text.removeLast() }
            var cells: [String] = []
            var current = ""
            var escaped = false
            for character in text {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "|" {
                    cells.append(trimmed(current))
                    current = ""
                    continue
                }
                current.append(character)
            }
            cells.append(trimmed(current))
            return cells
        }

        static func separator(_ line: String) -> [Alignment]? {
            guard line.contains("|"), line.contains("-") else { return nil }
            var alignments: [Alignment] = []
            for cell in cells(line) {
                let left = cell.hasPrefix(":")
                let right = cell.hasSuffix(":")
                let dashes = cell.drop { $0 == ":" }.reversed().drop { $0 == ":" }
                guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
                alignments.append(left && right ? .center : right ? .right : .left)
            }
            return alignments
        }

        /// The column alignments when the line at `index` is a table header followed by its `|---|` row.
        static func tableAlignments(_ lines: [String], at index: Int) -> [Alignment]? {
            guard index + 1 < lines.count, lines[index].contains("|"), leadingSpaces(lines[index]) <= 3 else { return nil }
            guard let alignments = separator(lines[index + 1]), alignments.count == cells(lines[index]).count else { return nil }
            return alignments
        }

        static func table(in lines: [String], at index: Int, alignments: [Alignment]) -> (Block, Int) {
            var rows: [[String]] = []
            var next = index + 2
            while next < lines.count, lines[next].contains("|"), !isBlank(lines[next]), !interrupts(lines, at: next) {
                rows.append(cells(lines[next]))
                next += 1
            }
            return (.table(header: cells(lines[index]), alignments: alignments, rows: rows), next)
        }

        // MARK: Containers

        static func quoted(_ line: String) -> String? {
            guard leadingSpaces(line) <= 3 else { return nil }
            let rest = line.drop { $0 == " " }
            guard rest.first == ">" else { return nil }
            let body = rest.dropFirst()
            return String(body.first == " " ? body.dropFirst() : body)
        }

        static func quote(in lines: [String], at index: Int) -> (Block, Int) {
            var body: [String] = []
            var next = index
            var lazy = false
            while next < lines.count {
                if let content = quoted(lines[next]) {
                    body.append(content)
                    lazy = false
                } else if isLazyContinuation(lines, at: next, of: body, afterLazyLine: lazy) {
                    body.append(lines[next])
                    lazy = true
                } else {
                    break
                }
                next += 1
            }
            return (.quote(blocks(in: body).blocks), next)
        }

        /// The marker that opens a list item (`-`, `*`, `+`, `1.` or `1)`) and the text after it.
        struct ListMarker {
            let indent: Int
            let ordered: Bool
            let number: Int
            let delimiter: Character
            let contentColumn: Int
            let content: String

            init?(_ line: String) {
                let indent = leadingSpaces(line)
                let rest = Array(line.dropFirst(indent))
                guard let first = rest.first else { return nil }
                var markerLength = 1
                var number = 0
                var delimiter = first
                if !"-*+".contains(first) {
                    let digits = rest.prefix { ("0"..."9").contains($0) }
                    guard (1...9).contains(digits.count), digits.count < rest.count,
                          rest[digits.count] == "." || rest[digits.count] == ")" else { return nil }
                    number = Int(String(digits)) ?? 1
                    delimiter = rest[digits.count]
                    markerLength = digits.count + 1
                }
                let afterMarker = rest.dropFirst(markerLength)
                guard afterMarker.isEmpty || afterMarker.first == " " else { return nil }
                let padding = afterMarker.prefix { $0 == " " }.count
                let content = String(afterMarker.dropFirst(padding))
                self.indent = indent
                self.ordered = markerLength > 1
                self.number = number
                self.delimiter = delimiter
                self.contentColumn = indent + markerLength + (content.isEmpty ? 1 : min(padding, 4))
                self.content = content
            }
        }

        static func list(in lines: [String], at index: Int, first: ListMarker) -> (Block, Int) {
            var items: [[Block]] = []
            var loose = false
            var marker = first
            var next = index
            while true {
                var body = [marker.content]
                var blanks = 0
                var lazy = false
                next += 1
                while next < lines.count {
                    let line = lines[next]
                    if isBlank(line) {
                        blanks += 1
                        lazy = false
                    } else if leadingSpaces(line) > marker.indent {
                        body += Array(repeating: "", count: blanks)
                        body.append(String(line.dropFirst(min(leadingSpaces(line), marker.contentColumn))))
                        blanks = 0
                        lazy = false
                    } else if blanks == 0, isLazyContinuation(lines, at: next, of: body, afterLazyLine: lazy) {
                        body.append(trimmed(line))
                        lazy = true
                    } else {
                        break
                    }
                    next += 1
                }
                let parsed = blocks(in: body)
                items.append(parsed.blocks)
                loose = loose || parsed.blankBetween
                if next < lines.count, !isRule(lines[next]), let sibling = ListMarker(lines[next]),
                   sibling.ordered == first.ordered {
                    loose = loose || blanks > 0
                    marker = sibling
                    continue
                }
                next -= blanks
                break
            }
            let block = Block.list(ordered: first.ordered, start: first.number, delimiter: first.delimiter,
                                   items: items, loose: loose)
            return (block, next)
        }
    }
}

// MARK: - Block layout

extension MarkdownRenderer {
    /// Lays blocks out as terminal lines at a given width, indenting the contents of lists and quotes.
    fileprivate struct Printer {
        let style: Style

        func blocks(_ blocks: [Block], width: Int, depth: Int, spaced: Bool) -> [String] {
            var lines: [String] = []
            for block in blocks {
                let rendered = self.block(block, width: width, depth: depth)
                guard !rendered.isEmpty else { continue }
                if spaced && !lines.isEmpty { lines.append("") }
                lines += rendered
            }
            return lines
        }

        func block(_ block: Block, width: Int, depth: Int) -> [String] {
            switch block {
            case let .heading(level, text):
                return heading(level: level, text: text, width: width)
            case .paragraph(let lines):
                return Inline(style: style).wrapped(Inline.joined(lines), tones: [], width: width)
            case .code(let lines):
                // Indented when it fits: a session recorded 80 columns wide goes flush left
                // rather than past the edge of an 80-column terminal.
                let indent = lines.allSatisfy { displayWidth($0) + 4 <= width } ? "    " : ""
                return lines.map { isBlank($0) ? "" : indent + style.paint($0, .dim) }
            case .quote(let inner):
                let gutter = style.paint(style.glyph("│", "|"), .dim)
                return blocks(inner, width: max(width - 2, 8), depth: depth, spaced: true)
                    .map { $0.isEmpty ? gutter : gutter + " " + $0 }
            case let .list(ordered, start, delimiter, items, loose):
                return list(ordered: ordered, start: start, delimiter: delimiter, items: items, loose: loose,
                            width: width, depth: depth)
            case .rule:
                return [style.paint(String(repeating: style.glyph("─", "-"), count: min(width, 80)), .dim)]
            case let .table(header, alignments, rows):
                return table(header: header, alignments: alignments, rows: rows)
            }
        }

        func heading(level: Int, text: String, width: Int) -> [String] {
            let tones: [Style.Tone] = level == 1 ? [.bold, .underline] : [.bold]
            let lines = Inline(style: style).wrapped(text, tones: tones, width: width)
            guard !style.color, level <= 2, let widest = lines.map(displayWidth).max() else { return lines }
            return lines + [String(repeating: level == 1 ? "=" : "-", count: widest)]
        }

        func list(ordered: Bool, start: Int, delimiter: Character, items: [[Block]], loose: Bool,
                  width: Int, depth: Int) -> [String] {
            let bullet = depth % 2 == 0 ? style.bullet : style.glyph("◦", "-")
            let markers = items.indices.map { ordered ? "\(start + $0)\(delimiter)" : bullet }
            let markerWidth = markers.map(displayWidth).max() ?? 1
            let hanging = spaces(markerWidth + 1)
            var lines: [String] = []
            for (number, item) in items.enumerated() {
                let body = blocks(item, width: max(width - markerWidth - 1, 8), depth: depth + 1, spaced: loose)
                let marker = spaces(markerWidth - displayWidth(markers[number])) + markers[number]
                if loose && number > 0 { lines.append("") }
                guard let first = body.first else {
                    lines.append(marker)
                    continue
                }
                lines.append(first.isEmpty ? marker : marker + " " + first)
                lines += body.dropFirst().map { $0.isEmpty ? "" : hanging + $0 }
            }
            return lines
        }

        func table(header: [String], alignments: [Alignment], rows: [[String]]) -> [String] {
            let inline = Inline(style: style)
            let head = header.map { inline.line($0, tones: [.bold]) }
            let body = rows.map { $0.map { inline.line($0, tones: []) } }
            let columns = ([head] + body).map(\.count).max() ?? 0
            var widths = Array(repeating: 0, count: columns)
            for row in [head] + body {
                for (column, cell) in row.enumerated() { widths[column] = max(widths[column], displayWidth(cell)) }
            }
            func row(_ cells: [String]) -> String {
                let padded = (0..<columns).map { column -> String in
                    let cell = column < cells.count ? cells[column] : ""
                    let gap = widths[column] - displayWidth(cell)
                    let alignment = column < alignments.count ? alignments[column] : .left
                    let left = alignment == .right ? gap : alignment == .center ? gap / 2 : 0
                    return spaces(left) + cell + spaces(gap - left)
                }
                return trimmingTrailingSpaces(padded.joined(separator: "  "))
            }
            let rule = widths.map { String(repeating: style.glyph("─", "-"), count: $0) }.joined(separator: "  ")
            return ([row(head), style.paint(rule, .dim)] + body.map(row)).filter { !$0.isEmpty }
        }
    }
}

// MARK: - Inline formatter

extension MarkdownRenderer {
    /// Formats the text of a paragraph, heading or table cell: emphasis, code, links, escapes and word wrapping.
    fileprivate struct Inline {
        let style: Style

        /// A stretch of formatted text; spaces in a breakable piece are places where a line may wrap.
        enum Piece {
            case text(String, [Style.Tone], breakable: Bool)
            case lineBreak
        }

        struct Fragment {
            var text: String
            var tones: [Style.Tone]
        }

        enum Token {
            case word([Fragment])
            case space([Style.Tone])
            case lineBreak
        }

        static let punctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

        /// Joins a paragraph's lines with spaces, keeping a hard break (two trailing spaces or `\`) as a newline.
        static func joined(_ lines: [String]) -> String {
            var text = ""
            for (number, line) in lines.enumerated() {
                guard number < lines.count - 1 else {
                    text += trimmingTrailingSpaces(line)
                    break
                }
                var content = line
                let backslashes = content.reversed().prefix { $0 == "\\" }.count
                var hardBreak = content.hasSuffix("  ")
                if backslashes % 2 == 1 {
                    content.removeLast()
                    hardBreak = true
                }
                text += trimmingTrailingSpaces(content) + (hardBreak ? "\n" : " ")
            }
            return text
        }

        /// `text` formatted and wrapped into lines no wider than `width` columns.
        func wrapped(_ text: String, tones: [Style.Tone], width: Int) -> [String] {
            Self.wrap(Self.tokens(pieces(text, tones: tones)), width: width).map(render)
        }

        /// `text` formatted on a single line, for table cells.
        func line(_ text: String, tones: [Style.Tone]) -> String {
            Self.wrap(Self.tokens(pieces(text, tones: tones)), width: .max).map(render).joined(separator: " ")
        }

        // MARK: Parsing

        func pieces(_ text: String, tones: [Style.Tone]) -> [Piece] {
            parse(Array(text), tones: tones)
        }

        private func parse(_ chars: [Character], tones: [Style.Tone]) -> [Piece] {
            var pieces: [Piece] = []
            var text = ""
            func flush() {
                if !text.isEmpty { pieces.append(.text(text, tones, breakable: true)) }
                text = ""
            }
            var index = 0
            while index < chars.count {
                let character = chars[index]
                let next: Character? = index + 1 < chars.count ? chars[index + 1] : nil
                if character == "\\", let escaped = next, Self.punctuation.contains(escaped) {
                    text.append(escaped)
                    index += 2
                } else if character == "\n" {
                    flush()
                    pieces.append(.lineBreak)
                    index += 1
                } else if character == "`" {
                    let run = Self.runLength(chars, at: index)
                    if let close = Self.closingBackticks(chars, from: index + run, length: run) {
                        flush()
                        pieces.append(code(Array(chars[(index + run)..<close]), fence: run, tones: tones))
                        index = close + run
                    } else {
                        text += String(repeating: "`", count: run)
                        index += run
                    }
                } else if character == "*" || character == "_" {
                    let run = Self.runLength(chars, at: index)
                    if let close = Self.closingEmphasis(chars, at: index, length: run) {
                        flush()
                        let emphasis: [Style.Tone] = run == 1 ? [.italic] : run == 2 ? [.bold] : [.bold, .italic]
                        pieces += parse(Array(chars[(index + run)..<close]), tones: tones + emphasis)
                        index = close + run
                    } else {
                        text += String(repeating: character, count: run)
                        index += run
                    }
                } else if let link = Self.link(chars, at: character == "!" && next == "[" ? index + 1 : index) {
                    flush()
                    pieces += linkPieces(link, tones: tones)
                    index = link.end
                } else if character == "<", let (url, end) = Self.autolink(chars, at: index) {
                    flush()
                    pieces.append(.text(url, tones, breakable: true))
                    index = end
                } else {
                    text.append(character)
                    index += 1
                }
            }
            flush()
            return pieces
        }

        private func code(_ content: [Character], fence: Int, tones: [Style.Tone]) -> Piece {
            var body = String(content.map { $0 == "\n" ? " " : $0 })
            if body.count >= 2, body.first == " ", body.last == " ", !isBlank(body) {
                body = String(body.dropFirst().dropLast())
            }
            if style.color { return .text(body, tones + [.cyan], breakable: false) }
            let ticks = String(repeating: "`", count: fence)
            let pad = body.hasPrefix("`") || body.hasSuffix("`") ? " " : ""
            return .text(ticks + pad + body + pad + ticks, tones, breakable: false)
        }

        private func linkPieces(_ link: Link, tones: [Style.Tone]) -> [Piece] {
            let label = String(link.label)
            if link.url.isEmpty { return parse(link.label, tones: tones) }
            if label.isEmpty || label == link.url || label == "`\(link.url)`" {
                return [.text(link.url, tones, breakable: true)]
            }
            // A link between the handbook's own pages (`[chapter 3](03-idempotent-consumers.md)`)
            // shows its words only: in the lab a chapter is opened by its number, not a file.
            if !link.url.contains(":"), link.url.hasSuffix(".md") || link.url.contains(".md#") {
                return parse(link.label, tones: tones)
            }
            return parse(link.label, tones: tones) + [.text(" (\(link.url))", tones, breakable: true)]
        }

        static func runLength(_ chars: [Character], at index: Int) -> Int {
            chars[index...].prefix { $0 == chars[index] }.count
        }

        static func closingBackticks(_ chars: [Character], from start: Int, length: Int) -> Int? {
            var index = start
            while index < chars.count {
                guard chars[index] == "`" else {
                    index += 1
                    continue
                }
                let run = runLength(chars, at: index)
                if run == length { return index }
                index += run
            }
            return nil
        }

        /// The index after the code span or backtick run that starts at `index`.
        static func skippingCode(_ chars: [Character], at index: Int) -> Int {
            let run = runLength(chars, at: index)
            guard let close = closingBackticks(chars, from: index + run, length: run) else { return index + run }
            return close + run
        }

        static func isWordCharacter(_ character: Character) -> Bool {
            character.isLetter || character.isNumber
        }

        /// Where the delimiter run that closes the emphasis opened at `index` starts, if it is closed.
        ///
        /// A `*` opener must be followed by a non-space; `_` must also not sit inside a word
        /// (so `snake_case_names` stay as they are). The closer is a run of the same length.
        static func closingEmphasis(_ chars: [Character], at index: Int, length: Int) -> Int? {
            let delimiter = chars[index]
            guard length <= 3, index + length < chars.count, !chars[index + length].isWhitespace else { return nil }
            if delimiter == "_", index > 0, isWordCharacter(chars[index - 1]) { return nil }
            var position = index + length
            while position < chars.count {
                let character = chars[position]
                if character == "\\" {
                    position += 2
                } else if character == "`" {
                    position = skippingCode(chars, at: position)
                } else if character == delimiter {
                    let run = runLength(chars, at: position)
                    let after = position + run
                    if run == length, !chars[position - 1].isWhitespace,
                       delimiter == "*" || after >= chars.count || !isWordCharacter(chars[after]) {
                        return position
                    }
                    position = after
                } else {
                    position += 1
                }
            }
            return nil
        }

        struct Link {
            let label: [Character]
            let url: String
            let end: Int
        }

        /// The `[label](url "title")` link (or image, when preceded by `!`) whose `[` is at `open`.
        static func link(_ chars: [Character], at open: Int) -> Link? {
            guard open < chars.count, chars[open] == "[" else { return nil }
            var depth = 0
            var close = open
            while close < chars.count {
                let character = chars[close]
                if character == "\\" {
                    close += 2
                    continue
                }
                if character == "`" {
                    close = skippingCode(chars, at: close)
                    continue
                }
                if character == "[" { depth += 1 }
                if character == "]" {
                    depth -= 1
                    if depth == 0 { break }
                }
                close += 1
            }
            guard close + 1 < chars.count, chars[close + 1] == "(" else { return nil }
            var end = close + 2
            var parentheses = 1
            while end < chars.count {
                if chars[end] == "\\" {
                    end += 2
                    continue
                }
                if chars[end] == "(" { parentheses += 1 }
                if chars[end] == ")" {
                    parentheses -= 1
                    if parentheses == 0 { break }
                }
                end += 1
            }
            guard end < chars.count else { return nil }
            let destination = trimmed(String(chars[(close + 2)..<end]))
            let url: String
            if destination.hasPrefix("<"), let bracket = destination.firstIndex(of: ">") {
                url = String(destination[destination.index(after: destination.startIndex)..<bracket])
            } else {
                url = String(destination.prefix { !$0.isWhitespace })
            }
            return Link(label: Array(chars[(open + 1)..<close]), url: url, end: end + 1)
        }

        /// An autolink such as `<https://example.com>`: its URL and the index after the `>`.
        static func autolink(_ chars: [Character], at index: Int) -> (String, Int)? {
            guard let close = chars[index...].firstIndex(of: ">") else { return nil }
            let url = String(chars[(index + 1)..<close])
            let schemes = ["http://", "https://", "mailto:"]
            guard schemes.contains(where: { url.hasPrefix($0) }), !url.contains(where: \.isWhitespace) else { return nil }
            return (url, close + 1)
        }

        // MARK: Wrapping

        /// Splits formatted pieces into words (which may mix tones, as in `**bold**,`) and the spaces between them.
        static func tokens(_ pieces: [Piece]) -> [Token] {
            var tokens: [Token] = []
            var word: [Fragment] = []
            var space: [Style.Tone]?
            func endWord() {
                if !word.isEmpty { tokens.append(.word(word)) }
                word = []
            }
            for piece in pieces {
                switch piece {
                case .lineBreak:
                    endWord()
                    space = nil
                    tokens.append(.lineBreak)
                case let .text(text, tones, breakable):
                    for character in text {
                        if breakable && character == " " {
                            endWord()
                            if space == nil { space = tones }
                            continue
                        }
                        if word.isEmpty, let pending = space {
                            if case .word? = tokens.last { tokens.append(.space(pending)) }
                            space = nil
                        }
                        if let last = word.last, last.tones == tones {
                            word[word.count - 1].text.append(character)
                        } else {
                            word.append(Fragment(text: String(character), tones: tones))
                        }
                    }
                }
            }
            endWord()
            return tokens
        }

        /// Greedy word wrap by display width; a word is split only when it is wider than a whole line.
        ///
        /// Such a word (a long code span, say) first wraps at any spaces inside it, and only a
        /// part that is still too wide is cut between characters.
        static func wrap(_ tokens: [Token], width: Int) -> [[Fragment]] {
            var lines: [[Fragment]] = []
            var line: [Fragment] = []
            var used = 0
            var space: [Style.Tone] = []
            func newLine() {
                lines.append(line)
                line = []
                used = 0
            }
            var pending = Array(tokens.reversed())
            while let token = pending.popLast() {
                switch token {
                case .space(let tones):
                    space = tones
                case .lineBreak:
                    if !lines.isEmpty || !line.isEmpty { newLine() }
                case .word(let fragments):
                    let size = fragments.reduce(0) { $0 + displayWidth($1.text) }
                    if !line.isEmpty && used + 1 + size <= width {
                        line.append(Fragment(text: " ", tones: space))
                        line += fragments
                        used += 1 + size
                        continue
                    }
                    if !line.isEmpty { newLine() }
                    if size <= width {
                        line = fragments
                        used = size
                        continue
                    }
                    let parts = Self.tokens(fragments.map { Piece.text($0.text, $0.tones, breakable: true) })
                    if parts.count > 1 {
                        pending += parts.reversed()
                        continue
                    }
                    for fragment in fragments {
                        for character in fragment.text {
                            let columns = displayWidth(String(character))
                            if used > 0 && used + columns > width { newLine() }
                            line.append(Fragment(text: String(character), tones: fragment.tones))
                            used += columns
                        }
                    }
                }
            }
            if !line.isEmpty { lines.append(line) }
            return lines
        }

        /// Paints a line, merging neighbouring fragments that share their tones into one escape sequence.
        func render(_ line: [Fragment]) -> String {
            var merged: [Fragment] = []
            for fragment in line {
                if let last = merged.last, last.tones == fragment.tones {
                    merged[merged.count - 1].text += fragment.text
                } else {
                    merged.append(fragment)
                }
            }
            return merged.map { paint($0.text, $0.tones) }.joined()
        }

        func paint(_ text: String, _ tones: [Style.Tone]) -> String {
            var unique: [Style.Tone] = []
            for tone in tones where !unique.contains(tone) { unique.append(tone) }
            switch unique.count {
            case 0: return text
            case 1: return style.paint(text, unique[0])
            case 2: return style.paint(text, unique[0], unique[1])
            case 3: return style.paint(text, unique[0], unique[1], unique[2])
            default: return unique.reduce(text) { style.paint($0, $1) }
            }
        }
    }
}
