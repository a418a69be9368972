@testable import SagaKernel
import Testing

/// The explorer's queue hands states back in the order they came, across its blocks,
/// whether the search takes them as fast as it adds them or lets thousands pile up.
@Suite struct FrontierQueueTests {
    @Test(arguments: [1, 3, 4096, 5000])
    func statesComeOutInTheOrderTheyWentIn(_ addedPerTaken: Int) {
        var queue = FrontierQueue<Int>()
        var added = 0
        var taken: [Int] = []
        queue.append(added)
        while let next = queue.removeFirst() {
            taken.append(next)
            for _ in 0..<addedPerTaken where added < 30_000 {
                added += 1
                queue.append(added)
            }
        }
        #expect(queue.isEmpty)
        #expect(taken == Array(0...added))
        #expect(added == 30_000)
    }

    @Test func anEmptiedQueueTakesStatesAgain() {
        var queue = FrontierQueue<String>()
        #expect(queue.isEmpty)
        #expect(queue.removeFirst() == nil)
        for round in 0..<3 {
            for index in 0..<5000 { queue.append("\(round)-\(index)") }
            #expect(!queue.isEmpty)
            for index in 0..<5000 { #expect(queue.removeFirst() == "\(round)-\(index)") }
            #expect(queue.isEmpty)
            #expect(queue.removeFirst() == nil)
        }
    }
}
