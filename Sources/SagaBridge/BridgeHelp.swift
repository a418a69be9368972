import SagaKernel
import SagaLab

/// The bridge's help, and the one line for each command that has no meaning on real
/// infrastructure or that the bridge does not carry over from the simulation.
enum BridgeHelp {
    static let lines = [
        "The bridge: the EventBridge shop's choreography on a real PostgreSQL. Each service",
        "and each outbox publisher is a process of its own; the bus is PostgreSQL too.",
        "",
        "  order CUSTOMER ITEM...        POST /orders to the orders process",
        "  run [quiet]                   wait (wall time) until no process has work left",
        "  show TOPIC, trace, log        read every database and show it as the lab does",
        "  check                         the simulation's invariants on the databases' rows",
        "  crash SERVICE [at POINT]      SIGKILL now, or exit when it reaches POINT",
        "  crash SERVICE-publisher [at after-publish], restart SERVICE[-publisher]",
        "  duplicate|drop next [TYPE]    act on the next publication of an event",
        "  duplicate|drop EVENT          a delivery again, or its deliveries deleted",
        "  partition SERVICE, heal       REVOKE (GRANT) the bus's role",
        "  pattern idempotency MODE [SERVICE]   on (the atomic mark), check-then-act, off",
        "  set concurrency SERVICE N     N competing consumer processes",
        "  slow SERVICE DURATION         the handler works that long between check and act",
        "  stock PRODUCT N, fail payment next, reset, quit",
        "",
        "Times are wall-clock time since the bridge started; runs are not repeatable: the",
        "operating system schedules the processes, so the order of lines can differ.",
    ]

    static func text(width: Int) -> String { lines.map { TextWrap.fit($0, width: width) }.joined(separator: "\n") }

    /// Why the bridge turns a command down, in one line.
    static func refusal(_ command: Command, named name: String) -> String {
        switch command {
        case .step, .advance:
            return "`\(name)` cannot exist on real infrastructure: time is not virtual, the processes run on their own; `run` waits for them"
        case .pick:
            return "`pick` cannot exist on real infrastructure: the operating system schedules the processes, not you"
        case .explore:
            return "`explore` cannot exist on real infrastructure: a real run is one schedule, chosen by the machine; explore in the simulation"
        case .undo, .redo, .history, .goto, .branch, .branches, .switchBranch:
            return "`\(name)` cannot exist on real infrastructure: a committed transaction cannot be taken back"
        case .seed:
            return "`seed` cannot exist on real infrastructure: nothing here is seeded, runs are not repeatable"
        case .message(.delay, _):
            return "`delay` is not in the bridge: a queue row cannot be held back without a broker that schedules it"
        default:
            return "`\(name)` is not in the bridge: it runs the EventBridge shop's choreography with the outbox on; the simulation (`sagalab`) has it"
        }
    }
}
