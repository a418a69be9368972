/// The bounds that keep exported files a reasonable size.
public enum ExportLimits {
    /// Trace entries the HTML page draws, from the first: a long run's page stays a few
    /// megabytes at most. JSON and Mermaid take every entry.
    public static let entries = 2000
    /// Lines each service's database shows in the page's panel at one step; the rest are
    /// counted in a last line.
    public static let linesPerService = 40
}

/// The trace as every export reads it: each entry with its words, and, for a message, the
/// lanes it crosses and the entry that sent it.
///
/// An entry is an arrow exactly when the terminal's `trace` draws one: a delivery that
/// names the service it came from (an event reaching a consumer, an orchestrator's call
/// reaching a participant, its answer coming back).
public struct Timeline: Sendable {
    /// A message between two lanes.
    public struct Arrow: Hashable, Sendable {
        public var from: ServiceName
        public var to: ServiceName
        /// The entry that put it on its way: the publish of its event, the orchestrator's
        /// call, or the participant's last entry about the order before the answer. Nil
        /// when the trace holds none (the page then draws the arrow level).
        public var sentAt: Int?
        /// A copy the bus made (`duplicate`) or a redelivery: drawn dashed.
        public var isRepeat: Bool
    }

    /// One trace entry, ready to draw.
    public struct Entry: Sendable {
        public var index: Int
        public var entry: TraceEntry
        /// The words `log` prints after the lane: `reserved prod-1x2 for ord-1`.
        public var text: String
        /// The happening's own name, `message.received`: finer than the kind.
        public var happening: String
        /// The type of the event the entry is about, when it names one the world knows.
        public var eventType: String?
        public var arrow: Arrow?

        /// `deliver`, `commit`, `invariant`...: the trace kind's name in the schema.
        public var kindName: String { Timeline.name(entry.kind) }
        /// The lane name, or `lab` / `bus` for an entry of no service, as `log` says.
        public var who: String { entry.service?.rawValue ?? (entry.kind == .fault ? "bus" : "lab") }
    }

    public var entries: [Entry]

    /// The timeline of `trace` (the world's whole trace or a part of it, indexed as in the
    /// world), reading event types from `world`.
    public init<Entries: RandomAccessCollection>(_ trace: Entries, world: World)
    where Entries.Element == TraceEntry, Entries.Index == Int {
        var builder = Builder(world: world)
        var entries: [Entry] = []
        entries.reserveCapacity(trace.count)
        for (offset, entry) in trace.enumerated() { entries.append(builder.entry(entry, at: trace.startIndex + offset)) }
        self.entries = entries
    }

    /// Hands `body` the timeline entry of each of the world's trace entries in order,
    /// keeping none: an export of a long run writes each as it comes. Asks `shouldStop`,
    /// with how many entries are done, every `Timeline.stride` entries, and throws
    /// `Interrupted` when told to.
    static func visit(_ world: World, until shouldStop: (Int) -> Bool, _ body: (Entry) -> Void) throws {
        var builder = Builder(world: world)
        for (index, entry) in world.trace.enumerated() {
            if index % Timeline.stride == 0, shouldStop(index) { throw Interrupted.export }
            body(builder.entry(entry, at: index))
        }
    }

    /// Entries between two looks at `shouldStop` while an export of a long run works.
    static let stride = 4096

    /// Turns trace entries into timeline entries one at a time, in trace order, keeping
    /// what an arrow needs of the entries before it: where each event was published, each
    /// call made, and each service last wrote about each order.
    private struct Builder {
        let world: World
        private var lastPublish: [EventId: Int] = [:]
        private var lastCall: [Call: Int] = [:]
        private var lastAbout: [About: Int] = [:]

        /// A call of the orchestrator, as its arrival names it.
        private struct Call: Hashable {
            var order: OrderId?
            var participant: ServiceName
            var task: SagaTask
            var attempt: Int
        }

        /// An order as one service last wrote about it.
        private struct About: Hashable {
            var service: ServiceName
            var order: OrderId
        }

        init(world: World) { self.world = world }

