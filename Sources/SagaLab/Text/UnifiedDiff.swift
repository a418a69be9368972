/// A line-by-line comparison of two texts printed in the unified format of `diff -u`.
///
/// When a golden transcript no longer matches what a session printed, the test
/// failure shows this diff, so the reader sees the few lines that changed instead
/// of two long blobs. Lines are compared with Myers' O((N+M)·D) algorithm in its
/// linear-space form, which keeps a handful of changes in a file of thousands of
/// lines cheap in both time and memory.
public enum UnifiedDiff {
    /// The unified diff that turns `expected` into `actual`, or `nil` when they are equal.
    ///
    /// Hunks carry `context` unchanged lines on each side, and changes separated by no
    /// more than twice that many unchanged lines share a hunk, as with `diff -u`.
    public static func make(
        expected: String,
        actual: String,
        expectedName: String,
        actualName: String,
        context: Int = 3
    ) -> String? {
        guard expected != actual else { return nil }
        let old = Lines(expected)
        let new = Lines(actual)
        var numbers: [Key: Int] = [:]
        func number(_ lines: Lines) -> [Int] {
            lines.text.indices.map { index in
                let key = Key(text: lines.text[index], lacksNewline: lines.lacksNewline(at: index))
                if let known = numbers[key] { return known }
                let fresh = numbers.count
                numbers[key] = fresh
                return fresh
            }
        }
        var comparison = Comparison(old: number(old), new: number(new))
        comparison.compare(0, old.text.count, 0, new.text.count)
        let edits = comparison.edits()
        guard edits.contains(where: { $0.kind != .same }) else { return nil }

        var output = ["--- \(expectedName)", "+++ \(actualName)"]
        for hunk in hunks(edits, context: max(context, 0)) {
            let slice = edits[hunk]
            let oldCount = slice.filter { $0.kind != .added }.count
            let newCount = slice.filter { $0.kind != .removed }.count
            let first = edits[hunk.lowerBound]
            output.append("@@ -\(range(first.old, oldCount)) +\(range(first.new, newCount)) @@")
            for edit in slice {
                switch edit.kind {
                case .same:
                    output.append(" " + old.text[edit.old])
                    if old.lacksNewline(at: edit.old) { output.append(noNewline) }
                case .removed:
                    output.append("-" + old.text[edit.old])
                    if old.lacksNewline(at: edit.old) { output.append(noNewline) }
                case .added:
                    output.append("+" + new.text[edit.new])
                    if new.lacksNewline(at: edit.new) { output.append(noNewline) }
                }
            }
        }
        return output.joined(separator: "\n") + "\n"
    }

    private static let noNewline = "\\ No newline at end of file"

    /// A text split at `\n` (byte-wise, so a `\r` stays part of its line), remembering a missing final newline.
    private struct Lines {
        let text: [String]
        let endsWithNewline: Bool

        init(_ string: String) {
            var parts = string.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            endsWithNewline = string.utf8.last == UInt8(ascii: "\n")
            if endsWithNewline || string.isEmpty { parts.removeLast() }
            text = parts
        }

        func lacksNewline(at index: Int) -> Bool {
            !endsWithNewline && index == text.count - 1
        }
    }

    /// A line's identity: a last line without its newline differs from the same text with one.
    private struct Key: Hashable {
        let text: String
        let lacksNewline: Bool
    }

    private struct Edit {
        enum Kind { case same, removed, added }
        let kind: Kind
        /// Index of the line in the old text, or of the old line it comes before when added.
        let old: Int
        /// Index of the line in the new text, or of the new line it comes before when removed.
        let new: Int
    }

    /// `diff -u`'s range notation: `start,count`, just `start` for one line, and the line before for none.
    private static func range(_ start: Int, _ count: Int) -> String {
        switch count {
        case 0: return "\(start),0"
        case 1: return "\(start + 1)"
        default: return "\(start + 1),\(count)"
        }
    }

    /// Ranges of edits to print as hunks: each change with its context, merged when contexts meet.
    private static func hunks(_ edits: [Edit], context: Int) -> [Range<Int>] {
        let changes = edits.indices.filter { edits[$0].kind != .same }
        var result: [Range<Int>] = []
        var index = 0
        while index < changes.count {
            let start = changes[index]
            var last = start
            index += 1
            while index < changes.count, changes[index] - last - 1 <= 2 * context {
                last = changes[index]
                index += 1
            }
            result.append(max(0, start - context)..<min(edits.count, last + 1 + context))
        }
        return result
    }

