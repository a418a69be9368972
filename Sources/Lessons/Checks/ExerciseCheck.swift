import SagaLab

/// One named condition an exercise can require of the learner's world, such as
/// `order-stuck` or `rule rewards order.created`.
///
/// A lesson file names checks instead of carrying code, so a teacher writes an exercise
/// without Swift. Each check looks only at the world, never at the commands typed, so
/// any honest way of reaching the state counts. Adding one is one file and one line in
/// `ExerciseChecks.all`, and a paragraph in chapter 15.
public protocol ExerciseCheck: Sendable {
    /// The name a lesson file writes: `order-stuck`.
    static var name: String { get }
    /// The arguments it takes, as a lesson file writes them (`SERVICE EVENT-TYPE`); empty when none.
    static var arguments: String { get }
    /// Reads the arguments; throws a `CheckError` saying what was expected.
    init(arguments: [String]) throws
    /// Whether the world meets the condition now.
    func isMet(in world: World) -> Bool
    /// The condition in the learner's words: as the exercise wants it (`wanted`), or its opposite.
    func phrase(wanted: Bool) -> String
}

/// Why a check in a lesson file cannot be read: what was wrong and what is expected.
public struct CheckError: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Reading a check's arguments, with errors that say what was expected.
enum CheckArguments {
    static func expect(_ arguments: [String], count: Int, _ check: any ExerciseCheck.Type) throws {
        guard arguments.count != count else { return }
        let usage = ([check.name] + (check.arguments.isEmpty ? [] : [check.arguments])).joined(separator: " ")
        let problem = arguments.count < count ? "needs more arguments" : "takes no argument \"\(arguments[count])\""
        throw CheckError("`\(check.name)` \(problem); write `\(usage)`")
    }

    static func service(_ text: String) throws -> ServiceName {
        guard let service = ServiceName(rawValue: text.lowercased()) else {
            throw CheckError("unknown service \"\(text)\"; services: \(ServiceName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return service
    }

    static func eventType(_ text: String) throws -> EventType {
        guard let type = EventType(rawValue: text.lowercased()) else {
            throw CheckError("unknown event type \"\(text)\"; event types: \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return type
    }

    static func count(_ text: String, what: String) throws -> Int {
        guard let n = Int(text), n >= 0 else { throw CheckError("\(what) is a whole number, not \"\(text)\"") }
        return n
    }

    static func duration(_ text: String) throws -> Millis {
        guard let millis = VirtualTime.parseDuration(text) else {
            throw CheckError("a duration is a number with ms, s, m, h or d (30s, 2m), not \"\(text)\"")
        }
        return millis
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ text: String, _: T.Type, what: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: text.lowercased()) else {
            throw CheckError("unknown \(what) \"\(text)\"; \(what)s: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    static func onOff(_ text: String) throws -> Bool {
        switch text.lowercased() {
        case "on": return true
        case "off": return false
        default: throw CheckError("expected on or off, not \"\(text)\"")
        }
    }
}
