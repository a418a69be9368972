import CEditLine
import SagaLab
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one call to `LineEditor.readLine(prompt:)` produced.
enum LineResult: Equatable {
    /// A finished line, without its newline or the space a completion left at its end.
    case line(String)
    /// The user pressed Ctrl-C: the half-typed line was abandoned.
    case interrupted
    /// The user pressed Ctrl-D on an empty line, or the terminal went away.
    case endOfInput
}

/// An interactive line reader for the SagaLab REPL, built on libedit. A learner types many
/// short commands, so the REPL needs what a shell offers: emacs-style editing, history that
/// survives restarts (and crashes, because every accepted line is saved at once), TAB
/// completion driven by the REPL's own command table, and Ctrl-C that abandons a line
/// instead of killing the session. It only works on a real terminal; `init` returns nil
/// elsewhere so the caller falls back to reading plain lines, which keeps piped scripts
/// and tests on the same REPL core. The class is deliberately nonisolated: libedit calls
/// back into it synchronously from inside `el_gets`, on whatever thread called `readLine`.
final class LineEditor {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyPath: String?
    private let completer: (_ lineUpToCursor: String) -> [String]
    /// Titles to list beside candidates (a lesson's beside its number), by candidate.
    private let notes: (_ lineUpToCursor: String) -> [String: String]
    private var prompt: UnsafeMutablePointer<CChar>
    private var interruptRequested = false

    private static let historySize: Int32 = 1000
    private static let promptEscapeDelimiter = CChar(1)
    private static let emptyPrompt: StaticString = ""

    /// Returns nil when stdin or stdout is not a TTY, or TERM is unset/"dumb" (callers then read plain lines).
    ///
    /// The prompt passed to `readLine` may contain ANSI escape sequences (colour); they are
    /// sent to the terminal but not counted as columns, so cursor placement stays right.
    init?(programName: String, historyPath: String?, completer: @escaping (_ lineUpToCursor: String) -> [String],
          notes: @escaping (_ lineUpToCursor: String) -> [String: String] = { _ in [:] }) {
        guard Terminal.isInteractive else { return nil }
        sagalab_setup_locale()
        guard let editLine = sagalab_el_init(programName) else { return nil }
        guard let history = history_init() else {
            el_end(editLine)
            return nil
        }
        self.editLine = editLine
        self.history = history
        self.historyPath = historyPath
        self.completer = completer
        self.notes = notes
        self.prompt = LineEditor.makeCString("")

        sagalab_history_setsize(history, LineEditor.historySize)
        sagalab_history_setunique(history, 1)
        if let historyPath {
            sagalab_history_load(history, historyPath)
        }

        sagalab_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        sagalab_el_set_editor(editLine, "emacs")
        sagalab_el_set_signal(editLine, 1)
        sagalab_el_set_history(editLine, history)
        sagalab_el_set_prompt_esc(editLine, { editLine in
            guard let editLine, let editor = LineEditor.owner(of: editLine) else {
                return UnsafeMutableRawPointer(mutating: LineEditor.emptyPrompt.utf8Start)
                    .assumingMemoryBound(to: CChar.self)
            }
            return editor.prompt
        }, LineEditor.promptEscapeDelimiter)

        sagalab_el_addfn(editLine, "sagalab-complete", "Complete the word before the cursor", { editLine, _ in
            guard let editLine, let editor = LineEditor.owner(of: editLine) else { return UInt8(CC_ERROR) }
            return editor.complete()
        })
        sagalab_el_bind(editLine, "^I", "sagalab-complete")

        // In edit mode the terminal's interrupt character is switched off, so Ctrl-C reaches
        // libedit as an ordinary key instead of raising SIGINT (libedit's SIGINT handling
        // would leave `el_gets` blocked in cooked mode). Outside `readLine` Ctrl-C still
        // sends SIGINT as usual.
        sagalab_el_setty(editLine, "-d", "-intr", "intr=")
        sagalab_el_addfn(editLine, "sagalab-interrupt", "Abandon the current line", { editLine, _ in
            guard let editLine, let editor = LineEditor.owner(of: editLine) else { return UInt8(CC_ERROR) }
            return editor.interrupt()
        })
        sagalab_el_bind(editLine, "^C", "sagalab-interrupt")
    }

