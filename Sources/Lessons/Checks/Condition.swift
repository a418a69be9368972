import SagaLab

/// What an exercise requires: named checks combined with `and`, `or`, `not` and
/// parentheses, as one line of a lesson's `### Checks` list is written
/// (`not rule rewards order.created`, `(order-status cancelled or order-status failed) and settled`).
/// `not` binds tightest, then `and`, then `or`.
public indirect enum Condition: Sendable {
    case check(any ExerciseCheck)
    case not(Condition)
    case all([Condition])
    case any([Condition])

    public func isMet(in world: World) -> Bool {
        switch self {
        case .check(let check): return check.isMet(in: world)
        case .not(let inner): return !inner.isMet(in: world)
        case .all(let parts): return parts.allSatisfy { $0.isMet(in: world) }
        case .any(let parts): return parts.contains { $0.isMet(in: world) }
        }
    }

    /// The condition in the learner's words, as wanted or as its opposite.
    public func phrase(wanted: Bool = true) -> String {
        switch self {
        case .check(let check): return check.phrase(wanted: wanted)
        case .not(let inner): return inner.phrase(wanted: !wanted)
        case .all(let parts):
            return wanted ? parts.map { $0.phrase(wanted: true) }.joined(separator: ", and ")
                : "either " + parts.map { $0.phrase(wanted: false) }.joined(separator: ", or ")
        case .any(let parts):
            return wanted ? "either " + parts.map { $0.phrase(wanted: true) }.joined(separator: ", or ")
                : parts.map { $0.phrase(wanted: false) }.joined(separator: ", and ")
        }
    }

    /// What is not yet so, in the learner's words: empty when the condition is met.
    public func missing(in world: World, wanted: Bool = true) -> [String] {
        switch self {
        case .check(let check): return check.isMet(in: world) == wanted ? [] : [check.phrase(wanted: wanted)]
        case .not(let inner): return inner.missing(in: world, wanted: !wanted)
        case .all(let parts) where wanted, .any(let parts) where !wanted:
            return parts.flatMap { $0.missing(in: world, wanted: wanted) }
        case .all, .any:
            return isMet(in: world) == wanted ? [] : [phrase(wanted: wanted)]
        }
    }

    /// Reads one line of a `### Checks` list.
    public static func parse(_ text: String) throws -> Condition {
        var reader = Reader(tokens: tokens(text))
        guard !reader.tokens.isEmpty else { throw CheckError("an empty check; write a check's name, e.g. `settled`") }
        let condition = try reader.or()
        if let extra = reader.peek {
            throw CheckError("unexpected \"\(extra)\"; join checks with `and` or `or`")
        }
        return condition
    }

    static func tokens(_ text: String) -> [String] {
        var spaced = ""
        for character in text {
            if character == "(" || character == ")" { spaced += " \(character) " } else { spaced.append(character) }
        }
        return spaced.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    struct Reader {
        var tokens: [String]
        var index = 0
        var peek: String? { index < tokens.count ? tokens[index] : nil }
        static let words: Set<String> = ["and", "or", "not", "(", ")"]

        mutating func take(_ word: String) -> Bool {
            guard peek?.lowercased() == word else { return false }
            index += 1
            return true
        }

        mutating func or() throws -> Condition {
            var parts = [try and()]
            while take("or") { parts.append(try and()) }
            return parts.count == 1 ? parts[0] : .any(parts)
        }

        mutating func and() throws -> Condition {
            var parts = [try unary()]
            while take("and") { parts.append(try unary()) }
            return parts.count == 1 ? parts[0] : .all(parts)
        }

        mutating func unary() throws -> Condition {
            if take("not") { return .not(try unary()) }
            if take("(") {
                let inner = try or()
                guard take(")") else { throw CheckError("a \"(\" is never closed; add \")\"") }
                return inner
            }
            guard let name = peek, !Self.words.contains(name.lowercased()) else {
                throw CheckError(peek.map { "expected a check's name, not \"\($0)\"" } ?? "expected a check's name at the end")
            }
            index += 1
            guard let type = ExerciseChecks.named(name) else {
                throw CheckError("no check named \"\(name)\"\(Suggest.hint(name.lowercased(), in: ExerciseChecks.names)); chapter 15 lists them")
            }
            var arguments: [String] = []
            while let word = peek, !Self.words.contains(word.lowercased()) {
                arguments.append(word)
                index += 1
            }
            return .check(try type.init(arguments: arguments))
        }
    }
}
