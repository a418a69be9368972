/// Word wrapping by terminal width, shared by help, lessons and every prose the lab prints.
public enum TextWrap {
    /// Wraps each paragraph of `text` (split on newlines) to `width` columns. The first line
    /// of a paragraph starts with `indent`, the rest with `hanging` (default: `indent`).
    /// A word longer than the width stays whole on its own line.
    public static func wrap(_ text: String, width: Int, indent: String = "", hanging: String? = nil) -> String {
        let rest = hanging ?? indent
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            var prefix = indent
            for word in paragraph.split(separator: " ") {
                let candidate = current.isEmpty ? String(word) : current + " " + word
                if current.isEmpty || displayWidth(prefix + candidate) <= width {
                    current = candidate
                } else {
                    lines.append(prefix + current)
                    prefix = rest
                    current = String(word)
                }
            }
            lines.append(current.isEmpty ? "" : prefix + current)
        }
        return lines.joined(separator: "\n")
    }
}
