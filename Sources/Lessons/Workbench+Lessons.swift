import SagaLab

/// The workbench's guided lessons: starting one, moving through its steps, running a
/// step's command, keeping the narration true when the learner leaves the lesson's path,
/// and judging the exercise.
extension Workbench {
    mutating func guide(_ command: Command) -> WorkbenchReply {
        switch command {
        case .lessons:
            return WorkbenchReply(lessonList())
        case .lesson(nil):
            guard let tour else { return noLesson("`lesson` shows the current step") }
            return WorkbenchReply(current(tour))
        case .lesson("stop"):
            guard let tour else { return noLesson("`lesson stop` leaves one") }
            self.tour = nil
            return WorkbenchReply("left \(tour.lesson.name.lowercased()); the lab stays as it is")
        case .lesson("replay"):
            guard let tour else { return noLesson("`lesson replay` puts a lesson's lab back on its path") }
            return replay(tour)
        case .lesson(let arg?):
            switch load(arg) {
            case .success(let lesson): return start(lesson)
            case .failure(let problem): return WorkbenchReply("error: \(problem.message)", isError: true)
            }
        case .next:
            guard var tour else {
                return WorkbenchReply("error: `next` moves through a lesson; start one with `lesson N`", isError: true)
            }
            guard !tour.inExercise else {
                return WorkbenchReply("This is the lesson's last part: solve the exercise, or `lesson stop`.")
            }
            let skipped = tour.lesson.steps[tour.step].command != nil && !tour.stepCommandRan
            tour.step += 1
            tour.stepCommandRan = false
            var reply = reached(tour)
            if skipped, !tour.inExercise, tour.place(of: world, near: tour.step - 1) != nil {
                reply.text += "\n" + style.paint(note("You skipped step \(tour.step)'s command; Enter here runs it first, so the lesson stays true."), .dim)
            }
            self.tour = tour
            return reply
        case .back:
            guard var tour else {
                return WorkbenchReply("error: `back` moves through a lesson; start one with `lesson N`", isError: true)
            }
            guard tour.step > 0 else { return WorkbenchReply("This is the first step.\n" + stepText(tour.lesson, 0)) }
            tour.step -= 1
            tour.stepCommandRan = false
            self.tour = tour
            guard tour.lesson.steps[tour.step].command != nil else { return WorkbenchReply(stepText(tour.lesson, tour.step)) }
            return WorkbenchReply(stepText(tour.lesson, tour.step) + "\n"
                + style.paint(note("Shown again. Enter runs its command again from where this step starts."), .dim))
        case .hint:
            guard var tour else {
                return WorkbenchReply("error: hints belong to lessons; start one with `lesson N`", isError: true)
            }
            if !tour.inExercise {
                let command = tour.lesson.steps[tour.step].command.map { "Type `\($0)` or press Enter to run it; then Enter again (or `next`) goes on." }
                return WorkbenchReply(command ?? "Read the passage, then press Enter (or `next`).")
            }
            var lines: [String] = []
            if let first = tour.lesson.exercise.missing(in: world).first {
                lines.append(LessonLayout.wrap("Not yet: " + first + ".", width: readingWidth, indent: ""))
            }
            let hints = tour.lesson.exercise.hints
            if hints.isEmpty {
                lines.append("No hint for this one.")
            } else {
                let index = min(tour.hintsShown, hints.count - 1)
                tour.hintsShown += 1
                self.tour = tour
                lines.append(LessonLayout.wrap("Hint \(index + 1) of \(hints.count): " + fill(hints[index]), width: readingWidth, indent: ""))
            }
            return WorkbenchReply(lines.joined(separator: "\n"))
        default:
            return WorkbenchReply("")
        }
    }

    func noLesson(_ what: String) -> WorkbenchReply {
        WorkbenchReply("error: no lesson is running (\(what)); `lessons` lists them, `lesson N` starts one", isError: true)
    }

