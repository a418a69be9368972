/// A plain text table: columns padded to their widest cell (by terminal width), a header
/// underlined with dashes. Every `show` view is built from these.
public struct Table: Sendable {
    public var headers: [String]
    public var rows: [[String]]

    public init(_ headers: [String], _ rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    public func render(_ style: Style, indent: String = "") -> String {
        let columns = headers.count
        var widths = headers.map(displayWidth)
        for row in rows {
            for (i, cell) in row.prefix(columns).enumerated() { widths[i] = max(widths[i], displayWidth(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var out = indent
            for i in 0..<columns {
                let cell = i < cells.count ? cells[i] : ""
                out += cell
                if i < columns - 1 { out += String(repeating: " ", count: widths[i] - displayWidth(cell) + 2) }
            }
            return trimTrailing(out)
        }
        var lines = [style.paint(line(headers), .bold)]
        lines.append(indent + widths.map { String(repeating: style.glyph("─", "-"), count: $0) }.joined(separator: "  "))
        lines += rows.map(line)
        return lines.joined(separator: "\n")
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
