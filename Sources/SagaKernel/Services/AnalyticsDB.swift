/// The analytics service's state: running aggregates over the events it consumes, and
/// orders per one-minute tumbling window of event time (the Kafka shop's streaming analytics).
public struct AnalyticsDB: Hashable, Sendable {
    public var revenue = 0
    public var orderCount = 0
    public var successful = 0
    public var failed = 0
    public var eventsSeen = 0
    /// Orders per window, keyed by the window's start (a multiple of one minute).
    public var windows: [Millis: Int] = [:]
    /// The highest event time seen: Kafka Streams' "stream time".
    public var streamTime: Millis = 0
    /// Records that arrived after their window closed (window end + grace ≤ stream time).
    public var lateDropped = 0

    public var successRate: Double? {
        let settled = successful + failed
        return settled == 0 ? nil : Double(successful) / Double(settled) * 100
    }
}
