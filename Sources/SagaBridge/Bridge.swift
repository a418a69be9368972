import SagaKernel
import SagaLab
#if canImport(Glibc)
import Glibc
#endif

/// The shop on a real PostgreSQL: the cluster (a throwaway one, or a server the learner
/// named), the schema, the worker processes, and the lab's connection through which the
/// REPL places orders, arms faults and reads every database back. `close` ends it all;
/// a reaper process ends it too if the bridge dies without closing.
public final class Bridge: @unchecked Sendable {
    /// How long a taken delivery stays hidden before the queue hands it out again.
    public static let visibilityTimeout = 2000
    /// The longest `run` waits for the shop to go quiet.
    public static let runTimeout = 30_000

    let cluster: Cluster?
    let db: Connection
    let supervisor: Supervisor
    let clock: ShopClock
    /// The trace rows the learner has seen.
    var cursor = TraceCursor()
    public var style: Style = .plain
    public var width = 80

    /// Where the bridge runs, as the banner says it.
    public var location: String {
        cluster.map { "a throwaway PostgreSQL cluster in \($0.directory)" } ?? "the PostgreSQL server you named"
    }

    /// Starts a throwaway cluster (or connects to `database`), creates the schema and starts
    /// every worker process. Throws one line saying what went wrong.
    public static func open(database: String?, executable: String = Processes.ownExecutable) throws -> Bridge {
        let cluster = database == nil ? try Cluster.start() : nil
        do {
            let conninfo = cluster?.conninfo ?? database ?? ""
            if let cluster { try Bridge.startReaper(executable: executable, directory: cluster.directory) }
            let db = try Connection(conninfo)
            try Schema.create(on: db)
            let started = try db.execute("SELECT (extract(epoch FROM at) * 1000)::bigint AS ms FROM lab.started").int(0, "ms") ?? 0
            let clock = ShopClock(startedAt: started)
            // Inside the throwaway cluster's folder, the workers' logs go with it (the reaper's too).
            var folder = Array((cluster.map { "\($0.directory)/workers-XXXXXX" } ?? "/tmp/sagalab-workers-XXXXXX").utf8CString)
            guard let made = mkdtemp(&folder) else { throw DatabaseError(message: "could not create a folder for the workers' logs") }
            let logs = String(cString: made)
            let supervisor = Supervisor(executable: executable, conninfo: conninfo, clock: clock,
                                        visibilityTimeout: visibilityTimeout, logFolder: logs)
            try supervisor.startAll()
            return Bridge(cluster: cluster, db: db, supervisor: supervisor, clock: clock)
        } catch {
            cluster?.stop()
            throw error
        }
    }

    init(cluster: Cluster?, db: Connection, supervisor: Supervisor, clock: ShopClock) {
        self.cluster = cluster
        self.db = db
        self.supervisor = supervisor
        self.clock = clock
    }

    /// Stops every worker, then the throwaway cluster, and removes its folder.
    public func close() {
        supervisor.stopAll()
        _ = try? Processes.run(["/bin/rm", "-rf", supervisor.logFolder])
        cluster?.stop()
    }

    /// A process that outlives the bridge only to clean up: it reads a pipe the bridge
    /// holds open, and when the bridge ends (however it ends) the pipe closes and the
    /// reaper stops the cluster and removes its folder.
    static func startReaper(executable: String, directory: String) throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw DatabaseError(message: "could not create a pipe for the reaper") }
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        _ = try Processes.spawn([executable, "worker", "reaper", directory], input: ends[0])
        _ = Glibc.close(ends[0])
    }

    /// The reaper's whole life: wait for the bridge's end of the pipe to close, then clean up.
    public static func reap(directory: String) {
        signal(SIGINT, SIG_IGN)
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            if n == 0 || (n < 0 && errno != EINTR) { break }
        }
        Cluster.reap(directory: directory)
    }
}
