import CHeap
import Glibc
import SagaLab

/// Reads what the process holds and what the machine can still give it, for the ceiling
/// a search stops below (`MemoryCeiling`).
///
/// Two limits count. Resident memory may grow by three quarters of what the kernel reports
/// available (`MemAvailable`, or a control group's `memory.max` when that is smaller): a
/// quarter is kept back for the rest of the machine and for the tables that grow by
/// doubling between two checks. Where `ulimit -v` or `ulimit -d` limits the address space,
/// an allocation past it aborts the lab, and in a small space one table (a search's queue)
/// can be half of everything: a command stops at 45 % of that limit.
enum MemoryUse {
    /// The ceiling for one command, measured the first time it is asked (most commands
    /// never ask); a check says nothing when nothing can be read.
    static func ceiling() -> MemoryCeiling {
        let limits = Limits()
        return MemoryCeiling(check: {
            guard let usage = Usage.read(), let page = limits.measured(from: usage)?.page else { return nil }
            let checks = [(usage.resident, limits.resident), (usage.size, limits.addressSpace), (usage.data, limits.data)]
            for (pages, limit) in checks {
                if let limit, pages * page > limit { return .init(inUse: pages * page, limit: limit) }
            }
            return nil
        }, allowsReserving: { bytes in
            // Reserved room is address space, not resident memory, until rows fill it.
            guard let usage = Usage.read(), let page = limits.measured(from: usage)?.page else { return false }
            return [(usage.size, limits.addressSpace), (usage.data, limits.data)].allSatisfy { pages, limit in
                limit.map { pages * page + bytes <= $0 } ?? true
            }
        })
    }

    /// The three limits in bytes, measured once.
    private final class Limits {
        private(set) var page = 0
        private(set) var resident: Int?
        private(set) var addressSpace: Int?
        private(set) var data: Int?
        private var done = false

        func measured(from usage: Usage) -> Limits? {
            if !done {
                done = true
                page = sysconf(Int32(_SC_PAGESIZE))
                resident = available().map { usage.resident * page + $0 / 4 * 3 }
                addressSpace = limit(.addressSpace).map { $0 / 20 * 9 }
                data = limit(.data).map { $0 / 20 * 9 }
            }
            return page > 0 ? self : nil
        }
    }

    /// The process's size, resident set and data segment, in pages (`/proc/self/statm`).
    private struct Usage {
        var size = 0
        var resident = 0
        var data = 0

        /// Read into a buffer on the stack and parsed in place: `explore` asks every few
        /// hundred states, and text, arrays and substrings cost more than the read itself.
        static func read() -> Usage? {
            let fd = open("/proc/self/statm", O_RDONLY)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer -> Usage? in
                let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                guard count > 0 else { return nil }
                var fields: (Int, Int, Int) = (0, 0, 0)
                var field = 0
                var value = 0
                var digits = 0
                for byte in buffer[..<count] {
                    if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                        value = value &* 10 &+ Int(byte &- UInt8(ascii: "0"))
                        digits += 1
                        continue
                    }
                    guard digits > 0 else { continue }
                    switch field {
                    case 0: fields.0 = value
                    case 1: fields.1 = value
                    case 5: fields.2 = value
                    default: break
                    }
                    field += 1
                    value = 0
                    digits = 0
                }
                if digits > 0 && field == 5 { fields.2 = value; field += 1 }
                guard field >= 6 else { return nil }
                return Usage(size: fields.0, resident: fields.1, data: fields.2)
            }
        }
    }

    /// Bytes the machine can still give: the kernel's estimate, or the control group's
    /// room when it is smaller.
    private static func available() -> Int? {
        var bytes: Int?
        if let meminfo = contents(of: "/proc/meminfo"),
           let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            bytes = kilobytes * 1024
        }
        if let max = contents(of: "/sys/fs/cgroup/memory.max").flatMap({ Int($0.trimmingSpaces) }),
           let current = contents(of: "/sys/fs/cgroup/memory.current").flatMap({ Int($0.trimmingSpaces) }) {
            bytes = Swift.min(bytes ?? .max, Swift.max(0, max - current))
        }
        return bytes
    }

    private enum Limited: Int32 { case addressSpace = 0, data = 1 }

    /// A limit's soft value in bytes (`ulimit -v`, `ulimit -d`); nil when unlimited.
    private static func limit(_ resource: Limited) -> Int? {
        let bytes = sagalab_memory_limit(resource.rawValue)
        return bytes < 0 ? nil : Int(bytes)
    }

    /// A small kernel file's text, nil if it cannot be read.
    private static func contents(of path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            guard count > 0 else { break }
            bytes += buffer[..<count]
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}

private extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return text
    }
}

private extension String {
    var trimmingSpaces: Substring { Substring(self).trimmingSpaces }
}
