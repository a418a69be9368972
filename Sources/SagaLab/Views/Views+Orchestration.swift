/// The orchestrator's views: the declared saga, execution histories, and `compare`.
extension Views {
    public func sagaDefinition() -> String {
        let definition = world.sagaDefinition
        var out = ["orchestrated saga (flow \(world.flow.rawValue)), run by the orchestrator in orders:"]
        out.append(Table(["#", "step", "participant", "action", "compensation"], definition.steps.enumerated().map { index, step in
            ["\(index + 1)", step.task.rawValue, step.task.participant.rawValue, step.task.action,
             step.task.compensation?.rawValue ?? (step.kind == .retriable ? "none (must succeed)" : "none")]
        }).render(style, indent: "  ", until: shouldStop))
        // Each step's kind on a line of its own: as a sixth column the table is too wide for 80 columns.
        if definition.steps.allSatisfy({ $0.kind == .compensatable }) {
            out.append("every step is compensatable")
        } else {
            out.append(TextWrap.wrap(definition.steps.map { step in
                "\(step.task.rawValue) is \(step.kind == .pivot ? "the pivot" : step.kind.rawValue)"
            }.joined(separator: ", "), width: style.proseWidth, hanging: "  "))
        }
        out.append("retry (on \(TaskError.retriable.map(\.rawValue).joined(separator: ", "))):")
        for step in definition.steps { out.append("  \(padRight(step.task.rawValue, 18))\(step.retry.summary)") }
        out.append("catch States.ALL: compensate the completed steps in reverse order, then the order is FAILED")
        out.append("not retried: \(TaskError.allBusiness.map(\.rawValue).joined(separator: ", ")) (business answers)")
        out.append("step-timeout \(VirtualTime.duration(world.settings.stepTimeout)), saga-deadline \(VirtualTime.duration(world.settings.sagaDeadline)), durable-timers \(world.patterns.durableTimers ? "on" : "off")")
        out.append(world.rollback == .pivot
            ? "after the pivot the saga only goes forward: a missed deadline no longer compensates it"
            : "rollback any-step: no pivot; any step that fails for good compensates the saga")
        return out.joined(separator: "\n")
    }

    public func execution(_ id: String?) throws -> String {
        let executions = world.orders.executions
        guard let id else {
            guard !executions.isEmpty else { return "no executions yet; `mode orchestration`, then place an order" }
            return Table(["execution", "order", "status", "at", "attempt", "completed"], executions.map { e in
                ["\(e.id)", "\(e.orderId)", e.status.rawValue, e.isActive ? e.current.rawValue : "", e.isActive ? "\(e.attempt)" : "",
                 e.completed.map(\.rawValue).joined(separator: " ")]
            }).render(style, until: shouldStop)
        }
        let found = ExecutionId(parsing: id).flatMap(world.orders.execution) ?? OrderId(parsing: id).flatMap(world.orders.execution(forOrder:))
        guard let execution = found else {
            if world.orders.order(named: id) != nil { throw WorldError("\(id) is not orchestrated: it has no execution (`mode orchestration` applies to new orders)") }
            throw WorldError("no execution for \(quoted(id))\(Suggest.hint(id, in: executions.map(\.orderId.description) + executions.map(\.id.description))); give an order id (ord-1) or an execution id (exec-1)")
        }
        var out = ["\(execution.id) for \(execution.orderId): \(execution.status.rawValue)"
            + (execution.failure.map { " (\($0))" } ?? "")]
        out.append(Table(["#", "time", "event", "state", "attempt", "detail"], execution.history.enumerated().map { index, event in
            ["\(index + 1)", VirtualTime.stamp(event.time), event.type, event.task?.rawValue ?? "",
             event.attempt.map { "\($0)" } ?? "", event.detail]
        }).render(style, until: shouldStop))
        return out.joined(separator: "\n")
    }

    public func compare(_ comparison: Comparison) -> String {
        let runs = comparison.runs
        var rows: [[String]] = []
        func row(_ label: String, _ value: (Comparison.Run) -> String) { rows.append([label] + runs.map(value)) }
        row("confirmed") { "\($0.confirmed)" }
        row("cancelled or failed") { "\($0.unsuccessful)" }
        row("still pending") { "\($0.pending)" }
        row("messages sent") { "\($0.messages)" }
        row("time until quiet") { $0.stillBusy ? "still busy" : VirtualTime.duration($0.settleTime) }
        row("invariants held") { "\($0.held) of \($0.judged)" }
        let orders = comparison.orders.map { "\($0.customer) \($0.items.map(\.description).joined(separator: " "))" }
        var out = ["compare: \(orders.count) new order\(orders.count == 1 ? "" : "s") (\(orders.prefix(3).joined(separator: ", "))\(orders.count > 3 ? ", ..." : "")), from two copies of this world (seed \(world.seed))"]
        out.append(Table([""] + runs.map(\.mode.rawValue), rows).render(style, until: shouldStop))
        for run in runs where !run.broken.isEmpty {
            out.append("\(run.mode.rawValue) broke: \(run.broken.joined(separator: "; "))")
        }
        out.append("this world is unchanged")
        return out.joined(separator: "\n")
    }
}
