/// A Step Functions `Retry` block for one saga step: how often and how far apart the
/// orchestrator tries a task again after a retriable error.
///
/// The wait before retry n is `interval × backoffRate^(n−1)`, capped at `maxDelay`;
/// with FULL jitter the wait is drawn uniformly from zero to that value by the world's
/// seeded generator. `maxAttempts` counts retries after the first try, as in Step
/// Functions (3 means up to 4 calls; 0 means never retry).
public struct RetryPolicy: Hashable, Sendable {
    public enum Jitter: String, CaseIterable, Sendable {
        case full = "FULL"
        case none = "NONE"
    }

    public var interval: Millis = VirtualTime.second
    public var maxAttempts = 3
    public var backoffRate = 2.0
    public var maxDelay: Millis?
    public var jitter: Jitter = .none

    public init() {}

    /// The wait before retry `n` (1-based) without jitter.
    public func wait(beforeRetry n: Int) -> Millis {
        var wait = Double(interval)
        for _ in 1..<max(1, n) { wait *= backoffRate }
        let capped = min(wait, Double(maxDelay ?? Millis.max / 4), Double(365 * VirtualTime.day))
        return Millis(capped.rounded())
    }

    /// The policy as Step Functions fields: `interval 1s, max attempts 3, backoff 2.0`.
    public var summary: String {
        var parts = ["interval \(VirtualTime.duration(interval))", "max attempts \(maxAttempts)", "backoff \(RetryPolicy.rate(backoffRate))"]
        if let maxDelay { parts.append("max delay \(VirtualTime.duration(maxDelay))") }
        parts.append("jitter \(jitter.rawValue)")
        return parts.joined(separator: ", ")
    }

    /// A backoff rate with at most two decimals: `2.0`, `1.5`, `1.25`.
    public static func rate(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let whole = hundredths / 100
        let fraction = hundredths % 100
        if fraction == 0 { return "\(whole).0" }
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)" : "\(whole).\(VirtualTime.pad(fraction, 2))"
    }
}
