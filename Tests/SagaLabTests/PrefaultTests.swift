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
    /// asked for and keeps the bytes written before.
    @Test func theHelperBacksThePagesAskedForAndChangesNoByte() throws {
        try expectBacked(pages: 64)
    }

    /// A range the helper cannot back (here one the process may not write, as a range freed
    /// and unmapped before the helper reaches it would be), and ranges holding no whole
    /// page, stop nothing: the hint after them is still taken.
    @Test func aRangeThatCannotBeBackedIsIgnored() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let closed = try #require(mmap(nil, 8 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(closed != MAP_FAILED)
        defer { munmap(closed, 8 * page) }
        sagalab_prefault(closed, 8 * page)
        sagalab_prefault(closed + 1, page)
        sagalab_prefault(closed, 0)
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

    /// Maps `pages` fresh pages, writes into the first, asks for them all, and expects them
    /// backed (where the kernel can) and no byte changed. (Whether pages not asked for stay
    /// unbacked is not asked: the tests run in parallel, and another test's hint for an
    /// array it has since freed may land on this mapping's addresses, backing them in vain.)
    private func expectBacked(pages: Int) throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapped = try #require(mmap(nil, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        try #require(mapped != MAP_FAILED)
        defer { munmap(mapped, pages * page) }
        let bytes = mapped.assumingMemoryBound(to: UInt8.self)
        for offset in stride(from: 0, to: page, by: 97) { bytes[offset] = UInt8(truncatingIfNeeded: offset | 1) }

        sagalab_prefault(mapped, pages * page)
        var resident = [UInt8](repeating: 0, count: pages)
        let populates = PrefaultTests.kernelPopulates(page: page)
        // The helper works beside the test: wait for it, a millisecond at a time (a bound
        // on waiting, not a figure of speed; without the call nothing is backed at all).
        for _ in 0..<10_000 where populates {
            mincore(mapped, pages * page, &resident)
            if resident.allSatisfy({ $0 & 1 == 1 }) { break }
            usleep(1_000)
        }
        mincore(mapped, pages * page, &resident)
        if populates { #expect(resident.allSatisfy { $0 & 1 == 1 }) }
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
