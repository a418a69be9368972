/// The views of dead letters and retry policies: `show dlq` and `retry`.
extension Views {
    /// `show dlq [SERVICE]`: the dead letters waiting, oldest first.
    public func deadLetters(_ service: ServiceName?) -> String {
        let letters = world.deadLetters.filter { service == nil || $0.service == service }
        guard !letters.isEmpty else {
            return service.map { "the \($0.rawValue) dead-letter queue is empty" } ?? "no dead letters"
        }
        return Table(["id", "service", "event", "type", "order", "attempts", "error", "since"], letters.map { letter in
            ["\(letter.id)", letter.service.rawValue, letter.eventId, letter.typeName, "\(letter.orderId)", "\(letter.attempts)",
             letter.error, VirtualTime.stamp(letter.failedAt)]
        }).render(style, until: shouldStop)
    }

    /// `retry`: each retry policy as the command that sets it, then in words. `target`
    /// limits it to one policy.
    public func retryPolicies(_ target: String?) -> String {
        var out: [String] = []
        if target == nil || target == "consumers" {
            let policy = world.settings.consumerRetries
            out.append("retry consumers \(policy.arguments)")
            out.append("  " + policy.summary)
        }
        for step in SagaTask.steps where target == nil || target == "steps" || target == step.rawValue {
            let policy = world.retryPolicy(step)
            var words = ["interval=\(VirtualTime.duration(policy.interval))", "attempts=\(policy.maxAttempts)",
                         "backoff=\(RetryPolicy.rate(policy.backoffRate))"]
            if let cap = policy.maxDelay { words.append("max-delay=\(VirtualTime.duration(cap))") }
            words.append("jitter=\(policy.jitter.rawValue.lowercased())")
            out.append("retry \(step.rawValue) " + words.joined(separator: " "))
            let waits = (1...max(1, policy.maxAttempts)).map { VirtualTime.duration(policy.wait(beforeRetry: $0)) }
            out.append(policy.maxAttempts == 0 ? "  never retried: the first retriable error goes to the catch"
                : "  up to \(policy.maxAttempts) retr\(policy.maxAttempts == 1 ? "y" : "ies") after \(waits.joined(separator: ", "))"
                    + (policy.jitter == .full ? " (each drawn from 0 up to that, FULL jitter)" : "") + ", then the catch compensates")
        }
        return out.joined(separator: "\n")
    }

    /// ` (inventory 1, rewards 2)` after the dead-letter count of `show metrics`.
    var deadLetterBreakdown: String {
        let counts = ServiceName.allCases.compactMap { service -> String? in
            let n = world.node(service).deadLetters.count
            return n == 0 ? nil : "\(service.rawValue) \(n)"
        }
        return counts.isEmpty ? "" : " (" + counts.joined(separator: ", ") + ")"
    }
}
