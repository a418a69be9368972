/// The explorer's first-in, first-out queue of states still to expand, kept in blocks of
/// a fixed size.
///
/// A search of millions of states queues a world for each, some 1.2 KB apiece. In one
/// array, every growth copies the whole queue into storage twice its size, and the part
/// already expanded stays allocated until the array is compacted. In blocks, a state is
/// written once, and a block is freed as soon as the search has taken its last state.
struct FrontierQueue<Element> {
    /// States per block.
    private static var blockSize: Int { 4096 }
    private var blocks: [[Element?]] = []
    /// The first block that still holds a state.
    private var firstBlock = 0
    /// Where the next state is taken in the first block.
    private var next = 0
    /// How many states wait.
    private(set) var count = 0

    var isEmpty: Bool { firstBlock == blocks.count || (firstBlock == blocks.count - 1 && next == blocks[firstBlock].count) }

    mutating func append(_ element: consuming Element) {
        if blocks.isEmpty || blocks[blocks.count - 1].count == Self.blockSize {
            var block: [Element?] = []
            block.reserveCapacity(Self.blockSize)
            blocks.append(block)
        }
        blocks[blocks.count - 1].append(element)
        count += 1
    }

    /// Calls `body` with the place of the state `ahead` places after the next one taken, if
    /// it waits in the same block; nothing is copied or retained on the way.
    func withPlace(ahead: Int, _ body: (UnsafePointer<Element?>) -> Void) {
        guard firstBlock < blocks.count else { return }
        let index = next + ahead
        blocks[firstBlock].withUnsafeBufferPointer { block in
            guard index < block.count else { return }
            body(block.baseAddress! + index)
        }
    }

    /// Takes the oldest state out, or nil if none is left.
    mutating func removeFirst() -> Element? {
        while firstBlock < blocks.count {
            if next < blocks[firstBlock].count {
                next += 1
                count -= 1
                return blocks[firstBlock][next - 1].take()
            }
            guard firstBlock < blocks.count - 1 else { return nil }
            blocks[firstBlock] = []
            firstBlock += 1
            next = 0
            if firstBlock >= 64 && firstBlock * 2 >= blocks.count {
                // The emptied blocks' slots hold nothing; drop them rather than let them pile up.
                blocks.removeFirst(firstBlock)
                firstBlock = 0
            }
        }
        return nil
    }
}
