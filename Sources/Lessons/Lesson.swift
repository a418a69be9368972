import SagaLab

/// A guided lesson, as data: narrated steps that each suggest one command, then an
/// exercise the lab checks against the world's real state. Lessons refer to their
/// handbook chapter by slug, so a teacher adds one here without touching the world.
public struct Lesson: Sendable {
    public var number: Int
    public var title: String
    /// Slug of the handbook chapter the lesson walks through, e.g. `01-the-dual-write`.
    public var chapter: String
    public var seed: UInt64
    public var steps: [LessonStep]
    public var exercise: Exercise

    public init(number: Int, title: String, chapter: String, seed: UInt64 = 1, steps: [LessonStep], exercise: Exercise) {
        self.number = number
        self.title = title
        self.chapter = chapter
        self.seed = seed
        self.steps = steps
        self.exercise = exercise
    }
}

/// One step: a passage to read, the command to try, and what its output shows.
public struct LessonStep: Sendable {
    public var passage: String
    /// The suggested command; Enter on an empty line runs it. Nil for a reading-only step.
    public var command: String?
    public var explanation: String

    public init(_ passage: String, command: String?, explanation: String) {
        self.passage = passage
        self.command = command
        self.explanation = explanation
    }
}

/// A task the learner solves in the lab. `isSolved` looks only at the world, never at the
/// commands typed, so any honest way of reaching the state counts.
public struct Exercise: Sendable {
    public var task: String
    public var hints: [String]
    /// Commands that solve it, played by `sagalab run lesson-N`.
    public var solution: [String]
    public var success: String
    public var isSolved: @Sendable (World) -> Bool

    public init(task: String, hints: [String], solution: [String], success: String, isSolved: @escaping @Sendable (World) -> Bool) {
        self.task = task
        self.hints = hints
        self.solution = solution
        self.success = success
        self.isSolved = isSolved
    }
}

/// What the learner has done: solved lessons and the step reached in each, kept by the
/// CLI in `~/.sagalab/progress` as plain lines (`lesson 3 step 2`, `lesson 3 solved`).
public struct LessonProgress: Equatable, Sendable {
    public var solved: Set<Int> = []
    public var reached: [Int: Int] = [:]

    public init() {}

    public init(parsing text: String) {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 3, words[0] == "lesson", let n = Int(words[1]) else { continue }
            if words[2] == "solved" { solved.insert(n) }
            if words[2] == "step", words.count == 4, let s = Int(words[3]) { reached[n] = s }
        }
    }

    public var text: String {
        var lines: [String] = []
        for n in Set(solved).union(reached.keys).sorted() {
            if let s = reached[n] { lines.append("lesson \(n) step \(s)") }
            if solved.contains(n) { lines.append("lesson \(n) solved") }
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