        /// The timeline entry of the trace's entry at `index`; the entries before it came first.
        mutating func entry(_ entry: TraceEntry, at index: Int) -> Entry {
            var arrow: Arrow?
            var eventType: String?
            if let id = entry.eventId { eventType = world.event(id)?.type.rawValue }
            switch entry.what {
            case .message(.published(let ref, _)), .message(.publishedAgain(let ref, _)):
                lastPublish[ref.id] = index
                eventType = ref.type.rawValue
            case .message(.received(let ref, let isCopy, let attempt, let retry)):
                eventType = ref.type.rawValue
                if let from = entry.from, let to = entry.service {
                    arrow = Arrow(from: from, to: to, sentAt: lastPublish[ref.id],
                                  isRepeat: isCopy || attempt > 1 || retry != nil)
                }
            case .saga(.calls(_, let participant, let task, let attempt, _)):
                lastCall[Call(order: entry.orderId, participant: participant, task: task, attempt: attempt)] = index
            case .saga(.callReceived(let task, let order, let attempt)):
                if let from = entry.from, let to = entry.service {
                    arrow = Arrow(from: from, to: to, sentAt: lastCall[Call(order: order, participant: to, task: task, attempt: attempt)],
                                  isRepeat: attempt > 1)
                }
            case .saga(.resultReceived(_, let attempt, _)):
                if let from = entry.from, let to = entry.service {
                    let sent = entry.orderId.flatMap { lastAbout[About(service: from, order: $0)] }
                    arrow = Arrow(from: from, to: to, sentAt: sent, isRepeat: attempt > 1)
                }
            default:
                break
            }
            if let service = entry.service, let order = entry.orderId {
                lastAbout[About(service: service, order: order)] = index
            }
            return Entry(index: index, entry: entry, text: entry.text, happening: Timeline.happening(entry.what),
                         eventType: eventType, arrow: arrow)
        }
    }

    /// The entries that draw an arrow.
    public var arrows: [Entry] { entries.filter { $0.arrow != nil } }

    /// The index of the first entry that says an invariant broke, if any.
    public var firstBreak: Int? { entries.first { $0.entry.kind == .invariant }?.index }

    /// The trace kind's name in the exports: the case name, `deadLetter` as `dead-letter`.
    public static func name(_ kind: TraceEntry.Kind) -> String {
        switch kind {
        case .request: return "request"
        case .commit: return "commit"
        case .publish: return "publish"
        case .deliver: return "deliver"
        case .skip: return "skip"
        case .compensate: return "compensate"
        case .crash: return "crash"
        case .restart: return "restart"
        case .fault: return "fault"
        case .park: return "park"
        case .redeliver: return "redeliver"
        case .deadLetter: return "dead-letter"
        case .invariant: return "invariant"
        case .note: return "note"
        }
    }

    /// The happening's part and case, `message.received`, `step.reserved`: the names the
    /// kernel gives them, so a tool can tell apart what one kind groups together.
    public static func happening(_ what: Happening) -> String {
        switch what {
        case .api(let h): return "api." + h.caseName
        case .message(let h): return "message." + h.caseName
        case .step(let result, let compensated, _): return (compensated ? "compensation." : "step.") + result.caseName
        case .saga(let h): return "saga." + h.caseName
        case .fault(let h): return "fault." + h.caseName
        case .lab(let h): return "lab." + h.caseName
        case .invariantBroken: return "invariant.broken"
        case .recorded: return "recorded"
        }
    }
}

/// A run to export: the world whose trace is drawn and, for `export ... counterexample`,
/// what `explore` found and where in the trace its schedule begins.
public struct ExportedRun: Sendable {
    /// What `explore` found, in the words its report used.
    public struct Counterexample: Sendable {
        public var invariantId: String
        public var title: String
        public var evidence: String
        /// The schedule and the healing that followed, as lab commands.
        public var schedule: [String]
        public var settling: [String]
        /// The first trace entry the schedule wrote: everything before it built the
        /// explored world.
        public var firstEntry: Int
    }

    public var world: World
    public var counterexample: Counterexample?
    /// The databases at each step, when the run could be replayed.
    public var history: StepHistory

    /// The whole trace as a timeline.
    public var timeline: Timeline { Timeline(world.trace[...], world: world) }
}
