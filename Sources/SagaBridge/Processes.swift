import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// Starting and ending operating-system processes: PostgreSQL's tools and the bridge's
/// own workers. Every process it starts gets a session of its own, so a Ctrl-C at the
/// terminal reaches the bridge alone, which then decides what stops.
public enum Processes {
    /// The running executable's absolute path, for starting workers of the same binary.
    public static var ownExecutable: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Starts `arguments[0]` (an absolute path) with the rest as its arguments, its output
    /// appended to `log` (or discarded) and, when given, `input` as its standard input.
    public static func spawn(_ arguments: [String], log: String? = nil, input: Int32? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        let out = log ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, sagalab_spawn_setsid_flag())
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw DatabaseError(message: "could not start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Runs a program to its end and returns its exit status (-1 if it died of a signal).
    @discardableResult
    public static func run(_ arguments: [String], log: String? = nil) throws -> Int32 {
        let pid = try spawn(arguments, log: log)
        return wait(pid)
    }

    /// Waits for a child and returns its exit status, or -1 when a signal ended it.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }

    /// Whether the child has ended (it is reaped if so).
    public static func hasEnded(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    /// SIGKILL, the signal nobody can catch: what `crash` sends.
    public static func kill(_ pid: pid_t) {
        _ = Glibc.kill(pid, SIGKILL)
        _ = wait(pid)
    }

    /// Sleeps for `milliseconds` of wall time.
    public static func sleep(milliseconds: Int) {
        guard milliseconds > 0 else { return }
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }

    /// Milliseconds on the monotonic clock, for timeouts.
    public static var monotonicMilliseconds: Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }
}
