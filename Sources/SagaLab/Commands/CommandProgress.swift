/// How far a long command has got, handed to the host's `CommandWatch.progress`: the
/// steps done and the world as it stands after them. The terminal program turns it into
/// the line it redraws while a command runs; nothing of it reaches a command's output.
///
/// Read it during the call and let it go: while it holds the world, the next step would
/// have to copy the world's storage.
public struct CommandProgress: Sendable {
    /// Whole steps done so far.
    public let steps: Int
    /// Where the command stops by itself: `step N`'s N, or nil.
    public let totalSteps: Int?
    /// Where `advance` is going in virtual time, or nil.
    public let target: Millis?
    public let world: World
    /// For `explore`: how far the search has got, in words (`412 000 states, depth 14`).
    public let search: String?
    /// For a command that takes no steps, such as `export`: what it is doing, in words
    /// (`exporting: 40960 of 2566133 trace entries`).
    public let activity: String?

    public init(steps: Int, totalSteps: Int? = nil, target: Millis? = nil, world: World, search: String? = nil,
                activity: String? = nil) {
        self.steps = steps
        self.totalSteps = totalSteps
        self.target = target
        self.world = world
        self.search = search
        self.activity = activity
    }

    /// Orders placed so far, and how many of them are no longer PENDING.
    public var orders: (settled: Int, placed: Int) {
        let all = world.orders.orders
        return (all.reduce(0) { $1.status == .pending ? $0 : $0 + 1 }, all.count)
    }

    /// The progress as one plain ASCII line of at most `width` columns, stamped like a
    /// trace line: `[00:45.120] 12288 steps; 812/3000 settled; busy: 2188 order.created
    /// for inventory; Ctrl-C stops`. What does not fit is left out: the hint first, then
    /// the service the waiting work is for, then the orders, then the waiting work.
    public func line(width: Int) -> String {
        if let search {
            let text = "exploring: " + search + "; Ctrl-C stops"
            return text.count <= width ? text : String(("exploring: " + search).prefix(max(0, width)))
        }
        if let activity {
            let text = activity + "; Ctrl-C stops"
            return text.count <= width ? text : String(activity.prefix(max(0, width)))
        }
        let time = "[" + VirtualTime.stamp(world.now) + (target.map { " of " + VirtualTime.stamp($0) } ?? "") + "]"
        let head = "\(time) \(steps)" + (totalSteps.map { " of \($0)" } ?? "") + " step" + (steps == 1 ? "" : "s")
        let (settled, placed) = orders
        let ordersPart = placed > 0 ? "\(settled)/\(placed) settled" : nil
        let busiest = world.busiest
        let busy = busiest.map { "busy: " + $0.work.text($0.count) }
        let busyShort = busiest.map { "busy: " + $0.work.text($0.count, short: true) }
        let choices: [[String?]] = [
            [head, ordersPart, busy, "Ctrl-C stops"],
            [head, ordersPart, busy],
            [head, ordersPart, busyShort],
            [head, busyShort],
            [head, ordersPart],
        ]
        for parts in choices {
            let text = parts.compactMap { $0 }.joined(separator: "; ")
            if text.count <= width { return text }
        }
        return String(head.prefix(max(0, width)))
    }
}