    /// A lesson by number, or a lesson file by path (`lesson ./my-lesson.md`).
    func load(_ arg: String) -> Result<Lesson, LessonLoadError> {
        if let n = Int(arg) {
            if let lesson = LessonCatalog.lesson(n) { return .success(lesson) }
            let numbers = LessonCatalog.all.compactMap { $0.number.map(String.init) }.joined(separator: ", ")
            return .failure(LessonLoadError("no lesson \(n); lessons: \(numbers), or `lesson FILE.md`"))
        }
        guard arg.contains("/") || arg.lowercased().hasSuffix(".md") else {
            let shown = arg.count > 30 ? String(arg.prefix(27)) + "..." : arg
            return .failure(LessonLoadError("no lesson \(shown); `lesson N` (`lessons` lists them), `lesson FILE.md`, `lesson stop` or `lesson replay`"))
        }
        guard let readFile else { return .failure(LessonLoadError("lesson files are read by the sagalab program; here only `lesson N` works")) }
        switch readFile(arg) {
        case .failure(let problem): return .failure(LessonLoadError(problem.message))
        case .success(let text):
            do {
                return .success(try LessonFile.parse(text, source: arg))
            } catch let problem as LessonFormatError {
                return .failure(LessonLoadError(problem.description))
            } catch {
                return .failure(LessonLoadError("\(arg): \(error)"))
            }
        }
    }

    mutating func start(_ lesson: Lesson) -> WorkbenchReply {
        var resumeAt = 0
        if let number = lesson.number, !progress.solved.contains(number), let reachedStep = progress.reached[number] {
            resumeAt = min(reachedStep, lesson.steps.count)
        }
        var tour = Tour(lesson: lesson, step: resumeAt, path: LessonPath(lesson))
        putBack(&tour, steps: resumeAt)
        self.tour = tour
        var head = [style.paint("\(lesson.name): \(lesson.title)", .bold)]
        if let chapter = Handbook.chapters.first(where: { $0.slug == lesson.chapter }) {
            head.append("It follows handbook chapter \(chapter.number), \"\(chapter.title)\" (`chapter \(chapter.number)`).")
        }
        let lab = lesson.design.map { "A fresh lab following \($0.name) (seed \(lesson.seed))" } ?? "A fresh lab (seed \(lesson.seed))"
        head.append("\(lab). `next` and `back` move, `hint` helps, `lesson stop` leaves.")
        if resumeAt > 0 { head.append("Resuming where you stopped: the lab replayed steps 1-\(resumeAt).") }
        var reply = reached(tour)
        reply.text = head.joined(separator: "\n") + "\n\n" + reply.text
        return reply
    }

    /// Runs the current step's command. On the lesson's path the explanation follows the
    /// output; a lab that is on the path at another step (a step skipped with `next`, or
    /// gone `back` to) is first brought to where this step starts; off the path the
    /// command runs and the lesson says so instead of telling a story that is not the learner's.
    mutating func runStep(_ command: Command, line: String, watch: CommandWatch) -> WorkbenchReply {
        guard var tour else { return WorkbenchReply("") }
        let step = tour.lesson.steps[tour.step]
        var before: [String] = []
        if let at = tour.place(of: world, near: tour.step), at != tour.step {
            if at < tour.step {
                for skipped in tour.lesson.steps[at..<tour.step] {
                    if let command = skipped.command { _ = session.execute(command) }
                }
                let which = at + 1 == tour.step ? "step \(tour.step)" : "steps \(at + 1)-\(tour.step)"
                before.append(style.paint(note("First the command you skipped at \(which), so the lesson stays true."), .dim))
            } else {
                putBack(&tour, steps: tour.step)
                before.append(style.paint(note("The lab went back to where step \(tour.step + 1) starts, and runs it again."), .dim))
            }
        }
        let onPath = world == tour.path.world(at: tour.step)
        let reply = session.execute(command, line: line, watch: watch)
        let effects = Self.effects(of: reply)
        guard !reply.isError, !reply.isInterrupted else {
            self.tour = tour
            return WorkbenchReply((before + [reply.text]).joined(separator: "\n"), isError: reply.isError,
                                  isInterrupted: reply.isInterrupted, effects: effects)
        }
        tour.stepCommandRan = true
        if onPath, !command.isTimeTravel, step.command.map(CommandParser.parse) == .command(command) {
            // The step's own command from the step's own world: the world it made is the
            // path's next one. History commands are left out, as they read the session's
            // history, which the learner's own commands may have grown.
            tour.path.record(world, at: tour.step + 1)
        }
        var text: String
        if onPath || Narration.literals(in: step.explanation).isEmpty {
            text = LessonLayout.beside(output: reply.text, explanation: fill(step.explanation), width: width, style: style)
        } else {
            text = reply.text
        }
        if !onPath {
            text += "\n" + offPathNote(tour, explained: Narration.literals(in: step.explanation).isEmpty)
            tour.toldOffPath = true
        } else {
            tour.toldOffPath = false
        }
        text += "\n" + style.paint(continueCue(tour.lesson, tour.step), .dim)
        self.tour = tour
        return WorkbenchReply((before + [text]).joined(separator: "\n"), effects: effects, isReading: command.isLooking)
    }

