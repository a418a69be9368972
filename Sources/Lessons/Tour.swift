import SagaLab

/// A lesson in progress: where the learner is in it, and the worlds its steps produce.
///
/// `path.world(at: k)` is the world the lesson's first `k` step commands make from a fresh
/// lab, so the learner's world can be compared with where the lesson expects it (`World`
/// is Equatable): on the path the narration is true; off it the lesson says so and offers
/// `lesson replay`.
public struct Tour: Sendable {
    public var lesson: Lesson
    /// Index of the current step; `steps.count` means the exercise.
    public var step: Int
    public var stepCommandRan: Bool
    public var hintsShown: Int
    var path: LessonPath
    /// Whether the learner has been told their lab left the path (once, until it is back).
    var toldOffPath = false
    /// Whether the exercise was solved in this tour (announced once).
    public var solved = false

    init(lesson: Lesson, step: Int, path: LessonPath) {
        self.lesson = lesson
        self.step = step
        stepCommandRan = false
        hintsShown = 0
        self.path = path
    }

    var inExercise: Bool { step >= lesson.steps.count }

    /// How many step commands the lesson has run by now, when the learner follows it.
    var stepsDone: Int { min(step + (stepCommandRan ? 1 : 0), lesson.steps.count) }

    /// The step whose path world equals `world`, preferring `near`; nil when the world is off the path.
    mutating func place(of world: World, near: Int) -> Int? { path.place(of: world, near: near) }

    /// A fresh lab as the lesson starts it: its seed, then its design.
    static func freshSession(_ lesson: Lesson, style: Style, width: Int) -> Session {
        var session = Session(seed: lesson.seed, style: style)
        session.width = width
        if let design = lesson.design { _ = session.execute("design \(design.rawValue)") }
        return session
    }
}

/// Why a lesson file named at run time could not be read, in the host's words.
public struct LessonFileUnreadable: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
