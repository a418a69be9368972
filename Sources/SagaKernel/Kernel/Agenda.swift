/// Everything the world will do by itself, in order of (virtual time, sequence).
///
/// One agenda drives the whole simulation: event deliveries, redeliveries, the stages of
/// deliveries handled concurrently, the orchestrator's calls, replies and timers, and
/// outbox publisher polls all wait here.
/// Ties in time are broken by the order things were scheduled, which keeps every run of
/// the same commands identical.
///
/// Scheduling and taking the next item cost O(log t), where t is the number of distinct
/// times with work waiting (a few hundred in a busy world): items due at one time wait in
/// a bucket in sequence order, and only the bucket times sit in a heap. Publisher polls,
/// one per publishing service, wait apart so that "is there work?" is one comparison.
///
/// While few items wait (`fewLimit`, the polls aside), they wait in one array in order
/// instead, and the buckets are empty. The explorer's worlds hold a handful of items, each
/// due at a time of its own: as buckets, every one of them was an array of its own, which
/// each copy of a world retained, each step that changed it copied and each state listed
/// from scattered memory. Which way the items wait follows from how many wait, so two
/// agendas holding the same items hold them the same way, and equality and hashing come
/// from the compiler.
public struct Agenda: Hashable, Sendable {
    public struct Item: Hashable, Sendable {
        public var time: Millis
        public var sequence: Int
        public var action: Action
    }

    public enum Action: Hashable, Sendable {
        /// Hand one copy of an event to one subscriber.
        case deliver(Delivery)
        /// Run one service's outbox publisher.
        case poll(ServiceName)
        /// The orchestrator's call reaches its participant.
        case call(TaskCall)
        /// A participant's answer reaches the orchestrator.
        case reply(TaskReply)
        /// One of the orchestrator's timers fires.
        case timer(SagaTimer)
        /// A consumer that handles deliveries concurrently runs one stage of a recipe.
        case stage(RecipeStageRun)
        /// Analytics prints its periodic report (`set analytics-report`).
        case report

        var isPoll: Bool { if case .poll = self { return true } else { return false } }
    }

    /// Publisher polls, in (time, sequence) order: at most one per publishing service.
    private var polls: [Item] = []
    /// Every other item, in (time, sequence) order, while there are at most `fewLimit` of
    /// them; empty otherwise.
    private var few: [Item] = []
    /// Every other item, bucketed by the time it is due, while there are more than
    /// `fewLimit` of them; empty otherwise.
    private var buckets = BucketsByTime()
    /// The times of `buckets`, smallest on top. It is derived from the buckets' keys, so it
    /// takes no part in equality: two agendas holding the same items are equal.
    private var times = Derived(MinHeap())
    private var nextSequence = 0
    /// How many items wait, polls included.
    public private(set) var count = 0
    /// Room a bucket made now starts with: set while a publisher's batch lands (`expect`),
    /// which fills each of the times its latencies fall on with hundreds of items at once,
    /// a bucket grown from one slot copying itself a dozen times on the way. Only a matter
    /// of speed, so it takes no part in equality.
    private var room = Derived(1)

    /// The most items besides the polls that wait in `few` rather than in buckets.
    static let fewLimit = 32

    public init() {}

    /// How many items wait besides the polls.
    private var workCount: Int { count - polls.count }

    /// Gives each bucket made from now on room for `items` spread over `times` times, until
    /// `expect` is told otherwise; `expect(0, over: 1)` ends it. Latencies are drawn at
    /// random, so a time gets a few more or fewer than its share: an eighth more is room
    /// enough for nearly every one. The buckets already waiting at those times, from `first`
    /// on, get that much room more: the publishers poll at the same moments, and the second
    /// batch lands on the buckets the first one made, which would otherwise double and copy
    /// their items (some 2 MB a bucket for a million orders) on the way.
    mutating func expect(_ items: Int, over times: Int, from first: Millis = 0) {
        let share = items / Swift.max(1, times)
        room.value = Swift.max(1, Swift.min(Agenda.mostRoom, share + share / 8))
        guard room.value > 1, !buckets.isEmpty else { return }
        let extra = room.value
        for time in first..<first + Millis(times) {
            guard let index = buckets.index(of: time) else { continue }
            buckets.update(at: index) { $0.makeRoom(for: extra) }
        }
    }

    /// How many items the bucket at `time` has room for before it grows, if there is one:
    /// what tests read to see a batch's buckets made with room for it.
    func bucketRoom(at time: Millis) -> Int? {
        buckets.index(of: time).map { buckets.read(at: $0) { $0.capacity } }
    }

