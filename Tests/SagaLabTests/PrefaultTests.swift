import CPrefault
import Foundation
import Testing
@testable import SagaKernel
@testable import SagaLab

/// The hint that a growing table's next pages be backed (`Prefault.swift`, `prefault.c`):
/// its helper backs them and changes no byte, and a table asks for the window after the
/// next as it passes each window's end.
@Suite struct PrefaultTests {
    @Test func aWindowIsAPowerOfTwoRowsOfAQuarterMebibyteAtMost() {
        func check<Element>(_: Element.Type) {
            let rows = [Element].prefaultWindow
            let bytes = rows * MemoryLayout<Element>.stride
            #expect(rows > 0 && rows & (rows - 1) == 0)
            #expect(bytes <= 256 << 10 && bytes * 2 > 256 << 10)
        }
        check(UInt8.self)
        check(UInt16.self)
        check(Int32.self)
        check(Event.self)
        check(Order.self)
        check(SagaState.self)
        check(Outbox.Row.self)
    }

    /// The rows at which a table growing one row at a time asks for more: once a window,
    /// as its rows pass each window's end, and never between.
    @Test func aTableAsksOnceAWindowAsItPassesTheWindowsEnd() {
        let window = [UInt16].prefaultWindow
        let asked = (0..<(4 * window)).filter { [UInt16].passesWindow(from: $0, to: $0 + 1) }.map { $0 + 1 }
        #expect(asked == [window, 2 * window, 3 * window, 4 * window])
        // A jump of many rows asks once, wherever it lands past a window's end.
        #expect([UInt16].passesWindow(from: 5, to: 3 * window + 7))
        #expect(![UInt16].passesWindow(from: window + 1, to: 2 * window - 1))
    }

    /// Fresh pages of a mapping the process has never touched: the helper backs every one
    /// asked for, keeps the bytes written before, and leaves the rest of the mapping alone.
    @Test func theHelperBacksThePagesAskedForAndChangesNoByte() throws {
        try expectBacked(pages: 64)
    }

    /// A range asked for after it was unmapped, and ranges under a page, change nothing
    /// and stop nothing: the hint after them is still taken.
    @Test func aRangeGoneOrTooSmallIsIgnored() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let gone = try #require(mmap(nil, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        munmap(gone, 8 * page)
        sagalab_prefault(gone, 8 * page)
        let small = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        defer { munmap(small, 2 * page) }
        sagalab_prefault(small + 1, page)
        sagalab_prefault(small, 0)
        var resident = [UInt8](repeating: 0, count: 2)
        mincore(small, 2 * page, &resident)
        #expect(resident.allSatisfy { $0 & 1 == 0 })
        try expectBacked(pages: 16)
    }

    /// A world whose tables asked for pages ahead is the world that did not: the hint
    /// changes no row. (Every transcript replayed by the release binary says so too.)
    @Test func aRangeRunToTheEndIsTheSameWorldAsItsOrdersOneByOne() {
        let setUp = ["flow payment-first", "fail payment 30%", "fail inventory 20%", "stock prod-1 3000"]
        var ranged = Session(seed: 9)
        var single = Session(seed: 9)
        for command in setUp {
            _ = ranged.execute(command)
            _ = single.execute(command)
        }
        _ = ranged.execute("order user-1..3000 prod-1")
        for n in 1...3000 { _ = single.execute("order user-\(n) prod-1") }
        _ = ranged.execute("run quiet")
        _ = single.execute("run quiet")
        #expect(ranged.world.orders.orders.count == 3000)
        #expect(ranged.world == single.world)
    }

    /// Maps `2 × pages` fresh pages, writes into the first, asks for the first `pages`, and
    /// expects those backed (where the kernel can), the others not, and no byte changed.
    private func expectBacked(pages: Int) throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapped = try #require(mmap(nil, 2 * pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(mapped != MAP_FAILED)
        defer { munmap(mapped, 2 * pages * page) }
        let bytes = mapped.assumingMemoryBound(to: UInt8.self)
        for offset in stride(from: 0, to: page, by: 97) { bytes[offset] = UInt8(truncatingIfNeeded: offset | 1) }

        sagalab_prefault(mapped, pages * page)
        var resident = [UInt8](repeating: 0, count: 2 * pages)
        let populates = PrefaultTests.kernelPopulates(page: page)
        // The helper works beside the test: wait for it, a millisecond at a time (a bound
        // on waiting, not a figure of speed; without the call nothing is backed at all).
        for _ in 0..<10_000 where populates {
            mincore(mapped, 2 * pages * page, &resident)
            if resident[..<pages].allSatisfy({ $0 & 1 == 1 }) { break }
            usleep(1_000)
        }
        mincore(mapped, 2 * pages * page, &resident)
        if populates { #expect(resident[..<pages].allSatisfy { $0 & 1 == 1 }) }
        #expect(resident[pages...].allSatisfy { $0 & 1 == 0 })
        for offset in 0..<(pages * page) {
            let written = offset < page && offset % 97 == 0
            if bytes[offset] != (written ? UInt8(truncatingIfNeeded: offset | 1) : 0) {
                Issue.record("byte \(offset) changed to \(bytes[offset])")
                break
            }
        }
    }

    /// Whether this kernel backs pages on request (Linux 5.14 on): asked of a mapping of
    /// its own, so the test expects the helper's work only where it can be done.
    private static func kernelPopulates(page: Int) -> Bool {
        guard let probe = mmap(nil, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              probe != MAP_FAILED else { return false }
        defer { munmap(probe, page) }
        return madvise(probe, page, 23) == 0   // MADV_POPULATE_WRITE
    }
}