    /// After a command of the learner's own during a lesson: say once when it takes the
    /// lab off the lesson's path, and judge the exercise.
    mutating func afterOwnCommand(_ command: Command, text: String, effects: inout [WorkbenchEffect]) -> String {
        guard var tour else { return text }
        var text = text
        if !tour.inExercise {
            if command.changesWorld || command.isTimeTravel {
                if tour.place(of: world, near: tour.stepsDone) != nil {
                    tour.toldOffPath = false
                } else if !tour.toldOffPath {
                    tour.toldOffPath = true
                    text += (text.isEmpty ? "" : "\n") + style.paint(note(
                        "Your lab has left the lesson's path: the steps ahead describe the lesson's lab, not yours. "
                            + "`lesson replay` puts it back by replaying the steps so far."), .dim)
                }
            }
            self.tour = tour
            return text
        }
        let exercise = tour.lesson.exercise
        if exercise.isSolved(world) {
            guard !tour.solved else { return text }
            tour.solved = true
            self.tour = tour
            if let number = tour.lesson.number, !progress.solved.contains(number) {
                progress.solved.insert(number)
                effects.append(.progress(progress.text))
            }
            return text + "\n" + solvedText(tour.lesson)
        }
        if command == .check {
            let missing = exercise.missing(in: world)
            text += "\n" + style.paint("Exercise not solved yet; still to do:", .bold)
            for item in missing {
                text += "\n" + TextWrap.wrap(item, width: readingWidth, indent: "  \(style.bullet) ", hanging: "    ")
            }
        }
        return text
    }

    func solvedText(_ lesson: Lesson) -> String {
        var text = "\(style.pass) " + style.paint("Exercise solved: \(fill(lesson.exercise.success))", .green)
        if let next = LessonCatalog.after(lesson), let number = next.number {
            text += "\n\(lesson.name) complete. Next: `lesson \(number)`, \"\(next.title)\"; `lessons` shows your progress."
        } else if lesson.number != nil {
            text += "\n\(lesson.name) complete: that was the last lesson. `lessons` shows your progress."
        } else {
            text += "\n\(lesson.name) complete."
        }
        return text
    }

    func offPathNote(_ tour: Tour, explained: Bool) -> String {
        let what = explained ? "its explanation is filled in from your lab, but the steps ahead describe the lesson's."
            : "this step's explanation would describe the lesson's lab, not yours, so it is left out."
        return style.paint(note("Your lab is off the lesson's path (your own commands changed it): \(what) `lesson replay` puts it back where step \(tour.step + 1) starts."), .dim)
    }

    /// `lesson replay`: a fresh lab with the lesson's steps before the current one replayed
    /// (all of them in the exercise), back on its path; Enter then runs the current step.
    mutating func replay(_ tour: Tour) -> WorkbenchReply {
        var tour = tour
        let steps = tour.inExercise ? tour.lesson.steps.count : tour.step
        putBack(&tour, steps: steps)
        tour.stepCommandRan = false
        tour.toldOffPath = false
        self.tour = tour
        let what = steps == 0 ? "a fresh lab" : "a fresh lab (seed \(tour.lesson.seed)) replayed \(steps == 1 ? "step 1" : "steps 1-\(steps)")"
        return WorkbenchReply("Back on the lesson's path: \(what).\n\n" + current(tour))
    }

    /// Makes the session a fresh lab with the lesson's first `steps` commands run, each
    /// world it passes through kept as the path's.
    mutating func putBack(_ tour: inout Tour, steps: Int) {
        session = Tour.freshSession(tour.lesson, style: session.style, width: width)
        tour.path.record(world, at: 0)
        for (index, step) in tour.lesson.steps.prefix(steps).enumerated() {
            if let command = step.command { _ = session.execute(command) }
            tour.path.record(world, at: index + 1)
        }
    }

