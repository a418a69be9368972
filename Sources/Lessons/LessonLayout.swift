import SagaLab

/// Lays out a lesson's prose: wraps passages, and puts a command's output beside the
/// passage that explains it. From 120 columns they stand side by side, and an output line
/// wider than its column folds at a space under itself; below 120 columns, or when a
/// table would not fit its column, the explanation follows the output.
enum LessonLayout {
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        TextWrap.wrap(text, width: width, indent: indent)
    }

    static func beside(output: String, explanation: String, width: Int, style: Style) -> String {
        let gutter = style.glyph("│ ", "| ")
        let rightWidth = 44
        let leftWidth = width - rightWidth - 3
        let tooWide = output.split(separator: "\n").filter { displayWidth(String($0)) > leftWidth }
        let tableTooWide = tooWide.contains { $0.drop(while: { $0 == " " }).contains("  ") }
        guard width >= 120, !tableTooWide else {
            let note = wrap(explanation, width: width - 2, indent: "").split(separator: "\n", omittingEmptySubsequences: false)
            return output + "\n" + note.map { style.paint(gutter, .dim) + $0 }.joined(separator: "\n")
        }
        let left = output.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [String] in
            let text = String(line)
            return fold(text, width: leftWidth).map { padRight($0, leftWidth) }
        }
        let right = wrap(explanation, width: rightWidth, indent: "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var rows: [String] = []
        for i in 0..<max(left.count, right.count) {
            let l = i < left.count ? left[i] : String(repeating: " ", count: leftWidth)
            let r = i < right.count ? right[i] : ""
            rows.append(r.isEmpty ? trimTrailing(l) : l + " " + style.paint(gutter, .dim) + r)
        }
        return rows.joined(separator: "\n")
    }

    /// Breaks a line wider than `width` at its last space that fits, keeping its spacing,
    /// and indents what follows.
    static func fold(_ line: String, width: Int) -> [String] {
        var out: [String] = []
        var rest = Array(line)
        var prefix = ""
        while displayWidth(prefix + String(rest)) > width {
            guard let cut = lastBreak(rest, room: width - prefix.count) else { break }
            out.append(prefix + String(rest[..<cut]))
            rest = Array(rest[cut...].drop(while: { $0 == " " }))
            prefix = "    "
        }
        out.append(prefix + String(rest))
        return out
    }

    /// The index of the last space at which the characters before it fit `room` columns,
    /// not counting terminal escape sequences; nil when there is none worth breaking at.
    static func lastBreak(_ characters: [Character], room: Int) -> Int? {
        var visible = 0
        var inEscape = false
        var best: Int?
        for (index, character) in characters.enumerated() {
            if inEscape {
                if character.isLetter { inEscape = false }
                continue
            }
            if character == "\u{1B}" {
                inEscape = true
                continue
            }
            if character == " " && visible > 8 { best = index }
            visible += displayWidth(String(character))
            if visible > room { break }
        }
        return best
    }
}
