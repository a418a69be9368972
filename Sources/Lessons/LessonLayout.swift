import SagaLab

/// Lays out a lesson's prose: wraps passages, and puts a command's output beside the
/// passage that explains it (side by side from 120 columns, one after the other below).
enum LessonLayout {
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        TextWrap.wrap(text, width: width, indent: indent)
    }

    static func beside(output: String, explanation: String, width: Int, style: Style) -> String {
        let gutter = style.glyph("│ ", "| ")
        guard width >= 120 else {
            let note = wrap(explanation, width: width - 2, indent: "").split(separator: "\n", omittingEmptySubsequences: false)
            return output + "\n" + note.map { style.paint(gutter, .dim) + $0 }.joined(separator: "\n")
        }
        let rightWidth = 44
        let leftWidth = width - rightWidth - 3
        let left = output.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let text = String(line)
            return displayWidth(text) > leftWidth ? text : padRight(text, leftWidth)
        }
        let right = wrap(explanation, width: rightWidth, indent: "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var rows: [String] = []
        for i in 0..<max(left.count, right.count) {
            let l = i < left.count ? left[i] : String(repeating: " ", count: leftWidth)
            let r = i < right.count ? right[i] : ""
            let paddedLeft = displayWidth(l) < leftWidth ? padRight(l, leftWidth) : l
            rows.append(r.isEmpty ? trimTrailing(l) : paddedLeft + " " + style.paint(gutter, .dim) + r)
        }
        return rows.joined(separator: "\n")
    }
}
