/// The outbox publisher of a service (the EventBridge shop's scheduled publisher): reads the
/// unpublished rows in order, hands each to the bus, then marks it published.
///
/// With `publishers in-service` it runs inside its service and stops when the service does.
/// With `publishers own-process` it is a process of its own (`orders-publisher`), as the
/// EventBridge shop's scheduled function is: it reads the service's database whether or not
/// the service runs, and crashes and restarts by itself. Either way it shares its service's
/// network, so a partition of the service cuts it off too.
extension World {
    /// What one publisher poll did.
    public enum PollResult: Hashable, Sendable {
        case published(Int)
        case nothingToPublish
        case notRunning(String)
        case crashed
    }

    /// About how many deliveries a poll of `service`'s publisher puts on the agenda now: its
    /// rows waiting, times the subscribers of the first one's type.
    private func deliveriesAhead(_ service: ServiceName) -> Int {
        guard let first = nodes[service.index].outbox.nextToPublish else { return 0 }
        return node(service).outbox.unpublishedCount * subscribers(of: first.type, orchestrated: first.orchestrated).count
    }

    /// The periodic poll from the agenda: schedules the next one, then polls.
    mutating func scheduledPoll(_ service: ServiceName) {
        agenda.schedule(.poll(service), at: now + settings.publishInterval)
        _ = poll(service)
    }

    /// One poll of `service`'s publisher, now (the `publish` command and the agenda both use it).
    public mutating func poll(_ service: ServiceName) -> PollResult {
        let ownProcess = publishers == .ownProcess
        guard node(service).publisherUp else {
            return .notRunning(ownProcess ? "\(service.publisherName) is down" : "\(service.rawValue) is down")
        }
        guard !node(service).isPartitioned else { return .notRunning("\(service.rawValue) cannot reach the bus (partitioned)") }
        let (time, ttl) = (now, settings.outboxTTL)
        if let oldest = nodes[service.index].outbox.oldestPublishedAt, oldest + ttl <= time {
            updateNode(service) { $0.outbox.expire(now: time, ttl: ttl) }
        }
        let pending = node(service).outbox.unpublishedCount
        guard pending > 0 else { return .nothingToPublish }
        // The batch lands over the latencies' range: its buckets start with room for it, and
        // for the batches of the publishers that poll at this same moment, which land on
        // the same times.
        if pending > 64 {
            var expected = deliveriesAhead(service)
            for other in agenda.pollsDue(at: now) where other != service && node(other).publisherReachable {
                expected += deliveriesAhead(other)
            }
            agenda.expect(expected, over: settings.latencyMax - settings.latencyMin + 1, from: now + settings.latencyMin)
        }
        defer { agenda.expect(0, over: 1) }
        var count = 0
        while count < pending, let event = nodes[service.index].outbox.nextToPublish {
            // The row's send is recorded with its mark, in one write, or alone when a crash
            // strikes between the two: nothing in between reads how often it was sent.
            publishToBus(event, via: .outbox, byPublisher: ownProcess)
            if crashIfArmed(service, at: .afterPublish, order: event.orderId, inPublisher: ownProcess) {
                nodes[service.index].outbox.recordSend(event.id)
                log(.message(.sentNeverMarked(eventId: event.id)), service, order: event.orderId, event: event.id,
                    byPublisher: ownProcess)
                return .crashed
            }
            nodes[service.index].outbox.markSentAndPublished(event.id, at: now, trims: false)
            count += 1
        }
        nodes[service.index].outbox.trimIfDue()
        return .published(count)
    }
}
