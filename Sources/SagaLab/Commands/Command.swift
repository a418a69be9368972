/// A parsed command: what the learner asked for, checked for shape but not yet applied.
///
/// Parsing turns a line into one of these; applying it to a `World` either succeeds or
/// is rejected without changing anything. Keeping the two apart lets scripts, lessons
/// and tests build commands without text, and lets help and completion share one list.
public enum Command: Equatable, Sendable {
    case help(String?)
    case seed(UInt64?)
    case reset
    /// `save FILE [--force]`: `replacing` lets it write over a file that exists.
    case save(String, replacing: Bool = false)
    case quit
    case order(customer: String, items: [OrderItem], key: String? = nil)
    /// `order user-1..1000 ITEM...`: one order for each customer in the range, at once.
    case orderRange(CustomerRange, items: [OrderItem])
    case step(Int)
    case run(quiet: Bool)
    case advance(Millis)
    case publish(ServiceName?)
    case show(ShowTopic)
    case trace(TraceFilter)
    case log(TraceFilter)
    case check
    case crash(ServiceName, CrashPoint?)
    case restart(ServiceName)
    /// `crash SERVICE-publisher [at after-publish]`: a publisher that is a process of its own.
    case crashPublisher(ServiceName, CrashPoint?)
    /// `restart SERVICE-publisher`.
    case restartPublisher(ServiceName)
    /// `publishers [in-service|own-process]`: show the publishers, or choose where they run.
    case publishers(PublisherDeployment?)
    /// `restarts auto|manual`: whether a crashed service starts again by itself.
    case restarts(auto: Bool?)
    case message(MessageFaultKind, MessageSelector)
    case partition(ServiceName)
    case heal
    case fail(FailingService, FailureMode)
    /// `fail SERVICE error ...`: the consumer's handler throws a technical error.
    case failHandler(ServiceName, HandlerErrorMode)
    /// `inject poison EVENT-TYPE`: a malformed event on the bus.
    case injectPoison(EventType)
    /// `retry` alone shows every retry policy; with a change, shows or changes one.
    case retry(RetryChange?)
    /// Send a service's dead letters (all, or one by id) back to its queue.
    case redrive(ServiceName, String?)
    case stock(product: String, quantity: Int)
    /// `product NAME PRICE [STOCK]`: add a product or change its price (cents).
    case product(name: String, price: Int, stock: Int?)
    case outbox(on: Bool, ServiceName?)
    case idempotency(IdempotencyMode, ServiceName?)
    /// `recipe SERVICE [EVENT-TYPE] STEPS|NAME`: how a consumer handles its deliveries.
    case recipe(ServiceName, EventType?, RecipeChoice)
    /// `set concurrency SERVICE N`: how many deliveries a consumer works on at once.
    case concurrency(ServiceName, Int)
    case keyValidation(Bool)
    case flow(Flow?)
    case subscribe(ServiceName, EventType)
    case unsubscribe(ServiceName, EventType)
    case set(String, Millis)
    case mode(SagaMode?)
    /// `design [NAME]`: list the reference designs, or follow one.
    case design(Design?)
    /// `rollback [pivot|any-step]`: show or choose what a failure after the pivot does.
    case rollback(Rollback?)
    case durableTimers(Bool)
    case fence(Bool)
    /// `pattern all on`: every pattern on, rewards on confirmed orders only.
    case allPatternsOn
    case slow(ServiceName, Millis)
    case compare(Int)
    /// `pick N`: perform the Nth pending item now.
    case pick(Int)
    /// `compensate ORDER`: cancel a stuck saga by hand.
    case compensate(String)
    /// `rebuild SERVICE`: replay the event store into analytics' or rewards' projection.
    case rebuild(ServiceName)
    /// `explore ...`: search schedules from this world, or save the last counterexample.
    case explore(ExploreRequest)
    /// `undo` and `redo`: take back the last command that changed the world, or bring it back.
    case undo
    case redo
    /// `history [all]`: the branch's commands, numbered, with steps and virtual time.
    case history(all: Bool)
    /// `goto N|TIME`: the world after history entry N, or at a virtual time.
    case goto(Session.HistoryTarget)
    /// `branch [NAME]`: keep the branch as it is and go on from here on a new one.
    case branch(String?)
    /// `branches`: the session's branches.
    case branches
    /// `switch NAME`: go back to a branch.
    case switchBranch(String)
    /// `export FORMAT FILE ...`: write a picture of the run (Mermaid, JSON or HTML).
    case export(ExportRequest)
    /// `chapter [N|TOPIC|WORD]`: the handbook's contents, a chapter, or the lines that mention WORD.
    case chapter(String?)
    /// `chapter N run`: play the commands of a chapter's example sessions in this lab.
    case chapterRun(String)
    case lessons
    /// `lesson [N|FILE|stop|replay]`: nil shows the current step again.
    case lesson(String?)
    case next
    case back
    case hint

