import SagaLab

/// Checks a lesson file the way `sagalab check` and the suite do: it must read, every
/// step's command must be accepted and each literal id, amount and time its explanation
/// states must appear in the output so far, the exercise must not be solved before the
/// learner starts it (nor by a bare `run` there), every solution must solve it and every wrong answer must be
/// refused. Each problem is one line naming `FILE:LINE`.
public enum LessonVerifier {
    public static func problems(_ text: String, source: String, number: Int? = nil) -> [String] {
        let lesson: Lesson
        do {
            lesson = try LessonFile.parse(text, source: source, number: number)
        } catch let problem as LessonFormatError {
            return [problem.description]
        } catch {
            return ["\(source):1: \(error)"]
        }
        return problems(lesson)
    }

    public static func problems(_ lesson: Lesson) -> [String] {
        var found: [String] = []
        var bench = TranscriptSuite.freshBench()
        _ = bench.start(lesson)
        // The commands' own output, without the explanations the bench lays beside it.
        var plain = Tour.freshSession(lesson, style: .plain, width: 80)
        var output = ""
        for (index, step) in lesson.steps.enumerated() {
            if let command = step.command {
                let reply = bench.execute("")
                if reply.isError {
                    found.append("\(lesson.source):\(step.commandLine): step \(index + 1)'s command `\(command)` was rejected: \(oneLine(reply.text))")
                    return found
                }
                output += plain.execute(command).text + "\n"
                for literal in Narration.literals(in: step.explanation) where !output.contains(literal) {
                    found.append("\(lesson.source):\(step.commandLine): step \(index + 1)'s explanation says \(literal), which the output so far never shows; write it as a placeholder or correct it")
                }
            }
            _ = bench.execute("next")
        }
        let start = bench
        let firstLine = lesson.exercise.solutions.first?.lines.first ?? 1
        if lesson.exercise.isSolved(start.world) {
            found.append("\(lesson.source):\(firstLine): the exercise is already solved where it starts; its checks ask for nothing the learner must do")
        } else {
            var settled = start.world
            settled.run()
            if lesson.exercise.isSolved(settled) {
                found.append("\(lesson.source):\(firstLine): `run` alone solves the exercise where it starts; its checks ask for nothing the learner must do but let the steps' world settle")
            }
        }
        for solution in lesson.exercise.solutions {
            var bench = start
            guard let problem = play(solution, on: &bench, lesson) else {
                if bench.tour?.solved != true {
                    let missing = lesson.exercise.missing(in: bench.world).joined(separator: "; ")
                    found.append("\(lesson.source):\(solution.lines.first ?? firstLine): this solution does not solve the exercise; still missing: \(missing)")
                }
                continue
            }
            found.append(problem)
        }
        for wrong in lesson.exercise.wrongAnswers {
            var bench = start
            if let problem = play(wrong.commands, on: &bench, lesson) {
                found.append(problem)
            } else if bench.tour?.solved == true {
                found.append("\(lesson.source):\(wrong.line): wrong answer \"\(wrong.title)\" solves the exercise; its checks cannot tell it from a solution")
            }
        }
        return found
    }

    /// Plays commands on the bench; the problem when one is rejected.
    static func play(_ list: CommandList, on bench: inout Workbench, _ lesson: Lesson) -> String? {
        for (command, line) in zip(list.commands, list.lines) {
            let reply = bench.execute(command)
            if reply.isError { return "\(lesson.source):\(line): `\(command)` was rejected: \(oneLine(reply.text))" }
        }
        return nil
    }

    static func oneLine(_ text: String) -> String {
        let joined = text.split(separator: "\n").map { $0.drop(while: { $0 == " " }) }.joined(separator: " ")
        return joined.hasPrefix("error: ") ? String(joined.dropFirst(7)) : joined
    }
}
