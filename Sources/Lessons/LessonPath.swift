import SagaLab

/// The worlds a lesson's steps start from, found when they are needed instead of all
/// when the lesson starts.
///
/// `world(at: k)` is the world the lesson's first `k` step commands make from a fresh
/// lab. A learner who follows the lesson makes those worlds in their own lab, and the
/// workbench hands each one over (`record`); only a world nobody has made yet is played
/// here, from a fresh lab of its own that runs every step command in turn. So a lesson
/// whose steps `explore` searches once for a learner on its path, not a second time to
/// know where the learner should be.
struct LessonPath: Sendable {
    let lesson: Lesson
    /// The known worlds by step, `lesson.steps.count + 1` of them; nil where none is known yet.
    private var worlds: [World?]
    /// A fresh lab that has run the first `played` step commands, made at the first need.
    private var player: Session?
    /// How many step commands the path has played itself: none while the learner's lab
    /// has made every world asked for.
    private(set) var played = 0

    init(_ lesson: Lesson) {
        self.lesson = lesson
        worlds = Array(repeating: nil, count: lesson.steps.count + 1)
    }

    /// The number of worlds on the path: one before each step, and one after the last.
    var count: Int { worlds.count }

    /// Keeps `world` as the world at `step`, and as the world after each step without a
    /// command that follows. The caller vouches that the lesson's first `step` commands,
    /// run in a fresh lab, make it.
    mutating func record(_ world: World, at step: Int) {
        var step = step
        worlds[step] = world
        while step < lesson.steps.count, lesson.steps[step].command == nil {
            step += 1
            worlds[step] = world
        }
    }

    /// The world at `step`, played from a fresh lab when nobody has made it yet.
    mutating func world(at step: Int) -> World {
        if let known = worlds[step] { return known }
        var session = player ?? LessonPath.freshPlayer(lesson)
        if player == nil { worlds[0] = worlds[0] ?? session.world }
        while played < step {
            if let command = lesson.steps[played].command { _ = session.execute(command) }
            played += 1
            worlds[played] = worlds[played] ?? session.world
        }
        player = session
        return worlds[step] ?? session.world
    }

    /// The first step whose world equals `world`, trying `near` first; nil when the world is
    /// off the path. Worlds are played only as far as the first match.
    mutating func place(of world: World, near: Int) -> Int? {
        if near < count, self.world(at: near) == world { return near }
        for step in 0..<count where self.world(at: step) == world { return step }
        return nil
    }

    static func freshPlayer(_ lesson: Lesson) -> Session {
        var session = Tour.freshSession(lesson, style: .plain, width: 80)
        session.keepsSnapshots = false
        return session
    }
}