    /// Commands that belong to the handbook and lessons rather than the world.
    public var isTeaching: Bool {
        switch self {
        case .chapter, .chapterRun, .lessons, .lesson, .next, .back, .hint: return true
        default: return false
        }
    }

    /// Commands that change the world and are never rejected once parsed: the session
    /// changes its world in place for them instead of working on a copy.
    var cannotFail: Bool {
        switch self {
        case .order, .orderRange, .step, .run, .advance: return true
        default: return false
        }
    }

    /// Looking whose answer can be long (`show`, `trace`, `log`): a terminal pages it when
    /// it is taller than the screen.
    public var isLooking: Bool {
        switch self {
        case .show, .trace, .log: return true
        default: return false
        }
    }

    /// Commands that move through the session's history instead of changing the world.
    public var isTimeTravel: Bool {
        switch self {
        case .undo, .redo, .history, .goto, .branch, .branches, .switchBranch: return true
        default: return false
        }
    }

    /// Whether the command can change the world: everything but looking, asking and
    /// moving through history. `undo` takes back only commands that do.
    public var changesWorld: Bool {
        switch self {
        case .help, .save, .quit, .show, .trace, .log, .check, .compare, .explore, .export, .seed(nil), .flow(nil), .mode(nil),
             .design(nil), .rollback(nil), .publishers(nil), .restarts(auto: nil):
            return false
        case .retry(let change): return !(change?.isEmpty ?? true)
        default: return !isTeaching && !isTimeTravel
        }
    }

    /// Whether `save` keeps this command in the script it writes.
    public var belongsInScript: Bool {
        switch self {
        case .help, .save, .quit, .explore, .export, .undo, .redo, .history, .goto, .branch, .branches, .switchBranch:
            return false
        default: return !isTeaching
        }
    }
}

/// What `show` can display.
public enum ShowTopic: Equatable, Sendable {
    case orders
    case order(String)
    case saga(String)
    case outbox(ServiceName?)
    case stock
    case payments
    case points
    case analytics
    case processed(ServiceName?)
    case events
    case rules
    case metrics
    case alarms
    case settings
    case faults
    /// One order's orchestrator execution history, or (nil) every execution.
    case execution(String?)
    case sagaDefinition
    case idempotency
    /// Dead-letter queues, of one service or all.
    case dlq(ServiceName?)
    /// Everything that could happen next, numbered for `pick`.
    case pending
    /// Every saga, or only the stuck or compensating ones.
    case sagas(World.SagaCondition?)
    /// The consumers' recipes, of one service or all.
    case recipe(ServiceName?)
    /// Each consumer's concurrency, queue and deliveries in progress.
    case consumers
    /// Inventory's and payment's fence marks.
    case fence
    /// The event store's rows: all, or one order's, one service's or one type's.
    case eventStore(EventStore.Filter?)
    /// Each outbox publisher: where it runs, whether it is up, what waits and when it polls next.
    case publishers

    public static let names = [
        "orders", "order", "saga", "outbox", "stock", "payments", "points", "analytics",
        "processed", "events", "rules", "metrics", "alarms", "settings", "faults",
        "execution", "saga-definition", "idempotency", "dlq", "pending", "sagas", "recipe", "consumers", "fence",
        "event-store",
        "publishers",
    ]

    /// The topic that shows a service's own table, for the services whose name is not a
    /// topic: a learner who thinks in services asks to `show rewards`.
    public static let forService = ["inventory": "stock", "rewards": "points"]

    /// Other names a learner reaches for, and the topic each means.
    public static let otherNames = ["dead-letters": "dlq", "dead-letter": "dlq", "deadletters": "dlq", "charges": "payments"]
}

/// What `explore` was asked to do.
public enum ExploreRequest: Equatable, Sendable {
    /// Every schedule, breadth first, within a budget.
    case search(Explorer.Budget)
    /// N random schedules.
    case random(Int, Explorer.Budget)
    /// Write the last counterexample as a script (`--force`: over a file that exists).
    case save(String, replacing: Bool = false)
}

/// What `recipe` sets: steps the learner wrote, or one of the named recipes, which follows
/// the service's outbox (`emit` when it is on, `publish` when it is off).
public enum RecipeChoice: Equatable, Sendable {
    case steps(Recipe)
    case named(IdempotencyMode)
}
