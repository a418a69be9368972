import ArgumentParser
import SagaBridge
import SagaKernel
import SagaLab

/// `sagalab bridge`: the lab's REPL over the shop on a real PostgreSQL.
struct BridgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Open the lab on a real PostgreSQL: each service and publisher is a process of its own.",
        discussion: """
            With no --database, starts a throwaway PostgreSQL cluster in a temporary folder (as the \
            unprivileged user postgres when run as root) and removes it on exit, Ctrl-D or a kill. \
            `help` inside lists the commands the bridge carries over.
            """
    )

    @Option(name: .long, help: ArgumentHelp(
        "Use this PostgreSQL server, not a throwaway cluster.",
        discussion: "A libpq URL or key=value string. The bridge replaces its schemas lab, orders, inventory, payment, rewards and analytics.",
        valueName: "URL"))
    var database: String?

    func run() throws {
        let status = BridgeSession.open(database: database) { BridgeSession.loop($0) }
        if status != 0 { throw ExitCode(status) }
    }
}

/// `sagalab worker ROLE SERVICE ...` and `sagalab worker reaper DIR`: the processes the
/// bridge starts. Not for people; hidden from help.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "A process of the bridge (started by `sagalab bridge`).",
        usage: """
            sagalab worker <role> <service> [--conninfo <conninfo>]
                             [--started <started>] [--visibility <visibility>]
            """,
        shouldDisplay: false)

    @Argument var role: String
    @Argument var service: String
    @Option var conninfo = ""
    @Option var started = 0
    @Option var visibility = Bridge.visibilityTimeout

    func run() throws {
        if role == "reaper" {
            Bridge.reap(directory: service)
            return
        }
        guard let role = Worker.Role(rawValue: role), let name = ServiceName(rawValue: service) else {
            throw ValidationError("worker ROLE SERVICE: role consumer, publisher or reaper; a service name")
        }
        let problem = Worker.run(role: role, service: name, conninfo: conninfo, clock: ShopClock(startedAt: started),
                                 visibilityTimeout: visibility)
        StandardError.print("sagalab worker: \(problem)")
        throw ExitCode(1)
    }
}
