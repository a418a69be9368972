/// `show pending` and what `explore` found, in words.
extension Views {
    public func pending() -> String {
        let items = world.pending
        guard !items.isEmpty else { return "nothing is pending: \(world.idleReason)" }
        var out = ["what could happen next (`pick N` performs one now):"]
        let width = String(items.count).count
        for (index, item) in items.enumerated() {
            // Hundreds of thousands of deliveries wait in a large world: Ctrl-C stops the list.
            if index % Table.stride == 0, index > 0, shouldStop() { break }
            let number = String(repeating: " ", count: width - String(index + 1).count) + "\(index + 1)"
            let prefix = "  \(number)  \(VirtualTime.stamp(item.time))  "
            let text = TextWrap.wrap(world.describe(item.action), width: style.proseWidth - prefix.count)
                .split(separator: "\n").joined(separator: "\n" + String(repeating: " ", count: prefix.count))
            out.append(prefix + text)
        }
        return out.joined(separator: "\n")
    }

    /// The first line of every exploration report: how much was searched.
    func searched(_ report: Explorer.Report, _ budget: Explorer.Budget, rate: Double?) -> String {
        let faults = budget.faults == 1 ? "1 fault" : "\(budget.faults) faults"
        var line = "explored \(report.explored) state\(report.explored == 1 ? "" : "s") (\(report.distinct) distinct), "
            + "schedules up to \(report.depth) action\(report.depth == 1 ? "" : "s") and \(faults)"
        if let rate { line += ", \(Int(rate)) states/s" }
        var out = [TextWrap.wrap(line, width: style.proseWidth, hanging: "  ")]
        for orders in report.alike {
            let names = orders.map(\.description)
            let list = names.dropLast().joined(separator: ", ") + " and " + names.last!
            out.append(TextWrap.wrap("\(list) are alike: a state and its copy with them swapped count as one",
                                     width: style.proseWidth, indent: "  ", hanging: "    "))
        }
        return out.joined(separator: "\n")
    }

    /// `outgrew`: the memory the search held when it stopped for want of more.
    public func exploration(_ report: Explorer.Report, _ budget: Explorer.Budget, rate: Double? = nil,
                            outgrew memory: MemoryCeiling.Excess? = nil) -> String {
        var out = [searched(report, budget, rate: rate)]
        switch report.ending {
        case .exhausted:
            out.append(style.paint("no invariant can break within this budget (exhausted)", .green))
        case .budgetReached:
            out.append(style.paint("budget reached before exhausting; nothing broke so far", .yellow))
            out.append("  raise depth= or states= to search further")
        case .stopped:
            if let memory {
                out.append(style.paint(TextWrap.wrap("stopped before exhausting: the search grew to "
                    + "\(Views.bytes(memory.inUse)), past the \(Views.bytes(memory.limit)) this machine can safely give it; "
                    + "nothing broke so far", width: style.proseWidth, hanging: "  "), .yellow))
                out.append("  lower states= or depth= to search within it")
            } else {
                out.append(style.paint("stopped before exhausting; nothing broke so far", .yellow))
            }
        case .broken(let example):
            out += counterexample(example, heading: example.isMinimal ? "a minimal schedule that breaks it"
                : "a schedule that breaks it, Ctrl-C stopped its shrinking")
        }
        return out.joined(separator: "\n")
    }

    public func swarm(_ report: Swarm.Report, _ budget: Swarm) -> String {
        let faults = budget.budget.faults == 1 ? "1 fault" : "\(budget.budget.faults) faults"
        var out = [TextWrap.wrap("played \(report.played) random schedule\(report.played == 1 ? "" : "s") "
            + "(\(report.actions) action\(report.actions == 1 ? "" : "s"), up to \(budget.budget.depth) "
            + "action\(budget.budget.depth == 1 ? "" : "s") and \(faults) each)", width: style.proseWidth, hanging: "  ")]
        switch report.ending {
        case .held:
            out.append(style.paint("every invariant held in every schedule", .green))
        case .stopped:
            out.append(style.paint("stopped; every invariant held in the schedules played", .yellow))
        case .broken(let example, let number):
            out += counterexample(example, heading: example.isMinimal ? "schedule \(number), shrunk to what it needs"
                : "schedule \(number), partly shrunk before Ctrl-C")
        }
        return out.joined(separator: "\n")
    }

    func counterexample(_ example: Counterexample, heading: String) -> [String] {
        var out = [style.paint("invariant broken: \(example.title)", .red)]
        if !example.evidence.isEmpty { out.append(TextWrap.wrap(example.evidence, width: style.proseWidth, indent: "  ")) }
        let lines = Views.scheduleCommands(example, from: world)
        let count = lines.schedule.count
        if count == 0 && lines.settling.isEmpty {
            out.append("it is broken already in this world, before any schedule (`check` shows it)")
            return out
        }
        if count == 0 {
            out.append("no schedule is needed: the world breaks it just running to the end:")
        } else {
            out.append("\(heading) (\(count) command\(count == 1 ? "" : "s")):")
            out += lines.schedule.map { "  " + $0 }
            if !lines.settling.isEmpty { out.append("then every fault is healed and the world runs to the end:") }
        }
        out += lines.settling.map { "  " + $0 }
        for note in example.promisesBroken.compactMap(\.promiseText) {
            out.append(TextWrap.wrap("note: \(note); no pattern here can repair a broken promise of the bus",
                                     width: style.proseWidth, hanging: "  "))
        }
        for cause in example.causes {
            out.append(TextWrap.wrap("note: " + cause.text, width: style.proseWidth, hanging: "  "))
        }
        out.append("`explore save FILE` writes it as a script that `sagalab run FILE` replays")
        return out
    }

    /// A counterexample as lab commands, replayed from `world` so that every `pick` gets
    /// the number `show pending` gives it at that moment, with what it picks as a comment.
    static func scheduleCommands(_ example: Counterexample, from world: World) -> (schedule: [String], settling: [String]) {
        var world = world
        // The settling heals, restarts, redrives and runs: it picks nothing, so it is not
        // played (in a large world its runs take seconds).
        func commands(_ actions: [ScheduleAction], playing: Bool = true) -> [String] {
            actions.flatMap { action in
                let number = world.pickNumber(action)
                var lines = action.command(pick: number).split(separator: "\n").map(String.init)
                switch action {
                case .pick(let picked), .crashDuring(let picked, _, _), .crashPublisherDuring(let picked, _):
                    var line = lines.removeLast()
                    line += String(repeating: " ", count: max(1, 9 - line.count)) + "# " + world.describe(picked)
                    if line.count > 76 { line = String(line.prefix(73)) + "..." }
                    lines.append(line)
                default: break
                }
                if playing { world.perform(action) }
                return lines
            }
        }
        let schedule = commands(example.schedule)
        return (schedule, commands(example.settling, playing: false))
    }

    /// A size in bytes as a learner reads it: `512 MB`, `2.1 GB`.
    static func bytes(_ count: Int) -> String {
        let megabytes = (count + (1 << 19)) >> 20
        guard megabytes >= 1024 else { return "\(megabytes) MB" }
        let tenths = (megabytes * 10 + 512) / 1024
        return "\(tenths / 10).\(tenths % 10) GB"
    }
}
