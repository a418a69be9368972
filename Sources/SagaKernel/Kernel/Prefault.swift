import CPrefault

/// Asking for the pages a growing table is about to fill before it fills them.
///
/// Memory the process writes for the first time costs a page fault each 4 KiB, some two
/// microseconds of the operating system's time on this machine: a million orders' tables,
/// the agenda's buckets and the trace fault in about a gigabyte, a fifth of the run. The
/// tables that grow by a row at a time ask, each time they pass a `window`, for the pages
/// of the window after the next one to be backed (`sagalab_prefault`): a helper thread asks
/// the operating system for them while the world goes on, and the world then finds them
/// there. The helper only names address ranges to the operating system; it reads and
/// writes nothing in them, so nothing the world holds, computes or prints can depend on
/// it, and the world stays on one thread. Like `prefetch`, it is a hint: where the call is
/// missing (Linux before 5.14) nothing happens but the faults.
///
/// Only room the array already has is asked for, and only a window or two past its rows:
/// a table that stops growing leaves at most that much backed and unused.
extension Array {
    /// Rows a window holds: a power of two, some 256 KiB of them.
    @inline(__always)
    static var prefaultWindow: Int {
        let rows = (256 << 10) / Swift.max(MemoryLayout<Element>.stride, 1)
        return 1 << (Int.bitWidth - 1 - rows.leadingZeroBitCount)
    }

    /// Asks for the window after the next when the array's rows, `before` a moment ago,
    /// have just passed a window's end: one comparison when they have not.
    @inline(__always)
    func prefaultAhead(grewFrom before: Int) {
        if Array.passesWindow(from: before, to: count) {
            prefaultRows(from: count + Array.prefaultWindow, Array.prefaultWindow)
        }
    }

    /// Whether rows growing from `before` to `after` reach or pass a multiple of the
    /// window: the two differ in a bit at or above the window's.
    @inline(__always)
    static func passesWindow(from before: Int, to after: Int) -> Bool {
        before ^ after >= prefaultWindow
    }

    /// Asks for `rows` rows of room from row `first` on (as far as the room goes).
    @inline(never)
    func prefaultRows(from first: Int, _ rows: Int) {
        let rows = Swift.min(rows, capacity - first)
        guard rows > 0 else { return }
        let start: UnsafeRawPointer? = withUnsafeBufferPointer { elements in
            elements.baseAddress.map { UnsafeRawPointer($0 + first) }
        }
        if let start { sagalab_prefault(start, rows * MemoryLayout<Element>.stride) }
    }

    /// Asks for the room of the next two windows after the rows: for a table that has
    /// just made room for many more rows (`reserveCapacity`), the rows it fills first.
    func prefaultRoom() {
        prefaultRows(from: count, 2 * Array.prefaultWindow)
    }

    /// Asks for all the room after the rows: for a table about to fill it at once.
    func prefaultAllRoom() {
        prefaultRows(from: count, capacity - count)
    }
}
