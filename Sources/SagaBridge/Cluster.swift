#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster of the bridge's own: `initdb` into a temporary folder,
/// the server listening only on a Unix socket in that folder, stopped and the folder
/// removed when the bridge ends. PostgreSQL refuses to run as root, so under root the
/// folder belongs to an unprivileged user (`postgres`, else `nobody`) who runs the server.
public final class Cluster: @unchecked Sendable {
    /// The temporary folder: the data directory, the socket, the server's log.
    public let directory: String
    /// Where PostgreSQL's programs are (`/usr/lib/postgresql/15/bin`).
    let binaries: String
    /// The user the server runs as when the bridge runs as root.
    let runAs: String?
    private var stopped = false

    /// The connection string of the cluster's superuser `lab` to its database `shop`.
    public var conninfo: String { "host=\(directory) user=lab dbname=shop" }

    /// Creates and starts a cluster; throws with one line saying what is missing or failed.
    public static func start() throws -> Cluster {
        guard let binaries = Cluster.findBinaries() else {
            throw DatabaseError(message: "PostgreSQL's server is not installed (no initdb under /usr/lib/postgresql); "
                + "install Debian's postgresql package (make test does), or pass --database URL")
        }
        var template = Array("/tmp/sagalab-bridge-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw DatabaseError(message: "could not create a folder in /tmp") }
        let directory = String(cString: made)
        var runAs: String?
        if geteuid() == 0 {
            let user = getpwnam("postgres") != nil ? "postgres" : "nobody"
            guard let entry = getpwnam(user) else { throw DatabaseError(message: "no unprivileged user to run PostgreSQL as") }
            chown(directory, entry.pointee.pw_uid, entry.pointee.pw_gid)
            runAs = user
        }
        let cluster = Cluster(directory: directory, binaries: binaries, runAs: runAs)
        try cluster.create()
        return cluster
    }

    init(directory: String, binaries: String, runAs: String?) {
        self.directory = directory
        self.binaries = binaries
        self.runAs = runAs
    }

    /// The command line that runs one of PostgreSQL's programs as the cluster's user.
    func command(_ program: String, _ arguments: [String]) -> [String] {
        let path = "\(binaries)/\(program)"
        guard let runAs else { return [path] + arguments }
        return ["/usr/sbin/runuser", "-u", runAs, "--", path] + arguments
    }

    private func create() throws {
        let initdbLog = "\(directory)/initdb.log"
        guard try Processes.run(command("initdb", ["-D", "\(directory)/data", "-A", "trust", "-U", "lab", "-E", "UTF8",
                                                    "--no-sync", "--no-instructions"]), log: initdbLog) == 0 else {
            let said = Cluster.lastLine(of: initdbLog)
            remove()
            throw DatabaseError(message: "initdb failed: \(said)")
        }
        // The server writes its own log, as the cluster's user.
        let log = "\(directory)/data/server.log"
        let options = "-k \(directory) -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c max_connections=60"
        guard try Processes.run(command("pg_ctl", ["-D", "\(directory)/data", "-o", options, "-l", log, "-w", "start"]),
                                log: "\(directory)/pg_ctl.log") == 0 else {
            let said = Cluster.lastLine(of: log)
            remove()
            throw DatabaseError(message: "the PostgreSQL server did not start: \(said)")
        }
        let admin = try Connection("host=\(directory) user=lab dbname=postgres")
        try admin.execute("CREATE DATABASE shop")
    }

    /// Stops the server at once (no checkpoint: the data is thrown away) and removes the folder.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        _ = try? Processes.run(command("pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "-w", "stop"]))
        remove()
    }

    private func remove() {
        _ = try? Processes.run(["/bin/rm", "-rf", directory])
    }

    /// The last line of a log, for an error message.
    static func lastLine(of path: String) -> String {
        guard let file = fopen(path, "r") else { return "no log" }
        defer { fclose(file) }
        var last = ""
        var buffer = [CChar](repeating: 0, count: 1024)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).trimmingSuffix("\n")
            if !line.isEmpty { last = line }
        }
        return last
    }

    /// The newest installed PostgreSQL's programs, or nil when none is.
    static func findBinaries() -> String? {
        let root = "/usr/lib/postgresql"
        guard let folder = opendir(root) else { return nil }
        defer { closedir(folder) }
        var versions: [Int] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let version = Int(name), access("\(root)/\(name)/bin/initdb", X_OK) == 0 { versions.append(version) }
        }
        return versions.max().map { "\(root)/\($0)/bin" }
    }

    /// Stops and removes a cluster left by a bridge that ended without cleaning up: what
    /// the reaper does when the bridge's pipe closes.
    public static func reap(directory: String) {
        guard let binaries = findBinaries() else { return }
        var owner = stat()
        let runAs: String? = geteuid() == 0 && stat(directory, &owner) == 0
            ? getpwuid(owner.st_uid).map { String(cString: $0.pointee.pw_name) } : nil
        Cluster(directory: directory, binaries: binaries, runAs: runAs == "root" ? nil : runAs).stop()
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
