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

    /// The Kafka shop's own figures, as its document defines them: an order is successful
    /// once it passed payment, failed when payment failed, and revenue is the sum of the
    /// payments taken, even those refunded later when inventory failed.
    public var paymentsPassed = 0
    public var paymentsFailed = 0
    public var paymentRevenue = 0

    /// When the next report is due: set by the first event counted after a report, so a
    /// report is printed only when there is something new to say.
    public internal(set) var reportDue: Millis?

    /// How long a window is kept after it ends (the Kafka shop keeps the last 60 minutes).
    public static let windowRetention: Millis = 60 * VirtualTime.minute

    public var successRate: Double? {
        let settled = successful + failed
        return settled == 0 ? nil : Double(successful) / Double(settled) * 100
    }

    /// The Kafka shop's success rate: passed payment over payments decided.
    public var paymentSuccessRate: Double? {
        let decided = paymentsPassed + paymentsFailed
        return decided == 0 ? nil : Double(paymentsPassed) / Double(decided) * 100
    }

    /// Orders in the window that holds the stream time: the Kafka shop's "orders last minute".
    public var ordersLastMinute: Int { windows[streamTime - streamTime % VirtualTime.minute] ?? 0 }

    /// The Kafka shop's console report, as it prints it every 10 seconds.
    public var report: AnalyticsReport {
        AnalyticsReport(orders: orderCount, successful: paymentsPassed, failed: paymentsFailed,
                        revenue: paymentRevenue, lastMinute: ordersLastMinute)
    }

    /// Drops the windows that ended more than `windowRetention` of stream time ago. At most
    /// 61 windows are kept, so this costs O(1) per event.
    @inline(__always)
    mutating func retireWindows() {
        guard windows.count > 61 || windows.keys.contains(where: { $0 + VirtualTime.minute + AnalyticsDB.windowRetention <= streamTime })
        else { return }
        windows = windows.filter { $0.key + VirtualTime.minute + AnalyticsDB.windowRetention > streamTime }
    }
}

/// One periodic report of the analytics service, with the Kafka shop's figures: orders
/// counted, orders that passed or failed payment, the payments taken, and orders in the
/// minute that holds the stream time.
public struct AnalyticsReport: Hashable, Sendable {
    public var orders: Int
    public var successful: Int
    public var failed: Int
    public var revenue: Int
    public var lastMinute: Int

    public var successRate: Double? {
        successful + failed == 0 ? nil : Double(successful) / Double(successful + failed) * 100
    }
}