    /// The current step or the exercise, as `lesson` alone shows it again.
    func current(_ tour: Tour) -> String {
        tour.inExercise ? exerciseText(tour) : stepText(tour.lesson, tour.step)
    }

    mutating func reached(_ tour: Tour) -> WorkbenchReply {
        var effects: [WorkbenchEffect] = []
        if let number = tour.lesson.number {
            if (progress.reached[number] ?? -1) < tour.step {
                progress.reached[number] = tour.step
            }
            effects.append(.progress(progress.text))
        }
        return WorkbenchReply(current(tour), effects: effects)
    }

    func exerciseText(_ tour: Tour) -> String {
        let lesson = tour.lesson
        var text = style.paint("Exercise", .bold) + "\n" + LessonLayout.wrap(fill(lesson.exercise.task), width: readingWidth, indent: "  ")
        text += "\n" + LessonLayout.wrap("The lab checks the world after every command; `check` says what is still missing. `hint` helps; `reset` starts the lab afresh.", width: readingWidth, indent: "  ")
        if let number = lesson.number, progress.solved.contains(number) { text += "\n  (You solved this one before; solve it again for practice.)" }
        return text
    }

    /// The line that tells how to go on from step `index`, once it has nothing left to run.
    func continueCue(_ lesson: Lesson, _ index: Int) -> String {
        index + 1 == lesson.steps.count ? "(Enter or `next` for the exercise)" : "(Enter or `next` to continue)"
    }

    func stepText(_ lesson: Lesson, _ index: Int) -> String {
        let step = lesson.steps[index]
        var out = [style.paint("Step \(index + 1) of \(lesson.steps.count)", .bold)]
        out.append(LessonLayout.wrap(fill(step.passage), width: readingWidth, indent: "  "))
        if let command = step.command {
            out.append("  try: " + style.paint(command, .cyan) + "   (or press Enter to run it)")
        } else {
            out.append(LessonLayout.wrap(fill(step.explanation), width: readingWidth, indent: "  "))
            out.append(style.paint(continueCue(lesson, index), .dim))
        }
        return out.joined(separator: "\n")
    }

    /// Lesson prose with its placeholders filled from this lab and terminal.
    func fill(_ text: String) -> String { Narration.fill(text, world: world, style: style) }

    func note(_ text: String) -> String { LessonLayout.wrap(text, width: readingWidth, indent: "") }

    func lessonList() -> String {
        var lines = [style.paint("Lessons", .bold)]
        let titleWidth = (LessonCatalog.all.map { displayWidth($0.title) }.max() ?? 40) + 2
        for lesson in LessonCatalog.all {
            guard let number = lesson.number else { continue }
            let mark: String
            if progress.solved.contains(number) {
                mark = style.pass
            } else if let step = progress.reached[number] {
                mark = step >= lesson.steps.count ? "exercise" : "step \(step + 1)/\(lesson.steps.count)"
            } else {
                mark = "new"
            }
            let row = "  \(padRight(String(number) + ".", 4))\(padRight(lesson.title, titleWidth))\(mark)"
            if displayWidth(row) <= width {
                lines.append(row)
            } else {
                // Too narrow for a column of marks: each goes under its title.
                lines.append("  \(padRight(String(number) + ".", 4))\(lesson.title)")
                lines.append(String(repeating: " ", count: 6) + mark)
            }
        }
        let solved = LessonCatalog.all.filter { $0.number.map(progress.solved.contains) ?? false }.count
        lines.append("\(solved) of \(LessonCatalog.all.count) solved. `lesson N` starts or resumes one; `lesson FILE.md` opens a lesson file.")
        return lines.joined(separator: "\n")
    }

    /// The inputs that play a lesson from start to solved exercise: what `sagalab run lesson-N` types.
    public static func playthrough(_ lesson: Lesson) -> [String] {
        var inputs = [lesson.startCommand]
        for step in lesson.steps {
            if step.command != nil { inputs.append("") }
            inputs.append("next")
        }
        return inputs + lesson.exercise.solution
    }
}

/// Why `lesson ARG` found no lesson to start, in one line.
struct LessonLoadError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
