/// Time travel through a session: `undo`, `redo`, `history`, `goto`, `branch`,
/// `branches` and `switch`. None of them changes what happened; they change which world
/// the learner is looking at, and which line of history a new command continues.
extension Session {
    /// Where `goto` goes: a history entry by number, or a point in virtual time.
    public enum HistoryTarget: Equatable, Sendable {
        case entry(Int)
        case time(Millis)
    }

    /// The branches the session keeps, the current one included, in the order they began.
    public var branchNames: [String] { branches.map(\.name) }

    /// The entry numbers `goto` takes on this branch, newest first (for TAB).
    public var historyNumbers: [String] { branch.entries.indices.reversed().prefix(20).map { "\($0)" } }

    /// Runs a time-travel command, or returns nil for any other command.
    mutating func travel(_ command: Command) throws -> String? {
        switch command {
        case .undo:
            guard let target = branch.undoTarget else {
                throw WorldError("nothing to undo: no command has changed the world on branch \(branch.name)")
            }
            let undone = branch.preview?.line ?? branch.entries[target + 1].line
            restore(target)
            return "undid `\(undone)`; " + whereabouts()
        case .redo:
            guard let target = branch.redoTarget else {
                throw WorldError("nothing to redo: this is the end of branch \(branch.name)")
            }
            restore(target)
            return "redid `\(branch.entries[target].line)`; " + whereabouts()
        case .history(let all):
            return historyText(all: all)
        case .goto(.entry(let n)):
            guard (0..<branch.entries.count).contains(n) else {
                let last = branch.entries.count - 1
                throw WorldError("no history entry \(n); branch \(branch.name) has entries 0 to \(last) (`history`)")
            }
            restore(n)
            return "at entry \(n), after `\(branch.entries[n].line)`; " + whereabouts()
        case .goto(.time(let time)):
            return try goto(time)
        case .branch(let name):
            return try startBranch(name)
        case .branches:
            return branchesText()
        case .switchBranch(let name):
            guard let index = branches.firstIndex(where: { $0.name == name }) else {
                throw WorldError("no branch \(quoted(name))\(Suggest.hint(name, in: branchNames)); branches: "
                    + branchNames.joined(separator: ", "))
            }
            guard index != current else { return "already on branch \(name); " + whereabouts() }
            current = index
            // Where the learner left it: an entry, or a time part of the way through the next.
            let preview = branch.preview
            restore(branch.position)
            if let preview {
                _ = world.advance(by: preview.wait)
                branch.preview = preview
            }
            return "on branch \(name); " + whereabouts()
        default:
            return nil
        }
    }

    /// Records an accepted command in the history. A command that changes the world typed
    /// away from the end of the branch starts a new branch; the old one keeps its future.
    /// Returns a note for the learner when that happened.
    mutating func record(_ line: String, changesWorld: Bool, steps: Int, before: World?) -> String? {
        var note: String?
        if !branch.isAtEnd {
            guard changesWorld else { return nil }
            let old = branch.name
            let later = branch.entries.count - 1 - branch.position
            let fresh = branch.truncated(named: nextBranchName(), previewWorld: before)
            branches.append(fresh)
            current = branches.count - 1
            let kept = later == 1 ? "its 1 later command" : "its \(later) later commands"
            note = "(branch \(old) keeps \(kept); you are now on branch \(branch.name): `branches` lists them)"
        }
        branch.append(line, changesWorld: changesWorld, steps: steps, world: world, work: steps + Branch.commandWork,
                      snapshots: keepsSnapshots)
        return note
    }

    /// Puts the world of entry `index` of the current branch in place: the nearest
    /// snapshot at or before it, then the commands after that snapshot, replayed.
    mutating func restore(_ index: Int) {
        let from = branch.snapshotIndex(atOrBefore: index)
        guard var rebuilt = branch.entries[from].snapshot else { return }
        replaying = true
        for entry in branch.entries[(from + 1)..<(index + 1)] where entry.changesWorld {
            replay(entry.line, on: &rebuilt)
        }
        replaying = false
        world = rebuilt
        branch.position = index
        branch.preview = nil
    }

    /// Applies one line the session accepted before; it cannot fail the second time,
    /// since the same world and the same command give the same outcome.
    mutating func replay(_ line: String, on world: inout World) {
        guard case .command(let command) = CommandParser.parse(line) else { return }
        _ = try? apply(command, to: &world, traceStart: world.trace.count)
    }

