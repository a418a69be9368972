import CHeap
import Glibc

/// Tunes glibc's heap for a world that only grows: large tables stay in the heap instead of
/// getting pages of their own, and memory once taken is kept for reuse.
///
/// A big world is a few large tables that grow as it runs. By default glibc gives every
/// block of 128 KiB or more a mapping of its own, so each time a table doubles, the new
/// one is made of pages the kernel has to find and zero, and freeing the old one hands its
/// pages back. Kept in the heap, a grown table reuses what an earlier one freed, and the
/// heap grows 64 MiB at a time. (The heap used to ask for transparent huge pages too; on
/// the virtual machines the lab is measured on, each huge page the kernel handed
/// out was filled in by the host at the first touch, which doubled the time of a run of
/// 20 000 orders that followed another process: see `Benchmarks/HISTORY.md`.)
///
/// Where address space is limited (`ulimit -v`, `ulimit -d`) or the kernel charges it up
/// front (`vm.overcommit_memory=2`), glibc's defaults stay: growing 64 MiB at a time could
/// fail there where a smaller step would not.
enum HeapPolicy {
    static func apply() {
        guard sagalab_address_space_unlimited() != 0,
              firstLine(of: "/proc/sys/vm/overcommit_memory").map({ !$0.hasPrefix("2") }) == true
        else { return }
        sagalab_heap_tune(64 << 20)
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
