/// How a consumer handles one delivery, written as steps with transaction boundaries:
/// `check effect+emit+mark ack`. Stages are separated by spaces and run one after the
/// other; steps joined by `+` in one stage share one local transaction. Between two
/// stages a crash can strike, and with `set concurrency` another delivery can run.
///
/// A recipe is valid by construction: `init(parsing:for:)` refuses one that could not run.
public struct Recipe: Hashable, Sendable, CustomStringConvertible {
    /// One thing a handler does.
    public enum Step: String, CaseIterable, Hashable, Sendable, HashedByCase {
        /// Read the processed-events table; a marked event is skipped (and acknowledged).
        case check
        /// The business change: reserve, charge, record, cancel, award, count.
        case effect
        /// Write the emitted events into the outbox, in the effect's transaction.
        case emit
        /// Send the emitted events straight to the bus, outside any transaction.
        case publish
        /// Insert the processed mark as an atomic conditional write: when the mark already
        /// exists, its whole transaction aborts and the delivery is skipped.
        case mark
        /// Tell the broker the delivery is done.
        case ack

        /// Its bit in `Steps`.
        var bit: UInt8 {
            switch self {
            case .check: return 0
            case .effect: return 1
            case .emit: return 2
            case .publish: return 3
            case .mark: return 4
            case .ack: return 5
            }
        }
    }

    /// Steps as bits, for the consumer's hot path: which steps one stage holds.
    public struct Steps: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public init(_ step: Step) { rawValue = 1 << step.bit }
        init(_ steps: [Step]) { self = steps.reduce([]) { $0.union(Steps($1)) } }

