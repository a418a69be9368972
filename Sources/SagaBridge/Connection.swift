import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// What PostgreSQL (or the way to it) said no with: its message, and its SQLSTATE code
/// when the server sent one (`42501` permission denied, `23505` unique violation).
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var code: String?

    public var description: String { message }

    /// The privilege is missing: what a worker meets while its service is partitioned.
    public var isPermissionDenied: Bool { code == "42501" }
}

/// The rows a query returned, as text (libpq's text format); nil for SQL NULL.
public struct Rows: Sendable {
    public var columns: [String]
    public var values: [[String?]]
    /// How many rows an INSERT, UPDATE or DELETE touched (`ON CONFLICT DO NOTHING` says 0).
    public var affected: Int

    public var count: Int { values.count }

    /// The value in row `row` of the column named `column`; nil past the last row, so a
    /// query that found nothing reads as no value.
    public func text(_ row: Int, _ column: String) -> String? {
        guard values.indices.contains(row), let index = columns.firstIndex(of: column) else { return nil }
        return values[row][index]
    }

    public func int(_ row: Int, _ column: String) -> Int? { text(row, column).flatMap { Int($0) } }

    public func bool(_ row: Int, _ column: String) -> Bool { text(row, column) == "t" }
}

/// One connection to PostgreSQL through libpq: a process of the bridge holds one (the
/// bridge itself a few), and uses it from one thread only.
///
/// libpq was chosen over postgres-nio because it is the server's own client, ships with
/// Debian beside the server, and builds as a system library in seconds; the bridge needs
/// nothing but blocking queries and LISTEN/NOTIFY, which libpq does directly. It is opened
/// on the first connection, not when the lab starts (see `CLibPQ/shim.h`).
public final class Connection: @unchecked Sendable {
    private let handle: OpaquePointer

    /// Opens a connection: `host=/tmp/dir user=inventory dbname=shop` or a `postgresql://` URL.
    public init(_ conninfo: String) throws {
        guard sagalab_libpq_available() != 0 else {
            throw DatabaseError(message: "the bridge needs libpq (Debian's libpq5), which is not installed: "
                                + "run `make deps` or `apt-get install libpq5`")
        }
        guard let handle = sagalab_PQconnectdb(conninfo) else {
            throw DatabaseError(message: "libpq could not allocate a connection")
        }
        self.handle = handle
        guard sagalab_PQstatus(handle) == CONNECTION_OK else {
            let message = Connection.firstLine(String(cString: sagalab_PQerrorMessage(handle)))
            sagalab_PQfinish(handle)
            throw DatabaseError(message: message)
        }
        _ = try? execute("SET client_min_messages = warning")
    }

    deinit { sagalab_PQfinish(handle) }

    /// Runs one statement with `$1`, `$2` … parameters (nil is NULL) and returns its rows;
    /// with no parameters the text may hold several statements.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> Rows {
        let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for copy in copies { free(copy) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        // Without parameters, the simple protocol: a schema's several statements in one string.
        let result = parameters.isEmpty ? sagalab_PQexec(handle, sql)
            : sagalab_PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        guard let result else { throw DatabaseError(message: Connection.firstLine(String(cString: sagalab_PQerrorMessage(handle)))) }
        defer { sagalab_PQclear(result) }
        switch sagalab_PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            break
        default:
            let code = sagalab_PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw DatabaseError(message: Connection.firstLine(String(cString: sagalab_PQresultErrorMessage(result))), code: code)
        }
        let fields = Int(sagalab_PQnfields(result))
        let columns = (0..<fields).map { String(cString: sagalab_PQfname(result, Int32($0))) }
        var values: [[String?]] = []
        for row in 0..<Int(sagalab_PQntuples(result)) {
            values.append((0..<fields).map { field in
                sagalab_PQgetisnull(result, Int32(row), Int32(field)) == 1 ? nil
                    : String(cString: sagalab_PQgetvalue(result, Int32(row), Int32(field)))
            })
        }
        return Rows(columns: columns, values: values, affected: Int(String(cString: sagalab_PQcmdTuples(result))) ?? 0)
    }

    /// Runs `body` inside BEGIN … COMMIT; an error rolls the transaction back and is rethrown.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// Waits up to `milliseconds` for a NOTIFY on a channel this connection LISTENs to;
    /// true when one (or more) arrived. Every notification waiting is consumed.
    public func waitForNotification(milliseconds: Int32) -> Bool {
        if drainNotifications() { return true }
        var descriptor = pollfd(fd: sagalab_PQsocket(handle), events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return false }
        _ = sagalab_PQconsumeInput(handle)
        return drainNotifications()
    }

    private func drainNotifications() -> Bool {
        var any = false
        while let notification = sagalab_PQnotifies(handle) {
            any = true
            sagalab_PQfreemem(notification)
        }
        return any
    }

    /// Whether the connection still works (a killed server or a dropped socket says no).
    public var isHealthy: Bool { sagalab_PQstatus(handle) == CONNECTION_OK }

    static func firstLine(_ text: String) -> String {
        let line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? text
        return line.hasPrefix("ERROR:  ") ? String(line.dropFirst(8)) : line
    }
}