    /// The services whose publishers' polls wait for `time`.
    func pollsDue(at time: Millis) -> [ServiceName] {
        polls.compactMap { item in
            guard item.time == time, case .poll(let service) = item.action else { return nil }
            return service
        }
    }

    /// The most room a bucket starts with: a million orders' batch puts some 22 000 items
    /// at each time of its latencies.
    static let mostRoom = 1 << 16

    /// Moves the items from `few` into buckets: one more is about to wait.
    private mutating func spill() {
        for item in few {
            if let index = buckets.index(of: item.time) {
                buckets.update(at: index) { $0.append(item) }
            } else {
                // With the room a batch landing now expects (`expect`): the first items of a
                // batch on an empty agenda wait in `few`, and their buckets are the batch's.
                buckets.insert(Bucket(item, room: room.value), at: item.time)
                times.value.push(item.time)
            }
        }
        few = []
    }

    /// Moves the items from the buckets into `few`, once no more than `fewLimit` wait there.
    @inline(__always)
    private mutating func gatherIfFew() {
        if workCount == Agenda.fewLimit, !buckets.isEmpty { gather() }
    }

    private mutating func gather() {
        var gathered: [Item] = []
        gathered.reserveCapacity(Agenda.fewLimit)
        buckets.forEach { gathered.append(contentsOf: $0.live) }
        gathered.sort { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
        few = gathered
        buckets = BucketsByTime()
        times = Derived(MinHeap())
    }

    /// Where the item at `time` with `sequence` waits in `few`, if it does.
    private func fewIndex(at time: Millis, sequence: Int) -> Int? {
        var low = 0
        var high = few.count
        while low < high {
            let mid = (low + high) / 2
            if (few[mid].time, few[mid].sequence) < (time, sequence) { low = mid + 1 } else { high = mid }
        }
        return low < few.count && few[low].time == time && few[low].sequence == sequence ? low : nil
    }

    /// Puts `action` on the agenda at `time` and returns its sequence number, which with
    /// the time names it for `remove(at:sequence:)`.
    @discardableResult @inline(__always)
    public mutating func schedule(_ action: __owned Action, at time: Millis) -> Int {
        let sequence = nextSequence
        nextSequence += 1
        count += 1
        if action.isPoll {
            let index = polls.firstIndex { ($0.time, $0.sequence) > (time, sequence) } ?? polls.count
            polls.insert(Item(time: time, sequence: sequence, action: action), at: index)
            return sequence
        }
        if buckets.isEmpty {
            if few.count < Agenda.fewLimit {
                // Its sequence is the highest: it goes after every item due by its time.
                var index = few.count
                while index > 0 && few[index - 1].time > time { index -= 1 }
                few.insert(Item(time: time, sequence: sequence, action: action), at: index)
                return sequence
            }
            spill()
        }
        if let index = buckets.index(of: time) {
            buckets.update(at: index) { $0.append(Item(time: time, sequence: sequence, action: action)) }
        } else {
            buckets.insert(Bucket(Item(time: time, sequence: sequence, action: action), room: room.value), at: time)
            times.value.push(time)
        }
        return sequence
    }

    /// Puts on the agenda the delivery of `event` the bus sends to `target` on its first
    /// try, at `time`: what `schedule(.deliver(...), at:)` does, written straight into the
    /// bucket of `time` when there is one, as there is for nearly every delivery of a
    /// publisher's batch. Returns its sequence number.
    @discardableResult @inline(__always)
    mutating func scheduleFirstTry(_ event: Event, to target: ServiceName, handler: Handler, isCopy: Bool,
                                   at time: Millis) -> Int {
        guard !buckets.isEmpty, let index = buckets.index(of: time) else {
            let delivery = Delivery(event: event, target: target, handler: handler, attempt: 1, isCopy: isCopy)
            return schedule(.deliver(delivery), at: time)
        }
        let sequence = nextSequence
        nextSequence += 1
        count += 1
        buckets.update(at: index) {
            $0.appendFirstTry(event, to: target, handler: handler, isCopy: isCopy, sequence: sequence)
        }
        return sequence
    }

    /// The item scheduled at `time` with `sequence`, if it still waits (polls excluded).
    public func item(at time: Millis, sequence: Int) -> Item? {
        if buckets.isEmpty { return fewIndex(at: time, sequence: sequence).map { few[$0] } }
        return buckets[time]?.item(sequence: sequence)
    }

    /// Takes out the item scheduled at `time` with `sequence`, if it still waits (polls
    /// excluded). O(log n): how a cancelled timer leaves without a search of the agenda.
    public mutating func remove(at time: Millis, sequence: Int) -> Item? {
        if buckets.isEmpty {
            guard let index = fewIndex(at: time, sequence: sequence) else { return nil }
            count -= 1
            // What a step takes out, it usually follows with what it schedules.
            few.makeRoom(for: 2)
            return few.remove(at: index)
        }
        guard let index = buckets.index(of: time),
              let item = buckets.update(at: index, { $0.remove(sequence: sequence) })
        else { return nil }
        count -= 1
        if buckets.read(at: index, { $0.isEmpty }) {
            buckets.remove(at: index)
            pruneTimes()
        }
        gatherIfFew()
        return item
    }

    /// Drops times whose bucket is gone from the top of the heap, so the top is always a
    /// time with work. A bucket emptied by `remove(at:sequence:)` leaves its time in the
    /// heap until it surfaces here.
    private mutating func pruneTimes() {
        while let top = times.value.top, !buckets.contains(top) { times.value.pop() }
    }

    /// The first item of the buckets: the earliest time's first item.
    private var firstWork: Item? {
        if buckets.isEmpty { return few.first }
        guard let time = times.value.top, let index = buckets.index(of: time) else { return nil }
        return buckets.read(at: index) { $0.first }
    }

    public var first: Item? {
        let work = firstWork
        guard let poll = polls.first else { return work }
        guard let work else { return poll }
        return (poll.time, poll.sequence) < (work.time, work.sequence) ? poll : work
    }

    /// When the next item is due and whether it is a publisher poll, without copying it.
    public var next: (time: Millis, isPoll: Bool)? {
        @inline(__always) get {
            guard let workTime = nextWorkTime else { return polls.isEmpty ? nil : (polls[0].time, true) }
            guard !polls.isEmpty else { return (workTime, false) }
            let (pollTime, pollSequence) = (polls[0].time, polls[0].sequence)
            if pollTime != workTime { return pollTime < workTime ? (pollTime, true) : (workTime, false) }
            let firstSequence = buckets.isEmpty
                ? few[0].sequence : buckets.read(at: buckets.index(of: workTime)!) { $0.firstSequence }
            return pollSequence < firstSequence ? (pollTime, true) : (workTime, false)
        }
    }

    public mutating func popFirst() -> Item? {
        guard let next else { return nil }
        return take(next)
    }

    /// Takes out the next item, which `next` described: the scheduler's loop, with no
    /// optional item to unwrap and throw away.
    mutating func take(_ next: (time: Millis, isPoll: Bool)) -> Item {
        var following: PrefetchHint?
        return take(next, following: &following)
    }

    /// The same, and `following` tells of the delivery after it when one waits at the same
    /// time, found without a second look-up: what the scheduler hints the processor about
    /// (`World.prefetchRows`).
    @inline(__always)
    mutating func take(_ next: (time: Millis, isPoll: Bool), following: inout PrefetchHint?) -> Item {
        guard !next.isPoll, !buckets.isEmpty else { return takeApart(next) }
        count -= 1
        let index = buckets.takingIndex(of: next.time)!
        var emptied = false
        let item = buckets.update(at: index) { bucket in
            let item = bucket.popFirst(emptied: &emptied)
            if !emptied { following = bucket.firstHint }
            return item
        }
        if emptied { dropEmptied(at: index) }
        gatherIfFew()
        return item
    }

    /// `take` for a poll, or an item of `few`.
    @inline(never)
    private mutating func takeApart(_ next: (time: Millis, isPoll: Bool)) -> Item {
        count -= 1
        if next.isPoll {
            // A poll that ran is scheduled again.
            polls.makeRoom(for: 1)
            return polls.removeFirst()
        }
        few.makeRoom(for: 2)
        return few.removeFirst()
    }

    /// Drops the bucket at `index`, which `take` has just emptied, and its time.
    @inline(never)
    private mutating func dropEmptied(at index: Int) {
        buckets.remove(at: index)
        times.value.pop()
        pruneTimes()
    }

    /// Every item, in the order they will happen. O(n log n): for views and tests.
    public var items: [Item] {
        var all = polls + few
        buckets.forEach { all.append(contentsOf: $0.live) }
        return all.sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
    }

    /// Visits every item once, in no particular order. O(n) without sorting: for questions
    /// whose answer does not depend on order.
    public func forEachUnordered(_ body: (Item) -> Void) {
        polls.forEach(body)
        few.forEach(body)
        buckets.forEach { $0.forEach(body) }
    }

    /// Visits every item in the order they will happen, without sorting, while few wait
    /// (as in the explorer's worlds): the polls and `few` are each in order already, and
    /// are merged. False, having visited nothing, once items wait in buckets.
    func forEachInOrderWhileFew(_ body: (Item) -> Void) -> Bool {
        guard buckets.isEmpty else { return false }
        var poll = 0
        var other = 0
        while poll < polls.count || other < few.count {
            if other == few.count
                || (poll < polls.count && (polls[poll].time, polls[poll].sequence) < (few[other].time, few[other].sequence)) {
                body(polls[poll])
                poll += 1
            } else {
                body(few[other])
                other += 1
            }
        }
        return true
    }

    /// Whether some item satisfies `predicate`, looked for in no particular order.
    public func contains(where predicate: (Item) -> Bool) -> Bool {
        if polls.contains(where: predicate) || few.contains(where: predicate) { return true }
        return buckets.contains { $0.contains(where: predicate) }
    }

    /// The publisher polls waiting, in (time, sequence) order.
    public var waitingPolls: [Item] { polls }

    /// When the publisher of `service` polls next, if its poll waits here.
    public func nextPoll(_ service: ServiceName) -> Millis? {
        polls.first { $0.action == .poll(service) }?.time
    }

    /// Removes the publisher polls `shouldRemove` picks and returns them in agenda order.
    /// O(1): the polls wait apart from everything else.
    public mutating func removePolls(where shouldRemove: (Item) -> Bool) -> [Item] {
        let removed = polls.filter(shouldRemove)
        polls.removeAll(where: shouldRemove)
        count -= removed.count
        return removed
    }

    /// Removes the publisher poll with `sequence`. False when it no longer waits.
    mutating func removePoll(sequence: Int) -> Bool {
        guard let index = polls.firstIndex(where: { $0.sequence == sequence }) else { return false }
        // A poll that ran is scheduled again.
        polls.makeRoom(for: 1)
        polls.remove(at: index)
        count -= 1
        return true
    }

    /// Removes the items `shouldRemove` picks and returns them in agenda order. O(n).
    public mutating func remove(where shouldRemove: (Item) -> Bool) -> [Item] {
        var removed = polls.filter(shouldRemove)
        polls.removeAll(where: shouldRemove)
        if buckets.isEmpty {
            removed.append(contentsOf: few.filter(shouldRemove))
            few.removeAll(where: shouldRemove)
            count -= removed.count
            return removed.sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
        }
        var emptied = false
        for time in buckets.times {
            let index = buckets.index(of: time)!
            let live = buckets.read(at: index) { $0.live }
            guard live.contains(where: shouldRemove) else { continue }
            removed.append(contentsOf: live.filter(shouldRemove))
            let kept = live.filter { !shouldRemove($0) }
            if kept.isEmpty {
                buckets.remove(at: index)
                emptied = true
            } else {
                buckets.update(at: index) { $0 = Bucket(kept) }
            }
        }
        if emptied { times = Derived(MinHeap(buckets.times)) }
        count -= removed.count
        if workCount <= Agenda.fewLimit { gatherAll() }
        return removed.sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
    }

    /// Moves every item from the buckets into `few` after a removal of many at once.
    private mutating func gatherAll() {
        let gathered = items.filter { !$0.action.isPoll }
        few = gathered
        buckets = BucketsByTime()
        times = Derived(MinHeap())
    }

    /// When the next item that is not a publisher poll is due.
    public var nextWorkTime: Millis? { buckets.isEmpty ? few.first?.time : times.value.top }

    /// Whether anything but publisher polls waits.
    public var hasWork: Bool { !few.isEmpty || !buckets.isEmpty }

    /// Deliveries waiting in the agenda, in the order they will happen.
    public var deliveries: [(time: Millis, delivery: Delivery)] {
        items.compactMap { item in
            if case .deliver(let d) = item.action { return (item.time, d) }
            return nil
        }
    }
}

/// A binary min-heap of times: the agenda's index of its buckets.
struct MinHeap: Sendable {
    private var heap: [Millis] = []

    init() {}

    init(_ values: some Sequence<Millis>) {
        heap = values.sorted()
    }

    var top: Millis? { heap.first }

    mutating func push(_ value: Millis) {
        heap.append(value)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            let right = left + 1
            let child = right < heap.count && heap[right] < heap[left] ? right : left
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            parent = child
        }
    }
}

/// A value kept only to make something faster, derived entirely from other stored state:
/// it takes no part in equality or hashing, so a world's identity stays its real contents.
struct Derived<Value: Sendable>: Hashable, Sendable {
    var value: Value

    init(_ value: Value) { self.value = value }

    static func == (a: Derived, b: Derived) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}