    deinit {
        el_end(editLine)
        history_end(history)
        prompt.deallocate()
    }

    /// Reads one line with editing, history and completion, showing `prompt` first.
    func readLine(prompt text: String) -> LineResult {
        prompt.deallocate()
        prompt = LineEditor.makeCString(LineEditor.markingEscapes(in: text))
        interruptRequested = false

        var count: Int32 = 0
        let raw = el_gets(editLine, &count)
        if interruptRequested {
            interruptRequested = false
            return .interrupted
        }
        guard let raw, count > 0 else {
            sagalab_write_stdout("\n")
            return .endOfInput
        }
        var line = String(cString: raw)
        while let last = line.last, last.isNewline || last == " " || last == "\t" {
            line.removeLast()
        }
        return .line(line)
    }

    /// Appends `line` to the history (unless it is blank or repeats the previous entry) and
    /// rewrites the history file straight away.
    func addHistory(_ line: String) {
        var entry = Substring(line)
        while let last = entry.last, last.isNewline || last == " " || last == "\t" {
            entry.removeLast()
        }
        guard entry.contains(where: { $0 != " " && $0 != "\t" }) else { return }
        sagalab_history_enter(history, String(entry))
        guard let historyPath else { return }
        LineEditor.createParentDirectory(of: historyPath)
        sagalab_history_save(history, historyPath)
    }

    // MARK: - Callbacks

    private static func owner(of editLine: OpaquePointer) -> LineEditor? {
        guard let data = sagalab_el_get_clientdata(editLine) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    /// Ctrl-C: move to the end of the line, show `^C`, and accept the line by pushing a
    /// newline, so libedit leaves the cursor below the abandoned input; `readLine` then
    /// reports `.interrupted` and drops the text.
    private func interrupt() -> UInt8 {
        interruptRequested = true
        if let info = el_wline(editLine), let cursor = info.pointee.cursor, let end = info.pointee.lastchar {
            let remaining = end - cursor
            if remaining > 0 {
                el_cursor(editLine, Int32(clamping: remaining))
            }
        }
        el_insertstr(editLine, "^C")
        el_push(editLine, "\n")
        return UInt8(CC_REFRESH)
    }

    /// TAB: complete the last whitespace-separated word before the cursor.
    private func complete() -> UInt8 {
        guard let info = el_line(editLine), let start = info.pointee.buffer, let cursor = info.pointee.cursor else {
            return UInt8(CC_ERROR)
        }
        let length = max(0, cursor - start)
        let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(start), count: length)
        let lineUpToCursor = String(decoding: bytes, as: UTF8.self)
        let word = String(lineUpToCursor.reversed().prefix(while: { !$0.isWhitespace }).reversed())

        var seen = Set<String>()
        let candidates = completer(lineUpToCursor)
            .filter { $0.hasPrefix(word) && seen.insert($0).inserted }
            .sorted(by: Completion.listedBefore)

        guard let first = candidates.first else { return UInt8(CC_REFRESH_BEEP) }
        if candidates.count == 1 {
            insert(String(first.dropFirst(word.count)) + (first.hasSuffix("=") ? "" : " "))
            return UInt8(CC_REFRESH)
        }
        let common = LineEditor.longestCommonPrefix(candidates)
        if common.count > word.count {
            insert(String(common.dropFirst(word.count)))
            return UInt8(CC_REFRESH)
        }
        let notes = notes(lineUpToCursor)
        let listing = candidates.allSatisfy { notes[$0] != nil }
            ? LineEditor.noted(candidates, notes: notes, width: Terminal.width)
            : LineEditor.columns(candidates, width: Terminal.width)
        sagalab_write_stdout("\r\n" + listing)
        return UInt8(CC_REDISPLAY)
    }

