import SagaKernel
#if canImport(Glibc)
import Glibc
#endif

/// The bridge's process table: one consumer process per service and unit of `set
/// concurrency`, one publisher process per emitting service, all the `sagalab` binary in
/// a worker role. It starts them, kills them with SIGKILL (`crash`), starts new ones
/// (`restart`), and notices those that exited at a crash point.
final class Supervisor: ProcessStatus, @unchecked Sendable {
    let executable: String
    let conninfo: String
    let clock: ShopClock
    let visibilityTimeout: Int
    /// Where each worker's own output goes (it prints only if it cannot start).
    let logFolder: String
    private var consumers: [[pid_t]] = ServiceName.allCases.map { _ in [] }
    private var publishers: [pid_t?] = ServiceName.allCases.map { _ in nil }
    private(set) var concurrency: [Int] = ServiceName.allCases.map { _ in 1 }
    private var partitioned: [Bool] = ServiceName.allCases.map { _ in false }

    init(executable: String, conninfo: String, clock: ShopClock, visibilityTimeout: Int, logFolder: String) {
        self.executable = executable
        self.conninfo = conninfo
        self.clock = clock
        self.visibilityTimeout = visibilityTimeout
        self.logFolder = logFolder
    }

    /// Starts every consumer and publisher.
    func startAll() throws {
        for service in ServiceName.allCases {
            try start(service)
            if service.emitsEvents { try startPublisher(service) }
        }
    }

    private func spawn(_ role: Worker.Role, _ service: ServiceName) throws -> pid_t {
        try Processes.spawn([executable, "worker", role.rawValue, service.rawValue, "--conninfo", conninfo,
                             "--started", String(clock.startedAt), "--visibility", String(visibilityTimeout)],
                            log: "\(logFolder)/\(service.rawValue)-\(role.rawValue).log")
    }

    /// Forgets processes that ended by themselves (an armed crash point made them exit).
    func reap() {
        for service in ServiceName.allCases {
            consumers[service.index].removeAll { Processes.hasEnded($0) }
            if let pid = publishers[service.index], Processes.hasEnded(pid) { publishers[service.index] = nil }
        }
    }

    func isUp(_ service: ServiceName) -> Bool { !consumers[service.index].isEmpty }
    func publisherIsUp(_ service: ServiceName) -> Bool { publishers[service.index] != nil }
    func isPartitioned(_ service: ServiceName) -> Bool { partitioned[service.index] }
    func processes(_ service: ServiceName) -> [pid_t] { consumers[service.index] }
    func setPartitioned(_ service: ServiceName, _ value: Bool) { partitioned[service.index] = value }

    /// Starts the service's consumers up to its concurrency.
    func start(_ service: ServiceName) throws {
        while consumers[service.index].count < concurrency[service.index] {
            consumers[service.index].append(try spawn(.consumer, service))
        }
    }

    func startPublisher(_ service: ServiceName) throws {
        guard publishers[service.index] == nil else { return }
        publishers[service.index] = try spawn(.publisher, service)
    }

    /// SIGKILL to every process of the service; returns how many there were.
    @discardableResult
    func kill(_ service: ServiceName) -> Int {
        let pids = consumers[service.index]
        for pid in pids { Processes.kill(pid) }
        consumers[service.index] = []
        return pids.count
    }

    func killPublisher(_ service: ServiceName) {
        if let pid = publishers[service.index] { Processes.kill(pid) }
        publishers[service.index] = nil
    }

    /// Sets how many consumer processes the service runs, starting or stopping some now
    /// when it is up.
    func setConcurrency(_ service: ServiceName, _ n: Int) throws {
        concurrency[service.index] = n
        guard isUp(service) else { return }
        while consumers[service.index].count > n, let pid = consumers[service.index].popLast() { Processes.kill(pid) }
        try start(service)
    }

    /// Ends every worker (the bridge is leaving).
    func stopAll() {
        for service in ServiceName.allCases {
            kill(service)
            killPublisher(service)
        }
    }
}