    /// Myers' difference algorithm over line numbers, marking which old lines are removed and which new lines added.
    private struct Comparison {
        let old: [Int]
        let new: [Int]
        var removed: [Bool]
        var added: [Bool]

        init(old: [Int], new: [Int]) {
            self.old = old
            self.new = new
            removed = Array(repeating: false, count: old.count)
            added = Array(repeating: false, count: new.count)
        }

        mutating func compare(_ oldStart: Int, _ oldEnd: Int, _ newStart: Int, _ newEnd: Int) {
            var oldStart = oldStart, oldEnd = oldEnd, newStart = newStart, newEnd = newEnd
            while oldStart < oldEnd && newStart < newEnd && old[oldStart] == new[newStart] {
                oldStart += 1
                newStart += 1
            }
            while oldStart < oldEnd && newStart < newEnd && old[oldEnd - 1] == new[newEnd - 1] {
                oldEnd -= 1
                newEnd -= 1
            }
            if let (x, y) = middle(oldStart, oldEnd, newStart, newEnd),
               (x, y) != (oldStart, newStart), (x, y) != (oldEnd, newEnd) {
                compare(oldStart, x, newStart, y)
                compare(x, oldEnd, y, newEnd)
                return
            }
            for index in oldStart..<oldEnd { removed[index] = true }
            for index in newStart..<newEnd { added[index] = true }
        }

        /// A point on a shortest edit path found by searching from both ends at once, or nil
        /// when one side is empty or the two ranges share no line.
        func middle(_ oldStart: Int, _ oldEnd: Int, _ newStart: Int, _ newEnd: Int) -> (Int, Int)? {
            let n = oldEnd - oldStart
            let m = newEnd - newStart
            guard n > 0, m > 0 else { return nil }
            let maxD = (n + m + 1) / 2
            let offset = maxD + 1
            var forward = Array(repeating: -1, count: 2 * maxD + 3)
            var backward = forward
            forward[offset + 1] = 0
            backward[offset + 1] = 0
            let delta = n - m
            let checkForward = delta % 2 != 0
            var forwardTrim = (start: 0, end: 0)
            var backwardTrim = (start: 0, end: 0)
            for d in 0..<maxD {
                for k in stride(from: -d + forwardTrim.start, through: d - forwardTrim.end, by: 2) {
                    var x = k == -d || (k != d && forward[offset + k - 1] < forward[offset + k + 1])
                        ? forward[offset + k + 1] : forward[offset + k - 1] + 1
                    var y = x - k
                    while x < n && y < m && old[oldStart + x] == new[newStart + y] {
                        x += 1
                        y += 1
                    }
                    forward[offset + k] = x
                    if x > n {
                        forwardTrim.end += 2
                    } else if y > m {
                        forwardTrim.start += 2
                    } else if checkForward {
                        let other = offset + delta - k
                        if other >= 0 && other < backward.count && backward[other] != -1 && x >= n - backward[other] {
                            return (oldStart + x, newStart + y)
                        }
                    }
                }
                for k in stride(from: -d + backwardTrim.start, through: d - backwardTrim.end, by: 2) {
                    var x = k == -d || (k != d && backward[offset + k - 1] < backward[offset + k + 1])
                        ? backward[offset + k + 1] : backward[offset + k - 1] + 1
                    var y = x - k
                    while x < n && y < m && old[oldEnd - x - 1] == new[newEnd - y - 1] {
                        x += 1
                        y += 1
                    }
                    backward[offset + k] = x
                    if x > n {
                        backwardTrim.end += 2
                    } else if y > m {
                        backwardTrim.start += 2
                    } else if !checkForward {
                        let other = offset + delta - k
                        if other >= 0 && other < forward.count && forward[other] != -1 {
                            let forwardX = forward[other]
                            let forwardY = forwardX - (other - offset)
                            if forwardX >= n - x { return (oldStart + forwardX, newStart + forwardY) }
                        }
                    }
                }
            }
            return nil
        }

        /// The edit script read off the marks: in each change, removals come before additions.
        func edits() -> [Edit] {
            var result: [Edit] = []
            var i = 0
            var j = 0
            while i < old.count || j < new.count {
                if i < old.count && (removed[i] || j == new.count) {
                    result.append(Edit(kind: .removed, old: i, new: j))
                    i += 1
                } else if j < new.count && (added[j] || i == old.count) {
                    result.append(Edit(kind: .added, old: i, new: j))
                    j += 1
                } else {
                    result.append(Edit(kind: .same, old: i, new: j))
                    i += 1
                    j += 1
                }
            }
            return result
        }
    }
}