    /// One candidate a line with its note beside it (`3   Idempotent consumers`), each line
    /// cut to the terminal's width.
    static func noted(_ words: [String], notes: [String: String], width: Int) -> String {
        let wordWidth = (words.map(displayWidth).max() ?? 0) + 2
        var output = ""
        for word in words {
            var line = word + String(repeating: " ", count: wordWidth - displayWidth(word)) + (notes[word] ?? "")
            if displayWidth(line) > width { line = String(line.prefix(max(1, width - 3))) + "..." }
            output += line + "\r\n"
        }
        return output
    }

    private func insert(_ text: String) {
        guard !text.isEmpty else { return }
        el_insertstr(editLine, text)
    }

    // MARK: - Helpers

    private static func makeCString(_ text: String) -> UnsafeMutablePointer<CChar> {
        let bytes = Array(text.utf8)
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        for (index, byte) in bytes.enumerated() {
            storage[index] = CChar(bitPattern: byte)
        }
        storage[bytes.count] = 0
        return storage
    }

    /// Wraps each ANSI escape sequence in the prompt between two delimiter characters, which
    /// libedit (`EL_PROMPT_ESC`) prints without counting them as columns.
    static func markingEscapes(in prompt: String) -> String {
        let delimiter = Unicode.Scalar(UInt8(promptEscapeDelimiter))
        let scalars = Array(prompt.unicodeScalars.filter { $0 != delimiter })
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "\u{1B}" else {
                result.append(scalar)
                index += 1
                continue
            }
            result.append(delimiter)
            result.append(scalar)
            index += 1
            if index < scalars.count, scalars[index] == "[" {
                result.append(scalars[index])
                index += 1
                while index < scalars.count {
                    let next = scalars[index]
                    result.append(next)
                    index += 1
                    if (0x40...0x7E).contains(next.value) { break }
                }
            } else if index < scalars.count {
                result.append(scalars[index])
                index += 1
            }
            result.append(delimiter)
        }
        return String(result)
    }

    private static func longestCommonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map(Array.init) else { return "" }
        for word in words.dropFirst() {
            let characters = Array(word)
            var length = 0
            while length < prefix.count, length < characters.count, prefix[length] == characters[length] {
                length += 1
            }
            prefix.removeSubrange(length...)
        }
        return String(prefix)
    }

    /// Lays `words` out in columns, filled top to bottom then left to right, like `ls`.
    /// Each line ends with "\r\n" because the terminal is in raw mode while libedit edits.
    private static func columns(_ words: [String], width: Int) -> String {
        let widths = words.map(displayWidth)
        let columnWidth = (widths.max() ?? 0) + 2
        let columnCount = max(1, (width + 2) / max(1, columnWidth))
        let rowCount = (words.count + columnCount - 1) / columnCount
        var output = ""
        for row in 0..<rowCount {
            var line = ""
            for column in 0..<columnCount {
                let index = column * rowCount + row
                guard index < words.count else { break }
                let isLast = column == columnCount - 1 || index + rowCount >= words.count
                line += words[index]
                if !isLast {
                    line += String(repeating: " ", count: columnWidth - widths[index])
                }
            }
            output += line + "\r\n"
        }
        return output
    }

    /// Terminal columns `text` takes: marks and format characters none, emoji and East
    /// Asian wide characters two, everything else one.
    private static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format, .control:
                return total
            default:
                break
            }
            if scalar.properties.isEmojiPresentation { return total + 2 }
            let wideRanges: [ClosedRange<UInt32>] = [
                0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
                0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD,
            ]
            return total + (wideRanges.contains { $0.contains(scalar.value) } ? 2 : 1)
        }
    }

    private static func createParentDirectory(of path: String) {
        var components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard components.count > 1 else { return }
        components.removeLast()
        var current = ""
        for (index, component) in components.enumerated() {
            current += index == 0 ? component : "/" + component
            if current.isEmpty || component.isEmpty || component == "." { continue }
            mkdir(current, 0o700)
        }
    }
}
