import SagaLab

/// What the host should do after a line, beyond printing its text.
public enum WorkbenchEffect: Equatable, Sendable {
    case quit
    case save(path: String, contents: String)
    /// Write over a file that may exist (`--force`).
    case replace(path: String, contents: String)
    /// The learner's progress changed: persist this text.
    case progress(String)
}

/// The answer to one line typed at the workbench.
public struct WorkbenchReply: Equatable, Sendable {
    public var text: String
    public var isError: Bool
    /// The host's watch stopped a long command between two steps (Ctrl-C).
    public var isInterrupted: Bool
    public var effects: [WorkbenchEffect]
    /// Long reading (a chapter) that a terminal host may send through a pager.
    public var isReading: Bool

    init(_ text: String, isError: Bool = false, isInterrupted: Bool = false, effects: [WorkbenchEffect] = [],
         isReading: Bool = false) {
        self.text = text
        self.isError = isError
        self.isInterrupted = isInterrupted
        self.effects = effects
        self.isReading = isReading
    }
}

/// The whole interactive workbench: the lab session plus the handbook and guided lessons.
///
/// The terminal program, `sagalab run`, transcript checks and the tests all drive this
/// one type, so what a learner sees in the REPL is exactly what the tests check.
public struct Workbench: Sendable {
    public internal(set) var session: Session
    /// Terminal width for chapters, traces and lesson layout (side by side from 120 columns).
    public var width: Int {
        didSet { session.width = width }
    }
    public internal(set) var progress: LessonProgress
    public internal(set) var tour: Tour?
    /// Reads a lesson file named at run time (`lesson ./my-lesson.md`): the text, or why it
    /// cannot be read. The terminal program sets it; without it only the lessons built in load.
    public var readFile: (@Sendable (String) -> Result<String, LessonFileUnreadable>)?

    public init(seed: UInt64 = 1, style: Style = .plain, width: Int = 80, progress: LessonProgress = LessonProgress()) {
        session = Session(seed: seed, style: style)
        self.width = max(40, width)
        session.width = self.width
        self.progress = progress
    }

    public var world: World { session.world }
    /// Prose reads best in moderate lines: chapters and passages wrap at most at 100 columns.
    var readingWidth: Int { min(width, 100) }
    var style: Style { session.style }

    /// Runs one line; `watch` can stop a long command and follow its progress. Every line
    /// of the reply fits the terminal's width (`TextWrap.fit`).
    public mutating func execute(_ line: String, watch: CommandWatch = .none) -> WorkbenchReply {
        var reply = unfitted(line, watch: watch)
        reply.text = TextWrap.fit(reply.text, width: width)
        return reply
    }

    mutating func unfitted(_ line: String, watch: CommandWatch) -> WorkbenchReply {
        if tour != nil, line.allSatisfy(\.isWhitespace) {
            guard let command = enterCommand else { return WorkbenchReply("") }
            if command == Workbench.continueCommand { return unfitted(command, watch: watch) }
            return runLessonCommand(command, line: command, watch: watch)
        }
        switch CommandParser.parse(line) {
        case .empty: return WorkbenchReply("")
        case .error(let message): return WorkbenchReply("error: \(message)", isError: true)
        case .command(let command):
            if case .chapterRun(let which) = command { return playChapter(which, watch: watch) }
            if command.isTeaching { return teach(command) }
            return runLessonCommand(line, line: line, parsed: command, watch: watch)
        }
    }

    /// The command an empty line runs now in a lesson: the current step's suggested command
    /// until it has run, then `next` (a step with nothing to run goes on at once); nothing
    /// during the exercise, where every line is the learner's own. The host echoes it as if
    /// typed and adds it to the line editor's history.
    public var enterCommand: String? {
        guard let tour, !tour.inExercise else { return nil }
        if !tour.stepCommandRan, let command = tour.lesson.steps[tour.step].command { return command }
        return Workbench.continueCommand
    }

    /// What Enter runs once a step's command has run.
    static let continueCommand = "next"

    /// Whether the session keeps snapshots for fast jumps (`Session.keepsSnapshots`).
    public mutating func keepSnapshots(_ on: Bool) { session.keepsSnapshots = on }

