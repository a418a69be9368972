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
    public private(set) var session: Session
    /// Terminal width for chapters, traces and lesson layout (side by side from 120 columns).
    public var width: Int {
        didSet { session.width = width }
    }
    public private(set) var progress: LessonProgress
    public private(set) var tour: Tour?

    /// A lesson in progress.
    public struct Tour: Sendable {
        public var lesson: Int
        /// Index of the current step; `steps.count` means the exercise.
        public var step: Int
        public var stepCommandRan: Bool
        public var hintsShown: Int
    }

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

    /// The command an empty line runs now: the current lesson step's suggested command, until
    /// it has run. The host echoes it as if typed and adds it to the line editor's history.
    public var enterCommand: String? {
        guard let tour, let lesson = LessonCatalog.lesson(tour.lesson), tour.step < lesson.steps.count,
              !tour.stepCommandRan else { return nil }
        return lesson.steps[tour.step].command
    }

    /// Whether the session keeps snapshots for fast jumps (`Session.keepsSnapshots`).
    public mutating func keepSnapshots(_ on: Bool) { session.keepsSnapshots = on }

    /// Candidates for TAB, including chapters and lesson numbers. After `chapter ` alone
    /// only the numbers come (`completionNotes` gives their titles); a letter brings topics.
    public func completions(_ lineUpToCursor: String) -> [String] {
        let command = lineUpToCursor.split(separator: " ").first?.lowercased()
        var extra: [String: [String]] = [:]
        let typing = lineUpToCursor.last.map { !$0.isWhitespace } ?? false
        if command == "chapter" { extra["chapter"] = Handbook.chapters.map { "\($0.number)" } + (typing ? Handbook.topics : []) }
        if command == "lesson" { extra["lesson"] = LessonCatalog.all.map { "\($0.number)" } }
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
            for lesson in LessonCatalog.all { notes["\(lesson.number)"] = lesson.title }
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
        let reply = session.execute(command, line: line, watch: watch)
        var effects: [WorkbenchEffect] = []
        switch reply.effect {
        case .quit: effects.append(.quit)
        case .save(let path, let contents): effects.append(.save(path: path, contents: contents))
        case .replace(let path, let contents): effects.append(.replace(path: path, contents: contents))
        case nil: break
        }
        var text = reply.text
        // Looking can be long: a terminal pages it when it is taller than the screen.
        let reading = command.isLooking
        guard !reply.isError, !reply.isInterrupted, var tour, let lesson = LessonCatalog.lesson(tour.lesson) else {
            return WorkbenchReply(text, isError: reply.isError, isInterrupted: reply.isInterrupted, effects: effects,
                                  isReading: reading && !reply.isError)
        }
        if tour.step < lesson.steps.count {
            let step = lesson.steps[tour.step]
            if let suggested = step.command, normalized(suggested) == normalized(line), !tour.stepCommandRan {
                tour.stepCommandRan = true
                text = LessonLayout.beside(output: text, explanation: step.explanation, width: width, style: style)
                text += "\n" + style.paint(tour.step + 1 == lesson.steps.count ? "(`next` for the exercise)" : "(`next` to continue)", .dim)
            }
        } else if lesson.exercise.isSolved(world) && !progress.solved.contains(lesson.number) {
            progress.solved.insert(lesson.number)
            text += "\n\(style.pass) " + style.paint("Exercise solved: \(lesson.exercise.success)", .green)
            text += "\nLesson \(lesson.number) complete; `lessons` shows your progress."
            effects.append(.progress(progress.text))
        }
        self.tour = tour
        return WorkbenchReply(text, effects: effects, isReading: reading)
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
            return WorkbenchReply(MarkdownRenderer.render(chapter.markdown, width: readingWidth, style: style).trimmingTrailingNewlines,
                                  isReading: true)
        case .lessons:
            return WorkbenchReply(lessonList())
        case .lesson("stop"):
            guard let tour else { return WorkbenchReply("error: no lesson is running; `lessons` lists them", isError: true) }
            self.tour = nil
            return WorkbenchReply("left lesson \(tour.lesson); the lab stays as it is")
        case .lesson(let arg):
            guard let n = Int(arg), let lesson = LessonCatalog.lesson(n) else {
                let numbers = LessonCatalog.all.map { "\($0.number)" }.joined(separator: ", ")
                return WorkbenchReply("error: no lesson \(arg.count > 30 ? String(arg.prefix(27)) + "..." : arg); lessons: \(numbers), or `lesson stop`", isError: true)
            }
            return start(lesson)
        case .next:
            guard var tour, let lesson = LessonCatalog.lesson(tour.lesson) else {
                return WorkbenchReply("error: `next` moves through a lesson; start one with `lesson N`", isError: true)
            }
            guard tour.step < lesson.steps.count else {
                return WorkbenchReply("This is the lesson's last part: solve the exercise, or `lesson stop`.")
            }
            tour.step += 1
            tour.stepCommandRan = false
            self.tour = tour
            return reached(lesson, tour)
        case .back:
            guard var tour, let lesson = LessonCatalog.lesson(tour.lesson) else {
                return WorkbenchReply("error: `back` moves through a lesson; start one with `lesson N`", isError: true)
            }
            guard tour.step > 0 else { return WorkbenchReply("This is the first step.\n" + stepText(lesson, 0)) }
            tour.step -= 1
            tour.stepCommandRan = true
            self.tour = tour
            return WorkbenchReply(stepText(lesson, tour.step) + "\n" + style.paint("(shown again; the lab keeps its state)", .dim))
        case .hint:
            guard var tour, let lesson = LessonCatalog.lesson(tour.lesson) else {
                return WorkbenchReply("error: hints belong to lessons; start one with `lesson N`", isError: true)
            }
            if tour.step < lesson.steps.count {
                let command = lesson.steps[tour.step].command.map { "Type `\($0)` or press Enter to run it, then `next`." }
                return WorkbenchReply(command ?? "Read the passage, then `next`.")
            }
            let hints = lesson.exercise.hints
            guard !hints.isEmpty else { return WorkbenchReply("No hint for this one.") }
            let index = min(tour.hintsShown, hints.count - 1)
            tour.hintsShown += 1
            self.tour = tour
            return WorkbenchReply("Hint \(index + 1) of \(hints.count): \(hints[index])")
        default:
            return WorkbenchReply("")
        }
    }

    mutating func start(_ lesson: Lesson) -> WorkbenchReply {
        let keptStyle = session.style
        session = Session(seed: lesson.seed, style: keptStyle)
        session.width = width
        var resumeAt = 0
        if !progress.solved.contains(lesson.number), let reachedStep = progress.reached[lesson.number] {
            resumeAt = min(reachedStep, lesson.steps.count)
            for step in lesson.steps.prefix(resumeAt) {
                if let command = step.command { _ = session.execute(command) }
            }
        }
        let tour = Tour(lesson: lesson.number, step: resumeAt, stepCommandRan: false, hintsShown: 0)
        self.tour = tour
        var head = [style.paint("Lesson \(lesson.number): \(lesson.title)", .bold)]
        let chapter = Handbook.chapters.first { $0.slug == lesson.chapter }
        if let chapter { head.append("It follows handbook chapter \(chapter.number), \"\(chapter.title)\" (`chapter \(chapter.number)`).") }
        head.append("A fresh lab (seed \(lesson.seed)). `next` and `back` move, `hint` helps, `lesson stop` leaves.")
        if resumeAt > 0 { head.append("Resuming where you stopped: the lab replayed steps 1-\(resumeAt).") }
        var reply = reached(lesson, tour)
        reply.text = head.joined(separator: "\n") + "\n\n" + reply.text
        return reply
    }

    mutating func reached(_ lesson: Lesson, _ tour: Tour) -> WorkbenchReply {
        if (progress.reached[lesson.number] ?? -1) < tour.step {
            progress.reached[lesson.number] = tour.step
        }
        let effects: [WorkbenchEffect] = [.progress(progress.text)]
        guard tour.step < lesson.steps.count else {
            var text = style.paint("Exercise", .bold) + "\n" + LessonLayout.wrap(lesson.exercise.task, width: readingWidth, indent: "  ")
            text += "\n" + LessonLayout.wrap("The lab checks the world after every command. `hint` helps; `reset` starts the lab afresh.", width: readingWidth, indent: "  ")
            if progress.solved.contains(lesson.number) { text += "\n  (You solved this one before; solve it again for practice.)" }
            return WorkbenchReply(text, effects: effects)
        }
        return WorkbenchReply(stepText(lesson, tour.step), effects: effects)
    }

    func stepText(_ lesson: Lesson, _ index: Int) -> String {
        let step = lesson.steps[index]
        var out = [style.paint("Step \(index + 1) of \(lesson.steps.count)", .bold)]
        out.append(LessonLayout.wrap(step.passage, width: readingWidth, indent: "  "))
        if let command = step.command {
            out.append("  try: " + style.paint(command, .cyan) + "   (or press Enter to run it)")
        } else {
            out.append(LessonLayout.wrap(step.explanation, width: readingWidth, indent: "  "))
        }
        return out.joined(separator: "\n")
    }

    func lessonList() -> String {
        var lines = [style.paint("Lessons", .bold)]
        let titleWidth = (LessonCatalog.all.map { displayWidth($0.title) }.max() ?? 40) + 2
        for lesson in LessonCatalog.all {
            let mark: String
            if progress.solved.contains(lesson.number) {
                mark = style.pass
            } else if let step = progress.reached[lesson.number] {
                mark = step >= lesson.steps.count ? "exercise" : "step \(step + 1)/\(lesson.steps.count)"
            } else {
                mark = "new"
            }
            lines.append("  \(padRight(String(lesson.number) + ".", 4))\(padRight(lesson.title, titleWidth))\(mark)")
        }
        let solved = LessonCatalog.all.filter { progress.solved.contains($0.number) }.count
        lines.append("\(solved) of \(LessonCatalog.all.count) solved. `lesson N` starts or resumes one.")
        return lines.joined(separator: "\n")
    }

    /// The inputs that play a lesson from start to solved exercise: what `sagalab run lesson-N` types.
    public static func playthrough(_ lesson: Lesson) -> [String] {
        var inputs = ["lesson \(lesson.number)"]
        for step in lesson.steps {
            if step.command != nil { inputs.append("") }
            inputs.append("next")
        }
        return inputs + lesson.exercise.solution
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.last == "\n" { s.removeLast() }
        return s
    }
}
