/// The cells of one table column as `Table.fit` weighs them: each cell's paragraphs (split
/// at newlines), their words, and each word as the widths of the pieces it may break into
/// (`Table.pieces`). From these, `layout` tells how the column wraps at a width without
/// wrapping any text, so that `fit` can weigh every width of every column.
struct ColumnShape: Sendable {
    /// The width of every piece of every word, in order.
    private var pieces: [Int] = []
    /// For each word, where its pieces end in `pieces`.
    private var wordEnds: [Int] = []
    /// For each paragraph, where its words end in `wordEnds`.
    private var paragraphEnds: [Int] = []
    /// For each cell, where its paragraphs end in `paragraphEnds`.
    private var cellEnds: [Int] = []

    /// Adds one cell.
    mutating func add(_ cell: String) {
        for paragraph in cell.split(separator: "\n", omittingEmptySubsequences: false) {
            for word in paragraph.split(separator: " ") {
                for piece in Table.pieces(String(word)) { pieces.append(displayWidth(piece)) }
                wordEnds.append(pieces.count)
            }
            paragraphEnds.append(wordEnds.count)
        }
        cellEnds.append(paragraphEnds.count)
    }

    /// How the column's cells lay out at `width`, as `Table.wrap` lays each out: the lines
    /// beyond each cell's first, the words broken after a hyphen or a dot, and the words cut.
    func layout(at width: Int) -> (extraLines: Int, breaks: Int, cuts: Int) {
        // A cut makes room for at least one column, as `Table.splitAtColumn` does.
        let width = max(1, width)
        var extraLines = 0
        var breaks = 0
        var cuts = 0
        var (paragraph, word, piece) = (0, 0, 0)
        for cellEnd in cellEnds {
            var lines = 0
            while paragraph < cellEnd {
                var paragraphLines = 0
                // The width of the line being filled, or nil before its first word.
                var current: Int?
                while word < paragraphEnds[paragraph] {
                    let end = wordEnds[word]
                    var wordWidth = 0
                    for k in piece..<end { wordWidth += pieces[k] }
                    if wordWidth > width {
                        // A word longer than a line goes onto lines of its own, broken after
                        // its pieces, a piece longer than a line cut.
                        if current != nil { paragraphLines += 1 }
                        var line = 0
                        for k in piece..<end {
                            if line > 0, line + pieces[k] > width {
                                paragraphLines += 1
                                breaks += 1
                                line = 0
                            }
                            line += pieces[k]
                            while line > width {
                                paragraphLines += 1
                                cuts += 1
                                line -= width
                            }
                        }
                        paragraphLines += 1
                        current = nil
                    } else if let filled = current, filled + 1 + wordWidth <= width {
                        current = filled + 1 + wordWidth
                    } else {
                        if current != nil { paragraphLines += 1 }
                        current = wordWidth
                    }
                    piece = end
                    word += 1
                }
                if current != nil || paragraphLines == 0 { paragraphLines += 1 }
                lines += paragraphLines
                paragraph += 1
            }
            extraLines += max(0, lines - 1)
        }
        return (extraLines, breaks, cuts)
    }

    /// What a layout at `width` costs `Table.fit`: a line for each line added, and beyond
    /// it two more for each word broken and thirty more for each word cut.
    func cost(at width: Int) -> Int {
        let layout = layout(at: width)
        return layout.extraLines + 2 * layout.breaks + 30 * layout.cuts
    }
}
