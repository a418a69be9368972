/// One line of a session's history: a command the session accepted, what it cost and
/// where it left virtual time, and (for some entries) the world right after it.
///
/// The world is a value, so a snapshot is a copy. Keeping one after every command would
/// make a long session cost as much again in copies, so `Branch` keeps one only when
/// enough work has happened since the last; a jump restores the nearest snapshot and
/// replays the few commands after it.
public struct HistoryEntry: Sendable {
    /// The command as the script keeps it (`step N` for a command Ctrl-C stopped).
    public var line: String
    /// Whether the command changed the world (`show`, `trace` and the like do not).
    public var changesWorld: Bool
    /// The steps a `step`, `run` or `advance` took; zero for the others.
    public var steps: Int
    /// Virtual time after the command.
    public var time: Millis
    /// What replaying the command would cost, in steps (its own and `commandWork`).
    var work = 0
    /// The world after the command, when the branch kept it.
    var snapshot: World? {
        get { kept?.world }
        set { kept = newValue.map(Kept.init) }
    }
    /// The snapshot behind a reference: a world is about a kilobyte inline, and most
    /// entries keep none, so a script of 10 000 `order` lines would otherwise hold ten
    /// megabytes of empty room.
    private var kept: Kept?

    init(line: String, changesWorld: Bool, steps: Int, time: Millis, work: Int = 0, snapshot: World?) {
        self.line = line
        self.changesWorld = changesWorld
        self.steps = steps
        self.time = time
        self.work = work
        self.snapshot = snapshot
    }

    /// A kept world, shared by the copies of its entry.
    private final class Kept: Sendable {
        let world: World
        init(_ world: World) { self.world = world }
    }
}

/// One line of history the learner is looking at without having typed it: the world part
/// of the way through an entry's `run`, `step` or `advance`, reached by `goto TIME`. It
/// becomes a real entry, `advance DURATION`, if the learner goes on from there.
struct Preview: Sendable {
    /// The entry it starts from.
    var after: Int
    var line: String
    var steps: Int
    /// How far past that entry's time it looks: `switch` back to the branch looks again.
    var wait: Millis
}

/// A line of history with a name: the entries from the session's start, and where the
/// learner is on it. `undo`, `redo` and `goto` move `position`; a command typed before
/// the end starts a new branch, and the old one keeps its future.
public struct Branch: Sendable {
    public var name: String
    public private(set) var entries: [HistoryEntry]
    public internal(set) var position: Int
    var preview: Preview?
    /// Work (steps and commands) since the last snapshot, to decide when to keep one.
    private var sinceSnapshot = 0
    /// How much work separates two snapshots now: it doubles each time the branch has
    /// `maxSnapshots` and every other one is let go.
    private var spacing = Branch.snapshotEvery
    /// The entries after the start that hold a snapshot, in order.
    private var snapshotted: [Int] = []

    /// How much work separates two snapshots at first: a jump replays at most this much.
    static let snapshotEvery = 2_000
    /// What replaying one command costs beyond its steps, in steps: parsing it and
    /// changing the world take about as long as two steps.
    static let commandWork = 2
    /// The most snapshots a branch keeps besides its start. Each holds the tables that
    /// changed after it, so this bounds their memory to a few times the world's.
    static let maxSnapshots = 24

    init(name: String, start: World, seedLine: String) {
        self.name = name
        entries = [HistoryEntry(line: seedLine, changesWorld: true, steps: 0, time: start.now, snapshot: start)]
        position = 0
    }

    public var isAtEnd: Bool { position == entries.count - 1 && preview == nil }

    /// The commands of this branch up to where the learner is: what `save` writes.
    public var script: [String] {
        entries[1..<(position + 1)].map(\.line) + (preview.map { [$0.line] } ?? [])
    }

    /// Adds a command at the end (the caller made sure the learner is at the end).
    mutating func append(_ line: String, changesWorld: Bool, steps: Int, world: World, work: Int, snapshots: Bool = true) {
        sinceSnapshot += work
        let keep = snapshots && changesWorld && sinceSnapshot >= spacing
        if keep { sinceSnapshot = 0 }
        entries.append(HistoryEntry(line: line, changesWorld: changesWorld, steps: steps, time: world.now,
                                    work: work, snapshot: keep ? world : nil))
        position = entries.count - 1
        if keep {
            snapshotted.append(position)
            thin()
        }
    }

    /// With too many snapshots, lets every other one go and doubles the spacing, so the
    /// snapshots stay evenly spread over the whole branch. The start's stays, and so does
    /// the snapshot after any command that alone costs the spacing or more (a long `run`):
    /// without it, a jump there would replay that whole command.
    private mutating func thin() {
        guard snapshotted.count > Branch.maxSnapshots else { return }
        let last = snapshotted.count - 1
        var kept: [Int] = []
        for (n, index) in snapshotted.enumerated() {
            if n % 2 == 1 || n == last || entries[index].work >= spacing {
                kept.append(index)
            } else {
                entries[index].snapshot = nil
            }
        }
        snapshotted = kept
        spacing *= 2
    }

    /// Keeps `world` as the snapshot of the entry the learner is at, so that coming back
    /// to it later costs nothing (the world is shared until either copy changes).
    mutating func keepSnapshot(_ world: World) {
        guard preview == nil, position > 0, entries[position].snapshot == nil else { return }
        entries[position].snapshot = world
        snapshotted.append(position)
        snapshotted.sort()
    }

    /// The branch cut after the learner's place, with a preview made a real entry.
    func truncated(named name: String, previewWorld: World?) -> Branch {
        var branch = self
        branch.name = name
        branch.entries.removeSubrange((position + 1)...)
        if let preview, let previewWorld {
            branch.entries.append(HistoryEntry(line: preview.line, changesWorld: true, steps: preview.steps,
                                               time: previewWorld.now, snapshot: previewWorld))
            branch.position = branch.entries.count - 1
        }
        branch.preview = nil
        branch.sinceSnapshot = 0
        branch.snapshotted = branch.snapshotted.filter { $0 <= branch.position && branch.entries[$0].snapshot != nil }
        return branch
    }

    /// The nearest entry at or before `index` that holds a snapshot (entry 0 always does).
    func snapshotIndex(atOrBefore index: Int) -> Int {
        var i = index
        while entries[i].snapshot == nil { i -= 1 }
        return i
    }

    /// The entry before the last one at or before the learner's place that changed the
    /// world: where `undo` goes. Nil when nothing can be undone.
    var undoTarget: Int? {
        if let preview { return preview.after }
        var i = position
        while i > 0, !entries[i].changesWorld { i -= 1 }
        return i > 0 ? i - 1 : nil
    }

    /// The next entry after the learner's place that changes the world: where `redo` goes.
    var redoTarget: Int? {
        var i = position + 1
        while i < entries.count, !entries[i].changesWorld { i += 1 }
        return i < entries.count ? i : nil
    }
}
