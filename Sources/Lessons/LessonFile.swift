import SagaLab

/// Why a lesson file cannot be read: the file, the line, and what was expected there.
public struct LessonFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// Reads a lesson written as Markdown, the format chapter 15 documents:
///
///     # Lesson: TITLE
///     - Chapter: [1. ...](../handbook/01-the-dual-write.md)
///     - Design: none
///     - Seed: 1
///     ## Step 1            passage, a ```sagalab block with one command, explanation
///     ## Exercise          the task, then ### Hints, ### Solution, ### Checks,
///                          ### When solved and ### Wrong answers (#### TITLE + a block each)
///
/// Every mistake is reported with its line and what the line should be; commands are
/// parsed, and checks and placeholders looked up, as the file is read.
public enum LessonFile {
    public static func parse(_ text: String, source: String, number: Int? = nil) throws -> Lesson {
        var parser = Parser(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }, source: source)
        return try parser.lesson(number: number)
    }

    /// Whether a Markdown text is a lesson (its first line is a `# Lesson` heading), for `sagalab check`.
    public static func looksLikeLesson(_ text: String) -> Bool {
        let first = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return first.lowercased().hasPrefix("# lesson")
    }

    struct Parser {
        let lines: [String]
        let source: String
        var index = 0

        init(lines: [String], source: String) {
            self.lines = lines
            self.source = source
        }

        func error(_ message: String, at line: Int? = nil) -> LessonFormatError {
            LessonFormatError(file: source, line: line ?? min(index + 1, max(lines.count, 1)), message: message)
        }

        var current: String? { index < lines.count ? lines[index] : nil }
        var lineNumber: Int { index + 1 }

        mutating func skipBlank() {
            while let line = current, line.allSatisfy(\.isWhitespace) { index += 1 }
        }

        static func isHeading(_ line: String, level: Int) -> Bool {
            line.hasPrefix(String(repeating: "#", count: level) + " ")
        }

        static func headingText(_ line: String) -> String {
            String(line.drop(while: { $0 == "#" }).drop(while: { $0 == " " })).trimmingSpaces
        }

        // MARK: the whole file

        mutating func lesson(number: Int?) throws -> Lesson {
            skipBlank()
            guard let first = current, Self.isHeading(first, level: 1), first.lowercased().hasPrefix("# lesson:") else {
                throw error("expected the title line `# Lesson: TITLE`")
            }
            let title = String(first.dropFirst("# lesson:".count)).trimmingSpaces
            guard !title.isEmpty else { throw error("the lesson has no title; write `# Lesson: TITLE`") }
            index += 1
            let header = try self.header()
            var steps: [LessonStep] = []
            skipBlank()
            while let line = current, Self.isHeading(line, level: 2), line.lowercased().hasPrefix("## step") {
                steps.append(try step(number: steps.count + 1))
            }
            guard let line = current, line.trimmingSpaces.lowercased() == "## exercise" else {
                if steps.isEmpty { throw error("expected `## Step 1` after the header") }
                throw error("expected `## Step \(steps.count + 1)` or `## Exercise`, not \"\(current ?? "the end of the file")\"")
            }
            index += 1
            let exercise = try self.exercise()
            return Lesson(number: number, source: source, title: title, chapter: header.chapter, design: header.design,
                          seed: header.seed, steps: steps, exercise: exercise)
        }

        mutating func header() throws -> (chapter: String, design: Design?, seed: UInt64) {
            var chapter: String?
            var design: Design??
            var seed: UInt64?
            skipBlank()
            while let line = current, line.hasPrefix("- ") {
                let item = String(line.dropFirst(2))
                guard let colon = item.firstIndex(of: ":") else {
                    throw error("expected `- Chapter: ...`, `- Design: ...` or `- Seed: N`")
                }
                let key = item[..<colon].trimmingSpaces.lowercased()
                let value = item[item.index(after: colon)...].trimmingSpaces
                switch key {
                case "chapter": chapter = try self.chapter(value)
                case "design": design = try self.design(value)
                case "seed":
                    guard let n = UInt64(value) else { throw error("the seed is a whole number, not \"\(value)\"") }
                    seed = n
                default: throw error("unknown header \"\(key)\"; the header names the Chapter, the Design and the Seed")
                }
                index += 1
            }
            guard let chapter else { throw error("the header has no `- Chapter: ...` line") }
            guard let design else { throw error("the header has no `- Design: ...` line (`none` for the lab's defaults)") }
            guard let seed else { throw error("the header has no `- Seed: N` line") }
            return (chapter, design, seed)
        }

        /// `[title](../handbook/01-the-dual-write.md)`, `01-the-dual-write` or `1`.
        func chapter(_ value: String) throws -> String {
            var target = value
            if let open = value.lastIndex(of: "("), value.hasSuffix(")") {
                target = String(value[value.index(after: open)..<value.index(before: value.endIndex)])
            }
            var slug = String(target.split(separator: "/").last ?? "")
            if slug.hasSuffix(".md") { slug.removeLast(3) }
            let found = Int(slug).flatMap { n in Handbook.chapters.first { $0.number == n } }
                ?? Handbook.chapters.first { $0.slug == slug.lowercased() }
            guard let found else {
                throw error("no handbook chapter \"\(target)\"; write a link to one, e.g. `[1. ...](../handbook/01-the-dual-write.md)`")
            }
            return found.slug
        }

        /// `none`, a design's command name (`kafka`) or the name learners see (`the Kafka shop`).
        func design(_ value: String) throws -> Design? {
            let lower = value.lowercased()
            if lower == "none" || lower.hasPrefix("none ") { return nil }
            if let design = Design.allCases.first(where: { $0.rawValue == lower || $0.name.lowercased() == lower }) {
                return design
            }
            let names = Design.allCases.map(\.rawValue).joined(separator: ", ")
            throw error("unknown design \"\(value)\"; write none (the lab's defaults) or one of \(names)")
        }

        // MARK: steps

        mutating func step(number: Int) throws -> LessonStep {
            let headingLine = lineNumber
            let words = Self.headingText(current ?? "").split(separator: " ")
            guard words.count >= 2, words[0].lowercased() == "step", Int(words[1].filter { $0 != ":" }) == number else {
                throw error("expected `## Step \(number)`: steps are numbered 1, 2, 3 in order")
            }
            index += 1
            var passage: [String] = []
            var explanation: [String] = []
            var command: (text: String, line: Int)?
            while let line = current, !Self.isHeading(line, level: 2) {
                if Self.isHeading(line, level: 3) || Self.isHeading(line, level: 4) {
                    throw error("a step has no subsections; start the next one with `## Step \(number + 1)` or `## Exercise`")
                }
                if line.hasPrefix("```") {
                    guard command == nil else { throw error("step \(number) has a second command block; a step suggests one command") }
                    let block = try self.block()
                    guard block.commands.count == 1 else {
                        throw error("a step's ```sagalab block holds exactly one command, not \(block.commands.count)", at: block.lines.first ?? lineNumber)
                    }
                    command = (block.commands[0], block.lines[0])
                    continue
                }
                if command == nil { passage.append(line) } else { explanation.append(line) }
                index += 1
            }
            let passageText = try prose(passage, from: headingLine + 1)
            guard !passageText.isEmpty else { throw error("step \(number) has no passage before its command", at: headingLine) }
            let explanationText = try prose(explanation, from: command?.line ?? headingLine)
            if command != nil, explanationText.isEmpty {
                throw error("step \(number) has no explanation after its command block", at: command?.line)
            }
            return LessonStep(passage: passageText, command: command?.text, explanation: explanationText,
                              line: headingLine, commandLine: command?.line ?? headingLine)
        }

        /// A fenced ```sagalab block at the current line: its commands, each parsed.
        mutating func block() throws -> CommandList {
            let open = lineNumber
            guard current?.trimmingSpaces == "```sagalab" else {
                throw error("a command block starts with ```sagalab, not \"\(current ?? "")\"")
            }
            index += 1
            var list = CommandList(commands: [], lines: [])
            while let line = current, line.trimmingSpaces != "```" {
                let command = line.trimmingSpaces
                index += 1
                if command.isEmpty || command.hasPrefix("#") { continue }
                switch CommandParser.parse(command) {
                case .error(let message): throw error("this command does not parse: \(message)", at: lineNumber - 1)
                case .command(let parsed) where parsed.isTeaching:
                    throw error("`\(command)` moves through lessons; a lesson's commands work on the lab", at: lineNumber - 1)
                default: break
                }
                list.commands.append(command)
                list.lines.append(lineNumber - 1)
            }
            guard current != nil else { throw error("the ```sagalab block opened at line \(open) is never closed with ```", at: open) }
            index += 1
            guard !list.commands.isEmpty else { throw error("an empty ```sagalab block", at: open) }
            return list
        }

        /// Paragraphs of prose: lines joined by spaces, paragraphs by a newline; placeholders checked.
        func prose(_ lines: [String], from first: Int) throws -> String {
            var paragraphs: [[String]] = [[]]
            for line in lines {
                let text = line.trimmingSpaces
                if text.isEmpty {
                    if !(paragraphs.last ?? []).isEmpty { paragraphs.append([]) }
                } else {
                    paragraphs[paragraphs.count - 1].append(text)
                }
            }
            let text = paragraphs.filter { !$0.isEmpty }.map { $0.joined(separator: " ") }.joined(separator: "\n")
            if let unknown = Narration.unknownPlaceholder(in: text) {
                let line = lines.firstIndex { $0.contains(unknown) }.map { first + $0 } ?? first
                throw error("unknown placeholder \(unknown); placeholders: \(Narration.names.map { "{\($0)}" }.joined(separator: ", "))", at: line)
            }
            return text
        }

        // MARK: the exercise

        mutating func exercise() throws -> Exercise {
            let start = lineNumber
            var task: [String] = []
            while let line = current, !Self.isHeading(line, level: 3) {
                if Self.isHeading(line, level: 2) { throw error("the exercise is the last part; no `##` heading may follow it") }
                task.append(line)
                index += 1
            }
            let taskText = try prose(task, from: start)
            guard !taskText.isEmpty else { throw error("the exercise has no task: write it under `## Exercise`", at: start - 1) }
            var hints: [String]?
            var solutions: [CommandList]?
            var checks: [Condition]?
            var success: String?
            var wrong: [WrongAnswer]?
            while let line = current {
                let name = Self.headingText(line).lowercased()
                guard Self.isHeading(line, level: 3) else { throw error("expected a `###` section of the exercise") }
                index += 1
                switch name {
                case "hints": hints = try items().map { $0.text }
                case "solution": solutions = try blocks()
                case "checks": checks = try conditions()
                case "when solved":
                    let first = lineNumber
                    success = try prose(sectionLines(), from: first)
                case "wrong answers": wrong = try wrongAnswers()
                default:
                    throw error("unknown section \"### \(Self.headingText(line))\"; the exercise has Hints, Solution, Checks, When solved and Wrong answers", at: lineNumber - 1)
                }
            }
            guard let solutions, !solutions.isEmpty else { throw error("the exercise has no `### Solution` with a ```sagalab block") }
            guard let checks, !checks.isEmpty else { throw error("the exercise has no `### Checks` list: name what must be true of the world") }
            guard let success, !success.isEmpty else { throw error("the exercise has no `### When solved` text") }
            guard let wrong, !wrong.isEmpty else {
                throw error("the exercise has no `### Wrong answers`: list at least one attempt that must be refused")
            }
            return Exercise(task: taskText, hints: hints ?? [], solutions: solutions, checks: checks, success: success,
                            wrongAnswers: wrong)
        }

        /// The lines up to the next `###` heading.
        mutating func sectionLines() -> [String] {
            var out: [String] = []
            while let line = current, !Self.isHeading(line, level: 3) {
                out.append(line)
                index += 1
            }
            return out
        }

        /// A list: items start with `- ` or `1. `; other non-blank lines continue the item before.
        mutating func items() throws -> [(text: String, line: Int)] {
            var out: [(text: String, line: Int)] = []
            while let line = current, !Self.isHeading(line, level: 3) {
                index += 1
                let text = line.trimmingSpaces
                if text.isEmpty { continue }
                if let item = Self.listItem(text) {
                    out.append((item, lineNumber - 1))
                } else if out.isEmpty {
                    throw error("expected a list item (`- ...` or `1. ...`)", at: lineNumber - 1)
                } else {
                    out[out.count - 1].text += " " + text
                }
            }
            for item in out {
                if let unknown = Narration.unknownPlaceholder(in: item.text) {
                    throw error("unknown placeholder \(unknown)", at: item.line)
                }
            }
            return out
        }

        static func listItem(_ text: String) -> String? {
            if text.hasPrefix("- ") || text.hasPrefix("* ") { return String(text.dropFirst(2)).trimmingSpaces }
            let digits = text.prefix(while: \.isNumber)
            if !digits.isEmpty, text.dropFirst(digits.count).hasPrefix(". ") {
                return String(text.dropFirst(digits.count + 2)).trimmingSpaces
            }
            return nil
        }

        mutating func blocks() throws -> [CommandList] {
            var out: [CommandList] = []
            while let line = current, !Self.isHeading(line, level: 3) {
                if line.hasPrefix("```") { out.append(try block()) } else { index += 1 }
            }
            return out
        }

        mutating func conditions() throws -> [Condition] {
            try items().map { item in
                let text = item.text.filter { $0 != "`" }
                do {
                    return try Condition.parse(text)
                } catch let problem as CheckError {
                    throw error(problem.message, at: item.line)
                }
            }
        }

        mutating func wrongAnswers() throws -> [WrongAnswer] {
            var out: [WrongAnswer] = []
            while let line = current, !Self.isHeading(line, level: 3) {
                if Self.isHeading(line, level: 4) {
                    out.append(WrongAnswer(title: Self.headingText(line), line: lineNumber, commands: CommandList(commands: [], lines: [])))
                    index += 1
                } else if line.hasPrefix("```") {
                    guard !out.isEmpty else { throw error("give each wrong answer a `#### TITLE` line before its block") }
                    guard out[out.count - 1].commands.commands.isEmpty else {
                        throw error("wrong answer \"\(out[out.count - 1].title)\" has a second block; give each its own `####` title")
                    }
                    out[out.count - 1].commands = try block()
                } else {
                    index += 1
                }
            }
            if let empty = out.first(where: { $0.commands.commands.isEmpty }) {
                throw error("wrong answer \"\(empty.title)\" has no ```sagalab block", at: empty.line)
            }
            return out
        }
    }
}

extension StringProtocol {
    /// The text without the spaces and tabs around it.
    var trimmingSpaces: String {
        let trimmed = drop(while: { $0 == " " || $0 == "\t" })
        var end = trimmed.endIndex
        while end > trimmed.startIndex, trimmed[trimmed.index(before: end)] == " " || trimmed[trimmed.index(before: end)] == "\t" {
            end = trimmed.index(before: end)
        }
        return String(trimmed[..<end])
    }
}
