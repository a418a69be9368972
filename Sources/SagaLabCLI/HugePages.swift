import CHeap
import Glibc

/// Backs the heap with transparent huge pages (2 MiB) where the kernel grants them only to
/// memory that asks, as Debian's default (`madvise`) does.
///
/// A big world is a few large tables that grow as it runs, and with 4 KiB pages the first
/// touch of every page costs a fault in the kernel: about 23 000 of them for 20 000 orders.
/// With huge pages the same run takes about 1 200, and `run` and `explore` take 10 to 15 %
/// less time up to tens of thousands of orders, for a peak some 10 % higher (a huge page is
/// filled in whole). Where the kernel gives huge pages to everyone (`always`) or to no one
/// (`never`), nothing changes.
///
/// The process asks once, as it starts: the heap is grown by 2 GiB of address space (no
/// memory until touched) and that range is marked. `markGrowth`, called between the
/// stretches of a long command, marks whatever the heap grew by past it. Where address
/// space is limited (`ulimit -v`, `ulimit -d`) or the kernel charges it up front
/// (`vm.overcommit_memory=2`), the heap is left as glibc sets it up: a reserve there would
/// use up memory the lab may need.
enum HugePages {
    private static let pageMask: UInt = (2 << 20) - 1
    /// The heap's range marked so far, ending on a huge page's boundary; nil when nothing
    /// was marked, so nothing more will be.
    nonisolated(unsafe) private static var marked: (from: UInt, to: UInt)?

    static func enable() {
        guard sagalab_address_space_unlimited() != 0,
              firstLine(of: "/sys/kernel/mm/transparent_hugepage/enabled")?.contains("[madvise]") == true,
              firstLine(of: "/proc/sys/vm/overcommit_memory").map({ !$0.hasPrefix("2") }) == true
        else { return }
        let start = sagalab_heap_prepare(Int32.max, 64 << 20)
        let end = sagalab_heap_end()
        if sagalab_heap_mark(start, end) == 0 { marked = (start, end & ~pageMask) }
    }

    /// Marks the heap's growth since the last mark. Costs one comparison when it has not grown.
    static func markGrowth() {
        guard let (from, to) = marked else { return }
        let end = sagalab_heap_end()
        guard end & ~pageMask > to else { return }
        if sagalab_heap_mark(to, end) == 0 { marked = (from, end & ~pageMask) }
    }

    /// The first line of a kernel setting's file, nil if it cannot be read.
    private static func firstLine(of path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}
