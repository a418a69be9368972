import SagaLab

/// Searching the handbook for a word: `chapter pivot` when no chapter is called that.
///
/// A learner who meets a term (pivot, fence, outbox lag) wants to know where the handbook
/// explains it. The answer names each chapter that mentions the word, in chapter order,
/// with the first few lines that do, each cut around the word to fit the terminal.
public enum HandbookSearch {
    /// One chapter whose prose mentions the word, and the lines that do (without Markdown marks).
    public struct Hit: Sendable, Equatable {
        public var chapter: Chapter
        public var lines: [String]
    }

    /// Lines shown for each chapter; the rest are counted.
    static let linesPerChapter = 3

    /// Every chapter that mentions `word` (case-insensitive), in chapter order.
    public static func hits(_ word: String) -> [Hit] {
        let needle = word.lowercased()
        guard !needle.isEmpty else { return [] }
        return Handbook.chapters.compactMap { chapter in
            var lines: [String] = []
            var inCode = false
            // The line before, while it is prose of the same paragraph: a phrase may start there.
            var before: String?
            for raw in chapter.markdown.split(separator: "\n", omittingEmptySubsequences: false) {
                if raw.drop(while: { $0 == " " }).hasPrefix("```") {
                    inCode.toggle()
                    before = nil
                    continue
                }
                let line = plain(raw)
                guard !inCode, !line.isEmpty else {
                    before = nil
                    continue
                }
                if line.lowercased().contains(needle) {
                    lines.append(line)
                } else if let before, !before.lowercased().contains(needle),
                          (before + " " + line).lowercased().contains(needle) {
                    // A phrase across the source's line break.
                    lines.append(before + " " + line)
                }
                before = line
            }
            return lines.isEmpty ? nil : Hit(chapter: chapter, lines: lines)
        }
    }

    /// A Markdown line of prose without its indentation, its heading, list or quote marks,
    /// and its bold marks (`**`). Sessions and code are left out: the prose is where a word
    /// is explained.
    static func plain(_ raw: Substring) -> String {
        var line = raw.drop(while: { $0 == " " })
        for mark in ["#### ", "### ", "## ", "# ", "- ", "> ", "* "] where line.hasPrefix(mark) {
            line = line.dropFirst(mark.count)
            break
        }
        return String(line.replacing("**", with: ""))
    }

    /// The reply to `chapter WORD`, `width` columns wide; nil when no chapter mentions it.
    public static func text(_ word: String, width: Int, style: Style) -> String? {
        let hits = hits(word)
        guard !hits.isEmpty else { return nil }
        let count = hits.count == 1 ? "1 chapter" : "\(hits.count) chapters"
        var out = [TextWrap.wrap("'\(word)' appears in \(count); `chapter N` reads one:", width: width)]
        for hit in hits {
            out.append(style.paint("  \(hit.chapter.number). \(hit.chapter.title)", .bold))
            for line in hit.lines.prefix(linesPerChapter) {
                out.append("    " + excerpt(line, around: word, width: width - 4, style: style))
            }
            let more = hit.lines.count - linesPerChapter
            if more > 0 { out.append("    (and \(more) more line\(more == 1 ? "" : "s"))") }
        }
        return out.joined(separator: "\n")
    }

    /// `line` cut to `width` columns around the first place `word` appears, with `...` where
    /// it was cut; the word itself in bold on a terminal.
    static func excerpt(_ line: String, around word: String, width: Int, style: Style) -> String {
        let characters = Array(line)
        let lower = Array(line.lowercased())
        let needle = Array(word.lowercased())
        // Where the word starts; if lowercasing changed the count, the line's start.
        var at = 0
        var matched = false
        if lower.count == characters.count, !needle.isEmpty, needle.count <= lower.count,
           let first = (0...(lower.count - needle.count)).first(where: { Array(lower[$0..<($0 + needle.count)]) == needle }) {
            at = first
            matched = true
        }
        var start = 0
        var end = characters.count
        if displayWidth(line) > width {
            let room = max(needle.count + 8, width - 6)
            start = max(0, min(at - (room - needle.count) / 3, characters.count - room))
            end = min(characters.count, start + room)
            // Cut between words, keeping the word found.
            if start > 0, start < at, let space = characters[start..<at].firstIndex(of: " ") { start = space + 1 }
            let after = min(at + needle.count, end)
            if end < characters.count, let space = characters[after..<end].lastIndex(of: " ") { end = space }
        }
        let head = start > 0 ? "..." : ""
        let tail = end < characters.count ? "..." : ""
        let found = at + needle.count
        guard style.color, matched, at >= start, found <= end else {
            return head + String(characters[start..<end]) + tail
        }
        return head + String(characters[start..<at]) + style.paint(String(characters[at..<found]), .bold, .yellow)
            + String(characters[found..<end]) + tail
    }
}
