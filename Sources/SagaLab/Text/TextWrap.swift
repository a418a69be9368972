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

    /// `text` with every line wider than `width` wrapped at spaces: an `error: ` line with
    /// its continuation indented two spaces, a log line (`[00:30.035] inventory: ...`) with
    /// it indented past the stamp, any other line two spaces deeper than it starts. Lines
    /// that fit, the most, are left as they are.
    public static func fit(_ text: String, width: Int) -> String {
        guard text.utf8.count > width else { return text }
        var changed = false
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() where line.utf8.count > width && displayWidth(line) > width {
            let leading = String(line.prefix { $0 == " " })
            let hanging: String
            if line.hasPrefix("error: ") || line.contains(": error: ") {
                hanging = leading + "  "
            } else if line.hasPrefix("["), let close = line.firstIndex(of: "]"),
                      line.distance(from: line.startIndex, to: close) <= 16 {
                hanging = String(repeating: " ", count: line.distance(from: line.startIndex, to: close) + 2)
            } else {
                hanging = leading + "  "
            }
            let wrapped = wrap(String(line.dropFirst(leading.count)), width: width, indent: leading,
                               hanging: displayWidth(hanging) < width / 2 ? hanging : "  ")
            if wrapped != line {
                lines[index] = wrapped
                changed = true
            }
        }
        return changed ? lines.joined(separator: "\n") : text
    }
}