    /// `goto TIME`: the world after everything due at or before `time` on this branch.
    mutating func goto(_ time: Millis) throws -> String {
        let entries = branch.entries
        let end = entries[entries.count - 1].time
        guard time <= end else {
            throw WorldError("branch \(branch.name) reaches only \(VirtualTime.stamp(end)); `goto \(VirtualTime.stamp(end))` "
                + "is its end, and `advance` goes further")
        }
        let later = entries.firstIndex { $0.time > time } ?? entries.count
        let index = max(0, later - 1)
        restore(index)
        guard later < entries.count, entries[index].time < time else {
            return "at entry \(index), after `\(entries[index].line)`; " + whereabouts()
        }
        let wait = time - world.now
        let line = "advance " + (wait % VirtualTime.second == 0 ? VirtualTime.duration(wait) : "\(wait)ms")
        let steps = world.advance(by: wait)
        branch.preview = Preview(after: index, line: line, steps: steps, wait: wait)
        return "at \(VirtualTime.stamp(time)), part of the way through entry \(index + 1) "
            + "(`\(entries[index + 1].line)`): \(steps) step\(steps == 1 ? "" : "s") after entry \(index); "
            + "a command typed here starts a new branch from `\(line)`"
    }

    /// `branch [NAME]`: the current branch keeps everything it has; a new one, starting
    /// where the learner is, becomes current.
    mutating func startBranch(_ requested: String?) throws -> String {
        let name = requested ?? nextBranchName()
        if let requested {
            guard requested.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }),
                  requested.first?.isLetter == true, requested.count <= 24 else {
                throw WorldError("a branch name is a letter, then letters, digits, - or _ (at most 24), not \(quoted(requested))")
            }
            guard !branchNames.contains(requested) else {
                throw WorldError("there is a branch \(requested) already; `switch \(requested)` goes to it")
            }
        }
        let old = branch
        let fresh = branch.truncated(named: name, previewWorld: branch.preview == nil ? nil : world)
        branches.append(fresh)
        current = branches.count - 1
        branch.keepSnapshot(world)
        let kept = old.entries.count - 1
        return "on a new branch \(name) from entry \(branch.position); branch \(old.name) keeps its "
            + "\(kept) command\(kept == 1 ? "" : "s")"
    }

    func nextBranchName() -> String {
        var n = branches.count
        while branchNames.contains("branch-\(n)") { n += 1 }
        return "branch-\(n)"
    }

    /// Where the learner is: the branch, the entry and the virtual time.
    func whereabouts() -> String {
        let place = branch.preview.map { "between entries \($0.after) and \($0.after + 1)" } ?? "entry \(branch.position)"
        return "now \(VirtualTime.stamp(world.now)), \(place) of \(branch.entries.count - 1) on branch \(branch.name)"
    }

    /// `history [all]`: the branch's commands, numbered, with their steps and time.
    func historyText(all: Bool) -> String {
        let entries = branch.entries
        let shown = all ? 0 : max(0, entries.count - Session.historyRows)
        var rows: [[String]] = []
        for (index, entry) in entries.enumerated().dropFirst(shown) {
            let mark = index == branch.position && branch.preview == nil ? "> " : "  "
            rows.append([mark + "\(index)", VirtualTime.stamp(entry.time), entry.steps == 0 ? "-" : "\(entry.steps)",
                         index == 0 ? "(start) \(entry.line)" : entry.line])
            if let preview = branch.preview, preview.after == index {
                rows.append(["> -", VirtualTime.stamp(world.now), "\(preview.steps)", "\(preview.line) (goto, not typed)"])
            }
        }
        var out = ["branch \(branch.name): \(entries.count - 1) command\(entries.count == 2 ? "" : "s")"
            + (shown > 0 ? "; the last \(Session.historyRows) (`history all` shows every one)" : "")]
        out.append(Table(["  #", "time", "steps", "command"], rows).render(style))
        if branch.preview == nil, branch.position < entries.count - 1 {
            out.append("you are at entry \(branch.position): `redo` or `goto N` moves on; a new command starts a branch")
        }
        return out.joined(separator: "\n")
    }

    /// `branches`: every branch with its length and where the learner is on it.
    func branchesText() -> String {
        let rows = branches.enumerated().map { index, shown in
            let mark = index == current ? "> " : "  "
            return [mark + shown.name, "\(shown.entries.count - 1)", "\(shown.position)",
                    VirtualTime.stamp(shown.entries[shown.position].time)]
        }
        return Table(["  branch", "commands", "at entry", "time"], rows).render(style)
    }

    /// How many entries `history` shows without `all`.
    static let historyRows = 30
}
