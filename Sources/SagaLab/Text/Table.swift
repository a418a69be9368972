/// A plain text table: columns padded to their widest cell (by terminal width), a header
/// underlined with dashes. Every `show` view is built from these.
public struct Table: Sendable {
    public var headers: [String]
    public var rows: [[String]]

    public init(_ headers: [String], _ rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    /// The table in `style`, fitting `style.width` columns: while it is too wide, its widest
    /// column narrows (down to `minimumColumn`) and that column's cells wrap onto
    /// continuation lines, at spaces where they can.
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
            // Each column's longest word, and longest piece of a word: how far it narrows
            // before words break after a hyphen, and before they are cut.
            var words = [Int](repeating: 0, count: columns)
            var pieces = [Int](repeating: 0, count: columns)
            func widen(_ row: [String]) {
                for (i, cell) in row.prefix(columns).enumerated() {
                    let floors = Table.floors(cell)
                    words[i] = max(words[i], floors.word)
                    pieces[i] = max(pieces[i], floors.piece)
                }
            }
            widen(headers)
            for (n, row) in rows.enumerated() {
                if n % Table.stride == 0, n > 0, shouldStop() { return "" }
                widen(row)
            }
            Table.fit(&widths, into: width - displayWidth(indent), floors: [words, pieces])
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

    /// Narrows the widest column, one column at a time, until the row fits in `room` (two
    /// spaces between columns). Columns narrow first only as far as each of `floors` in
    /// turn (their longest word, so that cells wrap at spaces; then their longest piece of
    /// a word, so that words break after a hyphen); only when that is not enough are words
    /// cut, and never below `minimumColumn`.
    static func fit(_ widths: inout [Int], into room: Int, floors: [[Int]] = []) {
        func total() -> Int { widths.reduce(0, +) + 2 * max(0, widths.count - 1) }
        for floors in floors + [widths.map { _ in minimumColumn }] {
            let floors = floors.map { max($0, minimumColumn) }
            while total() > room {
                let narrowable = widths.indices.filter { widths[$0] > floors[$0] }
                guard let widest = narrowable.max(by: { widths[$0] < widths[$1] }) else { break }
                let next = narrowable.filter { $0 != widest }.map { widths[$0] }.max() ?? 0
                // Down to the next widest column at most in one go, so that wide columns share the cut.
                let cut = min(total() - room, widths[widest] - max(floors[widest], next))
                widths[widest] -= max(1, cut)
            }
        }
    }

    /// A cell's longest word and longest piece of a word (`longestWord`, `longestPiece`),
    /// read in one pass over its bytes when it is printable ASCII, as nearly every cell
    /// is: `show orders` of 300 000 orders reads every cell of the table.
    static func floors(_ text: String) -> (word: Int, piece: Int) {
        if let fast = text.utf8.withContiguousStorageIfAvailable(asciiFloors), let fast { return fast }
        return (longestWord(text), longestPiece(text))
    }

    /// `floors` of printable ASCII bytes, or nil for any other byte.
    static func asciiFloors(_ bytes: UnsafeBufferPointer<UInt8>) -> (word: Int, piece: Int)? {
        let space: UInt8 = 0x20, hyphen: UInt8 = 0x2D, dot: UInt8 = 0x2E
        var word = 0
        var piece = 0
        var start = 0
        for end in 0...bytes.count where end == bytes.count || bytes[end] == space {
            defer { start = end + 1 }
            guard end > start else { continue }
            word = max(word, end - start)
            var pieceStart = start
            for at in start..<end {
                let byte = bytes[at]
                guard byte > space, byte <= 0x7E else { return nil }
                // As `pieces`: a hyphen, or a dot before a letter, ends a piece of at least
                // four with three more after it.
                guard byte == hyphen || byte == dot, at - pieceStart + 1 >= 4, end - at - 1 >= 3 else { continue }
                let after = bytes[at + 1]
                if byte == hyphen ? after != hyphen : (after | 0x20) >= 0x61 && (after | 0x20) <= 0x7A {
                    piece = max(piece, at - pieceStart + 1)
                    pieceStart = at + 1
                }
            }
            piece = max(piece, end - pieceStart)
        }
        return (word, piece)
    }

    static func longestWord(_ text: String) -> Int {
        text.split(separator: " ").map { displayWidth(String($0)) }.max() ?? 0
    }

    /// The widest piece a cell's words break into (`pieces`).
    static func longestPiece(_ text: String) -> Int {
        text.split(separator: " ").flatMap { pieces(String($0)) }.map(displayWidth).max() ?? 0
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
