import SagaLab

/// A guided lesson: narrated steps that each suggest one command, then an exercise the
/// lab checks against the world's real state. Lessons are Markdown files a teacher
/// writes (`lessons/`, read by `LessonFile`); they refer to their handbook chapter by slug.
public struct Lesson: Sendable {
    /// The number of a lesson that ships with the lab (`lesson 3`); nil for a file loaded at run time.
    public var number: Int?
    /// Where the lesson was read from, for `FILE:LINE` in errors: `lessons/lesson-01-dual-write.md`.
    public var source: String
    public var title: String
    /// Slug of the handbook chapter the lesson walks through, e.g. `01-the-dual-write`.
    public var chapter: String
    /// The design the lab follows before the first step (`design NAME`); nil for the lab's defaults.
    public var design: Design?
    public var seed: UInt64
    public var steps: [LessonStep]
    public var exercise: Exercise

    /// How the lesson is named to the learner: `Lesson 3` or `Lesson (my-lesson.md)`.
    public var name: String {
        number.map { "Lesson \($0)" } ?? "Lesson (\(source.split(separator: "/").last.map(String.init) ?? source))"
    }

    /// The command that starts it again: `lesson 3` or `lesson PATH`.
    public var startCommand: String { "lesson \(number.map(String.init) ?? source)" }
}

/// One step: a passage to read, the command to try, and what its output shows.
public struct LessonStep: Sendable {
    public var passage: String
    /// The suggested command; Enter on an empty line runs it. Nil for a reading-only step.
    public var command: String?
    public var explanation: String
    /// The line of the step's heading in its file.
    public var line: Int
    /// The line of the suggested command in its file.
    public var commandLine: Int
}

/// Commands written in a ```sagalab block of a lesson file, with the line of each.
public struct CommandList: Sendable {
    public var commands: [String]
    public var lines: [Int]
}

/// A wrong answer a teacher lists: commands, played from where the exercise starts, that
/// must not solve it.
public struct WrongAnswer: Sendable {
    public var title: String
    public var line: Int
    public var commands: CommandList
}

/// A task the learner solves in the lab. Its checks look only at the world, never at
/// the commands typed, so any honest way of reaching the state counts.
public struct Exercise: Sendable {
    public var task: String
    public var hints: [String]
    /// Command lists that must solve it; the first is what `sagalab run lesson-N` plays.
    public var solutions: [CommandList]
    /// Every line of the `### Checks` list must hold.
    public var checks: [Condition]
    public var success: String
    public var wrongAnswers: [WrongAnswer]

    /// The commands `sagalab run` plays to solve it.
    public var solution: [String] { solutions.first?.commands ?? [] }

    public func isSolved(_ world: World) -> Bool { checks.allSatisfy { $0.isMet(in: world) } }

    /// What the exercise still needs, in the learner's words; empty when it is solved.
    public func missing(in world: World) -> [String] { checks.flatMap { $0.missing(in: world) } }
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