        public static let check = Steps(.check)
        public static let effect = Steps(.effect)
        public static let emit = Steps(.emit)
        public static let publish = Steps(.publish)
        public static let mark = Steps(.mark)
        public static let ack = Steps(.ack)
    }

    // A recipe is plain numbers, never an array: every delivery reads its consumer's
    // recipe and carries a copy while it is handled, which then costs no reference count.
    /// Which steps each stage holds, eight bits per stage, first stage lowest (a recipe has
    /// at most six steps, so at most six stages).
    private let packed: UInt64
    /// The steps in the order they were written, four bits each (a step's bit plus one),
    /// first step lowest: a stage's bits in `packed` say how many of them it takes.
    private let written: UInt32

    init(_ stages: [[Step]]) {
        packed = stages.indices.reduce(0) { $0 | UInt64(Steps(stages[$1]).rawValue) << (8 * UInt64($1)) }
        written = stages.joined().reversed().reduce(0) { $0 << 4 | UInt32($1.bit + 1) }
    }

    /// The stages in order; each holds the steps of one transaction (or one read, one send).
    public var stages: [[Step]] {
        var stages: [[Step]] = []
        var rest = written
        var index = 0
        while index < 8, case let bits = UInt8(truncatingIfNeeded: packed >> (8 * UInt64(index))), bits != 0 {
            var stage: [Step] = []
            for _ in 0..<bits.nonzeroBitCount {
                let code = UInt8(truncatingIfNeeded: rest & 0xF)
                stage.append(Step.allCases.first { $0.bit + 1 == code }!)
                rest >>= 4
            }
            stages.append(stage)
            index += 1
        }
        return stages
    }

    /// The steps of stage `index`, without touching the stages' arrays.
    public func steps(at index: Int) -> Steps { Steps(rawValue: UInt8(truncatingIfNeeded: packed >> (8 * UInt64(index)))) }

    /// `check effect+emit+mark ack`.
    public var description: String {
        stages.map { $0.map(\.rawValue).joined(separator: "+") }.joined(separator: " ")
    }

    /// The stage that holds `effect`.
    public var effectStage: Int { stage(of: .effect) ?? 0 }

    /// Whether any stage holds `step`.
    public func contains(_ step: Step) -> Bool { stage(of: step) != nil }

    /// The stage that holds `step`, if any, read from the bits.
    public func stage(of step: Step) -> Int? {
        // The step's bit in every stage's byte; the lowest byte that has it is the stage.
        let hits = packed & ((UInt64(1) << UInt64(step.bit)) &* 0x0101_0101_0101_0101)
        return hits == 0 ? nil : hits.trailingZeroBitCount / 8
    }

    /// Today's idempotency modes as recipes, through the outbox or (off) straight to the bus.
    public static func named(_ mode: IdempotencyMode, outbox: Bool = true) -> Recipe {
        let recipe: Recipe
        switch mode {
        case .on: recipe = Recipe([[.check], [.effect, .emit, .mark], [.ack]])
        case .off: recipe = Recipe([[.effect, .emit], [.ack]])
        case .checkThenAct: recipe = Recipe([[.check], [.effect, .emit], [.mark], [.ack]])
        }
        return recipe.withOutbox(outbox)
    }

    /// The named recipe this one is, with the outbox on or off, if any.
    public var name: IdempotencyMode? {
        IdempotencyMode.allCases.first { self == Recipe.named($0) || self == Recipe.named($0, outbox: false) }
    }

    /// The same recipe through the outbox (`emit` joined to the effect) or straight to
    /// the bus (`publish` as its own stage right after the effect's).
    public func withOutbox(_ on: Bool) -> Recipe {
        var stages = self.stages
        let at = effectStage
        if on, let publish = stage(of: .publish) {
            stages.remove(at: publish)
            let effect = stages[at].firstIndex(of: .effect)!
            stages[at].insert(.emit, at: effect + 1)
        } else if !on, let emit = stages[at].firstIndex(of: .emit) {
            stages[at].remove(at: emit)
            stages.insert([.publish], at: at + 1)
        }
        return Recipe(stages)
    }

    /// How the recipe guards the orchestrator's calls, which carry a token instead of an
    /// event: the mark in the effect's transaction is `on`; a check with a later mark is
    /// `check-then-act`; anything else records nothing that stops a second effect.
    public var guardOfCalls: IdempotencyMode {
        if steps(at: effectStage).contains(.mark) { return .on }
        if contains(.check), contains(.mark) { return .checkThenAct }
        return .off
    }

    /// Reads a recipe from its stages (`check`, `effect+emit+mark`, `ack`) for `service`,
    /// or throws one line that says which rule it breaks.
    public init(parsing words: [String], for service: ServiceName) throws {
        let names = Step.allCases.map(\.rawValue)
        var stages: [[Step]] = []
        var seen: Set<Step> = []
        for word in words {
            var stage: [Step] = []
            for piece in word.lowercased().split(separator: "+", omittingEmptySubsequences: false) {
                guard !piece.isEmpty else {
                    throw WorldError("empty step in \(quoted(word)): join steps with one +, as effect+emit")
                }
                guard let step = Step(rawValue: String(piece)) else {
                    throw WorldError("no step \(quoted(String(piece)))\(Suggest.hint(String(piece), in: names)); "
                        + "steps are \(names.joined(separator: ", "))")
                }
                guard seen.insert(step).inserted else { throw WorldError("\(step.rawValue) appears twice; each step runs once") }
                stage.append(step)
            }
            stages.append(stage)
        }
        try Recipe.validate(stages, for: service)
        self.init(stages)
    }

    private static func validate(_ stages: [[Step]], for service: ServiceName) throws {
        func at(_ step: Step) -> Int? { stages.firstIndex { $0.contains(step) } }
        guard let effect = at(.effect) else { throw WorldError("a recipe needs effect, the business change") }
        guard let ack = at(.ack) else { throw WorldError("a recipe ends with ack, which tells the broker it is done") }
        guard ack == stages.count - 1, stages[ack].count == 1 else {
            throw WorldError("ack goes last and alone: the broker hears of it after every write")
        }
        if let check = at(.check) {
            guard stages[check].count == 1 else { throw WorldError("check is a read, not a write: it stands alone") }
            guard check < effect else { throw WorldError("check reads the processed-events table before effect, not after") }
            if let mark = at(.mark), mark < check {
                throw WorldError("check goes before mark: after it, check finds every event marked")
            }
        }
        if let emit = at(.emit), emit != effect {
            throw WorldError("emit writes the outbox row in effect's transaction: join them, as effect+emit")
        }
        if let publish = at(.publish) {
            guard at(.emit) == nil else { throw WorldError("use emit (through the outbox) or publish (to the bus), not both") }
            guard stages[publish].count == 1 else {
                throw WorldError("publish goes to the bus, which no transaction covers: it stands alone")
            }
            guard publish > effect else { throw WorldError("publish sends what effect produced: put it after effect") }
        }
        if service.emitsEvents, at(.emit) == nil, at(.publish) == nil {
            throw WorldError("\(service.rawValue)'s handlers emit events: add emit (as effect+emit) or publish")
        }
    }
}
