@testable import SagaKernel
import Testing

/// A time column keeps each time as a difference from the one before: every read must give
/// back the times appended, whatever they are, and the same times must make the same value.
@Suite struct TimeColumnTests {
    /// Times of the kinds a column meets: close runs (a poll's publications), jumps forward
    /// (an `advance`), and, as the bridge may load them, times that go back or lie far apart.
    static func times(_ n: Int, seed: UInt64) -> [Millis] {
        var generator = SeededGenerator(seed: seed)
        var time: Millis = 0
        return (0..<n).map { _ in
            switch generator.next() % 20 {
            case 0: time += Millis(generator.next() % UInt64(30 * VirtualTime.day))
            case 1: time -= Millis(generator.next() % 100_000)
            case 2: time = Millis(bitPattern: UInt(generator.next())) / 4
            default: time += Millis(generator.next() % 5)
            }
            return time
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func everyReadGivesBackTheTimesAppended(seed: UInt64) {
        let times = TimeColumnTests.times(1_000, seed: seed)
        var column = TimeColumn()
        for (count, time) in times.enumerated() {
            #expect(column.count == count)
            column.append(time)
        }
        #expect(Array(column) == times)
        #expect(times.indices.allSatisfy { column[$0] == times[$0] })
        #expect(column.first == times.first && column.last == times.last)
        for k in [0, 1, 63, 64, 65, 500, 1_000, 2_000] {
            var dropped = column
            dropped.removeFirst(k)
            #expect(Array(dropped) == Array(times.dropFirst(k)))
            #expect(dropped == TimeColumn(times.dropFirst(k)), "the same times make the same column, whatever came before")
        }
    }

    @Test func closeTimesTakeAByteEach() {
        var column = TimeColumn()
        column.reserveCapacity(10_000)
        for n in 0..<10_000 { column.append(Millis(1_000_000 + n / 3)) }
        #expect(column.count == 10_000 && column[9_999] == Millis(1_000_000 + 9_999 / 3))
        #expect(MemoryLayout<UInt8>.stride * 10_000 >= column.byteCount, "one byte a time at most, checkpoints apart")
    }

    @Test func equalColumnsAreEqualValues() {
        let a = TimeColumn([5, 5, 9, -3, Millis(Int64.max / 2)])
        var b = TimeColumn()
        for time in [5, 5, 9, -3, Millis(Int64.max / 2)] { b.append(time) }
        #expect(a == b && a.hashValue == b.hashValue)
        b.append(1)
        #expect(a != b)
    }
}