    /// Candidates for TAB, including chapters and lesson numbers. After `chapter ` alone
    /// only the numbers come (`completionNotes` gives their titles); a letter brings topics.
    public func completions(_ lineUpToCursor: String) -> [String] {
        let command = lineUpToCursor.split(separator: " ").first?.lowercased()
        var extra: [String: [String]] = [:]
        let typing = lineUpToCursor.last.map { !$0.isWhitespace } ?? false
        if command == "chapter" { extra["chapter"] = Handbook.chapters.map { "\($0.number)" } + (typing ? Handbook.topics : []) }
        if command == "lesson" { extra["lesson"] = LessonCatalog.all.compactMap { $0.number.map(String.init) } }
        if command == "switch" { extra["switch"] = session.branchNames }
        if command == "goto" { extra["goto"] = session.historyNumbers }
        return Completion.candidates(lineUpToCursor, world: world, extra: extra)
    }

    /// What TAB's list shows beside a candidate: a lesson's or a chapter's title beside its
    /// number, so that each number is paired with its own title.
    public func completionNotes(_ lineUpToCursor: String) -> [String: String] {
        let words = lineUpToCursor.split(whereSeparator: \.isWhitespace)
        let typing = lineUpToCursor.last.map { !$0.isWhitespace } ?? false
        guard words.count == (typing ? 2 : 1) else { return [:] }
        switch words[0].lowercased() {
        case "lesson":
            var notes = ["stop": "leave the lesson"]
            for lesson in LessonCatalog.all { if let number = lesson.number { notes["\(number)"] = lesson.title } }
            return notes
        case "chapter":
            var notes: [String: String] = [:]
            for chapter in Handbook.chapters { notes["\(chapter.number)"] = chapter.title }
            return notes
        default: return [:]
        }
    }

    mutating func runLessonCommand(_ text: String, line: String, parsed: Command? = nil,
                                   watch: CommandWatch = .none) -> WorkbenchReply {
        let command: Command
        if let parsed {
            command = parsed
        } else if case .command(let c) = CommandParser.parse(text) {
            command = c
        } else {
            return WorkbenchReply("error: the lesson's command does not parse: \(text)", isError: true)
        }
        if let tour, tour.step < tour.lesson.steps.count, !tour.stepCommandRan,
           let suggested = tour.lesson.steps[tour.step].command, normalized(suggested) == normalized(line) {
            return runStep(command, line: line, watch: watch)
        }
        let reply = session.execute(command, line: line, watch: watch)
        var effects = Self.effects(of: reply)
        var text = reply.text
        // Looking can be long: a terminal pages it when it is taller than the screen.
        let reading = command.isLooking
        guard !reply.isError, !reply.isInterrupted, tour != nil else {
            return WorkbenchReply(text, isError: reply.isError, isInterrupted: reply.isInterrupted, effects: effects,
                                  isReading: reading && !reply.isError)
        }
        text = afterOwnCommand(command, text: text, effects: &effects)
        return WorkbenchReply(text, effects: effects, isReading: reading)
    }

    static func effects(of reply: Reply) -> [WorkbenchEffect] {
        switch reply.effect {
        case .quit: return [.quit]
        case .save(let path, let contents): return [.save(path: path, contents: contents)]
        case .replace(let path, let contents): return [.replace(path: path, contents: contents)]
        case nil: return []
        }
    }

    func normalized(_ line: String) -> String {
        line.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }

    mutating func teach(_ command: Command) -> WorkbenchReply {
        switch command {
        case .chapter(nil):
            return WorkbenchReply(Handbook.contents(style: style))
        case .chapter(let query?):
            guard let chapter = Handbook.find(query) else {
                if Int(query) == nil, let found = HandbookSearch.text(query, width: width, style: style) {
                    return WorkbenchReply(found, isReading: true)
                }
                let shown = query.count > 30 ? String(query.prefix(27)) + "..." : query
                let what = Int(query) == nil ? "no chapter mentions \(quoted(shown))" : "no chapter \(shown)"
                return WorkbenchReply("error: \(what)\(Suggest.hint(query, in: Handbook.topicWords)); `chapter` lists them", isError: true)
            }
            let markdown = readingWidth < TranscriptSuite.recordedWidth
                ? TranscriptSuite.replayingSessions(chapter.markdown, width: readingWidth) : chapter.markdown
            return WorkbenchReply(MarkdownRenderer.render(markdown, width: readingWidth, style: style).trimmingTrailingNewlines,
                                  isReading: true)
        default:
            return guide(command)
        }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.last == "\n" { s.removeLast() }
        return s
    }
}
