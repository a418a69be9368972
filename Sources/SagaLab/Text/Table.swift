/// A plain text table: columns padded to their widest cell (by terminal width), a header
/// underlined with dashes. Every `show` view is built from these.
public struct Table: Sendable {
    public var headers: [String]
    public var rows: [[String]]

    public init(_ headers: [String], _ rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    /// The table in `style`, fitting `style.width` columns: while it is too wide, columns
    /// narrow (`fit`, never below `minimumColumn`) and their cells wrap onto continuation
    /// lines, at spaces where they can. A table that cannot fit even so, or only by cutting
    /// words in one row of four, is shown as records, one block of lines per row (`records`).
    ///
    /// `shouldStop` is asked every `stride` rows; when it says stop, the rows not yet drawn
    /// are left out, and the caller, which asked it, shows none of the table.
    public func render(_ style: Style, indent: String = "", until shouldStop: () -> Bool = { false }) -> String {
        render(style, indent: indent, width: style.width, until: shouldStop)
    }

    /// Rows drawn between two looks at `shouldStop`.
    static let stride = 4096

    /// Columns are never narrowed below this many.
    public static let minimumColumn = 8

    public func render(_ style: Style, indent: String, width: Int, until shouldStop: () -> Bool = { false }) -> String {
        let columns = headers.count
        var widths = headers.map(displayWidth)
        for (n, row) in rows.enumerated() {
            if n % Table.stride == 0, n > 0, shouldStop() { return "" }
            for (i, cell) in row.prefix(columns).enumerated() { widths[i] = max(widths[i], displayWidth(cell)) }
        }
        if widths.reduce(0, +) + 2 * max(0, columns - 1) + displayWidth(indent) > width {
            var shapes = [ColumnShape](repeating: ColumnShape(), count: columns)
            for row in [headers] + rows.prefix(Table.sampledRows) {
                for (i, cell) in row.prefix(columns).enumerated() { shapes[i].add(cell) }
            }
            Table.fit(&widths, into: width - displayWidth(indent), shapes: shapes)
            let cuts = shapes.indices.reduce(0) { $0 + shapes[$1].layout(at: widths[$1]).cuts }
            if widths.reduce(0, +) + 2 * max(0, columns - 1) + displayWidth(indent) > width
                || cuts * 4 > min(rows.count, Table.sampledRows) + 1 {
                return records(style, indent: indent, width: width, until: shouldStop)
            }
        }
        func lines(_ cells: [String]) -> [String] {
            let pieces = (0..<columns).map { i in Table.wrap(i < cells.count ? cells[i] : "", width: widths[i]) }
            let height = pieces.map(\.count).max() ?? 1
            return (0..<height).map { k in
                var out = indent
                for i in 0..<columns {
                    let cell = k < pieces[i].count ? pieces[i][k] : ""
                    out += cell
                    if i < columns - 1 { out += String(repeating: " ", count: max(0, widths[i] - displayWidth(cell)) + 2) }
                }
                return trimTrailing(out)
            }
        }
        var out = lines(headers).map { style.paint($0, .bold) }
        out.append(indent + widths.map { String(repeating: style.glyph("─", "-"), count: $0) }.joined(separator: "  "))
        for (n, row) in rows.enumerated() {
            if n % Table.stride == 0, n > 0, shouldStop() { break }
            out += lines(row)
        }
        return out.joined(separator: "\n")
    }

    /// The table as a block of `header  value` lines for each row, a blank line between
    /// rows: how a table is shown when it is too wide for the terminal even with every
    /// column at `minimumColumn`, so that no line runs past the terminal's edge and wraps
    /// into the next, or when it would fit only by cutting words in many of its cells (as
    /// psql's expanded display).
    func records(_ style: Style, indent: String, width: Int, until shouldStop: () -> Bool = { false }) -> String {
        let label = headers.map(displayWidth).max() ?? 0
        let room = max(Table.minimumColumn, width - displayWidth(indent) - label - 2)
        var out: [String] = []
        for (n, row) in rows.enumerated() {
            if n % Table.stride == 0, n > 0, shouldStop() { break }
            if n > 0 { out.append("") }
            for (i, header) in headers.enumerated() {
                let name = style.paint(header, .bold) + String(repeating: " ", count: label - displayWidth(header))
                let blank = String(repeating: " ", count: label)
                for (k, line) in Table.wrap(i < row.count ? row[i] : "", width: room).enumerated() {
                    out.append(trimTrailing(indent + (k == 0 ? name : blank) + "  " + line))
                }
            }
        }
        return out.joined(separator: "\n")
    }

    /// The rows, after the header, that `fit` weighs: a table of thousands of rows (`show
    /// orders`) has rows alike, and its first ones say how its columns wrap.
    static let sampledRows = 1_000

    /// Narrows columns until the row fits in `room` (two spaces between columns), choosing
    /// each time the cut that costs the least per column saved (`ColumnShape.cost`: a line
    /// for each line a cell gains, three for a word broken after a hyphen or a dot, 31
    /// for a word cut), over the header and the sampled rows. So a column of sentences wraps
    /// before a column of event types breaks, and a rare long id breaks before every row's
    /// time wraps. Ties go to the widest column. Never below `minimumColumn`.
    static func fit(_ widths: inout [Int], into room: Int, shapes: [ColumnShape]) {
        var known = widths.map { [Int?](repeating: nil, count: $0 + 1) }
        func cost(_ column: Int, _ width: Int) -> Int {
            if let cost = known[column][width] { return cost }
            let cost = shapes[column].cost(at: width)
            known[column][width] = cost
            return cost
        }
        var excess = widths.reduce(0, +) + 2 * max(0, widths.count - 1) - room
        while excess > 0 {
            var best: (column: Int, cut: Int, cost: Int)?
            for column in widths.indices where widths[column] > minimumColumn {
                let now = cost(column, widths[column])
                for cut in 1...min(excess, widths[column] - minimumColumn) {
                    let added = cost(column, widths[column] - cut) - now
                    guard let chosen = best else {
                        best = (column, cut, added)
                        continue
                    }
                    let (mine, theirs) = (added * chosen.cut, chosen.cost * cut)
                    if mine < theirs || (mine == theirs && widths[column] > widths[chosen.column]) {
                        best = (column, cut, added)
                    }
                }
            }
            guard let best else { break }
            widths[best.column] -= best.cut
            excess -= best.cut
        }
    }

    /// A word as the pieces it may break into at the end of a line: after each hyphen with
    /// at least three characters on either side (`refund-` `payment`, `after-` `effect`),
    /// so that an id such as `ord-1` or `dl-12` stays whole, and after each dot followed by
    /// a letter, as in an event type (`inventory.` `reservation.` `failed`), so that a time
    /// (`01:00.020`) or an amount stays whole.
    static func pieces(_ word: String) -> [String] {
        var out: [String] = []
        var piece = ""
        var rest = word[...]
        while let character = rest.first {
            piece.append(character)
            rest = rest.dropFirst()
            let breaks = character == "-" ? rest.first != "-" : character == "." && (rest.first?.isLetter ?? false)
            if breaks, piece.count >= 4, rest.count >= 3 {
                out.append(piece)
                piece = ""
            }
        }
        if !piece.isEmpty { out.append(piece) }
        return out
    }

    /// `cell` as lines of at most `width` columns: wrapped at spaces, a longer word broken
    /// after a hyphen (`pieces`), and a piece longer than a line cut.
    static func wrap(_ cell: String, width: Int) -> [String] {
        guard displayWidth(cell) > width else { return [cell] }
        var out: [String] = []
        for line in TextWrap.wrap(cell, width: width).split(separator: "\n", omittingEmptySubsequences: false) {
            guard displayWidth(String(line)) > width else {
                out.append(String(line))
                continue
            }
            var current = ""
            for piece in pieces(String(line)) {
                if !current.isEmpty && displayWidth(current + piece) > width {
                    out.append(current)
                    current = ""
                }
                current += piece
                while displayWidth(current) > width {
                    let (head, tail) = splitAtColumn(current, width)
                    out.append(head)
                    current = tail
                }
            }
            out.append(current)
        }
        return out
    }

    /// `text` cut after `column` terminal columns; escapes cost nothing and stay whole.
    static func splitAtColumn(_ text: String, _ column: Int) -> (String, String) {
        var used = 0
        var index = text.startIndex
        var inEscape = false
        while index < text.endIndex {
            let character = text[index]
            if inEscape {
                if let v = character.unicodeScalars.first?.value, (0x40...0x7E).contains(v), character != "[" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                let w = displayWidth(String(character))
                if used + w > column { break }
                used += w
            }
            index = text.index(after: index)
        }
        if index == text.startIndex { index = text.index(after: index) }
        return (String(text[..<index]), String(text[index...]))
    }
}

/// `s` without trailing spaces.
public func trimTrailing(_ s: String) -> String {
    var out = s
    while out.last == " " { out.removeLast() }
    return out
}

/// `s` padded with spaces to `width` terminal columns.
public func padRight(_ s: String, _ width: Int) -> String {
    let w = displayWidth(s)
    return w >= width ? s : s + String(repeating: " ", count: width - w)
}
