/// The EventBridge shop's monitoring, the dashboard's metrics and its four alarms, plus the lab's own
/// count of dead letters and its alarm, computed from the world's databases at the current
/// virtual time.
public struct Metrics: Equatable, Sendable {
    public struct Minute: Equatable, Sendable {
        public var start: Millis
        public var created = 0
        public var confirmed = 0
        public var cancelled = 0
    }

    public var created: Int
    public var confirmed: Int
    public var cancelled: Int
    public var perMinute: [Minute]
    /// Confirmed / created, percent; nil before the first order.
    public var successRate: Double?
    /// Cancelled / created, percent.
    public var compensationRate: Double?
    public var averageSagaDuration: Millis?
    public var outboxLag: [(service: ServiceName, lag: Millis)]
    public var failedEvents: Int
    public var sagasNeedingCompensation: Int
    /// Messages waiting in every service's dead-letter queue.
    public var deadLetters: Int

    public static func == (a: Metrics, b: Metrics) -> Bool {
        a.created == b.created && a.confirmed == b.confirmed && a.cancelled == b.cancelled && a.perMinute == b.perMinute
            && a.successRate == b.successRate && a.averageSagaDuration == b.averageSagaDuration
            && a.outboxLag.elementsEqual(b.outboxLag, by: { $0.service == $1.service && $0.lag == $1.lag })
            && a.failedEvents == b.failedEvents && a.sagasNeedingCompensation == b.sagasNeedingCompensation
            && a.deadLetters == b.deadLetters
    }

    public init(_ world: World) {
        let orders = world.orders.orders
        created = orders.count
        confirmed = orders.filter { $0.status == .confirmed }.count
        cancelled = orders.filter { $0.status.isUnsuccessful }.count
        var minutes: [Millis: Minute] = [:]
        func bump(_ time: Millis, _ change: (inout Minute) -> Void) {
            let start = time - time % VirtualTime.minute
            var minute = minutes[start] ?? Minute(start: start)
            change(&minute)
            minutes[start] = minute
        }
        for order in orders {
            bump(order.createdAt) { $0.created += 1 }
            if let settled = order.settledAt {
                bump(settled) { order.status == .confirmed ? ($0.confirmed += 1) : ($0.cancelled += 1) }
            }
        }
        perMinute = minutes.values.sorted { $0.start < $1.start }
        successRate = created == 0 ? nil : Double(confirmed) / Double(created) * 100
        compensationRate = created == 0 ? nil : Double(cancelled) / Double(created) * 100
        let durations = orders.filter { $0.status == .confirmed }.compactMap { o in o.settledAt.map { $0 - o.createdAt } }
        averageSagaDuration = durations.isEmpty ? nil : durations.reduce(0, +) / durations.count
        outboxLag = ServiceName.publishers.map { ($0, world.node($0).outbox.lag(now: world.now)) }
        failedEvents = world.published.filter { $0.event.type.isFailure && !$0.event.isMalformed }.count
        sagasNeedingCompensation = world.orders.sagas.filter(\.compensationRequired).count
        deadLetters = ServiceName.allCases.reduce(0) { $0 + world.node($1).deadLetters.count }
    }

    /// The EventBridge shop's alarms with their thresholds (its guide adds
    /// EventProcessingFailure to the first three), then the lab's `DeadLetters`.
    public struct Alarm: Equatable, Sendable {
        public var name: String
        public var rule: String
        public var value: String
        public var firing: Bool
    }

    public var alarms: [Alarm] {
        let worstLag = outboxLag.map(\.lag).max() ?? 0
        return [
            Alarm(name: "HighCompensationRate", rule: "cancelled / created > 10%",
                  value: compensationRate.map { percent($0) } ?? "n/a", firing: (compensationRate ?? 0) > 10),
            Alarm(name: "OutboxLag", rule: "oldest unpublished event > 5m",
                  value: VirtualTime.duration(worstLag), firing: worstLag > 5 * VirtualTime.minute),
            Alarm(name: "FailedSagas", rule: "sagas needing compensation > 5",
                  value: "\(sagasNeedingCompensation)", firing: sagasNeedingCompensation > 5),
            Alarm(name: "EventProcessingFailure", rule: "failed events > 5",
                  value: "\(failedEvents)", firing: failedEvents > 5),
            Alarm(name: "DeadLetters", rule: "dead letters waiting > 0",
                  value: "\(deadLetters)", firing: deadLetters > 0),
        ]
    }
}
