/// `rebuild SERVICE`: a projection thrown away and rebuilt by replaying the event store.
///
/// Analytics' figures and rewards' balances are projections: each is what its handler made
/// of the events it consumed, and nothing else. The service's own process reads the store
/// in store order, sends every row its rules route to it through the same handler a
/// delivery would run, then compares what it built with what it had and keeps the new
/// state. The replay follows the service's recipe: where it marks processed events, a
/// second row of an event already applied is skipped and the rebuilt processed-events
/// table holds a mark for every event replayed, so a delivery still in flight is not
/// applied on top; where it marks nothing, every row is applied, a stored duplicate twice.
///
/// Replay cannot bring back what the store never held: an event lost between a commit and
/// a direct publish (the dual write) never reached the bus nor the store.
extension World {
    /// The services whose state is a projection of events, which `rebuild` can replay.
    public static let projections: [ServiceName] = [.analytics, .rewards]

    /// What a rebuild found and did, as the trace keeps it.
    public struct Rebuild: Hashable, Sendable {
        /// One way the rebuilt state differs from what the service had.
        public enum Difference: Hashable, Sendable {
            /// An analytics figure: what it was, what the replay made of it.
            case figure(AnalyticsFigure, was: Int, now: Int)
            /// The orders counted in this many one-minute windows differ.
            case windows(Int)
            /// A customer's points.
            case points(customer: String, was: Int, now: Int)
        }

        /// An event the replay applied more than once, and how many rows the store holds of it.
        public struct Repeat: Hashable, Sendable {
            public var eventId: EventId
            public var type: EventType
            public var applied: Int
            public var stored: Int
        }

        public var service: ServiceName
        /// The stored rows routed to the service, all of which the replay read.
        public var rows: Int
        /// Rows skipped because the replay had already applied (and marked) their event.
        public var skipped: [EventId]
        /// Events applied more than once, where the service keeps no processed marks.
        public var repeats: [Repeat]
        public var differences: [Difference]

        public var isEqual: Bool { differences.isEmpty }
    }

    /// The analytics figures a rebuild compares, in the order `show analytics` lists them.
    public enum AnalyticsFigure: Hashable, Sendable, CaseIterable {
        case orders, successful, failed, revenue, eventsConsumed, streamTime, lateDropped
        case paymentsPassed, paymentsFailed, paymentRevenue

        func value(_ a: AnalyticsDB) -> Int {
            switch self {
            case .orders: return a.orderCount
            case .successful: return a.successful
            case .failed: return a.failed
            case .revenue: return a.revenue
            case .eventsConsumed: return a.eventsSeen
            case .streamTime: return a.streamTime
            case .lateDropped: return a.lateDropped
            case .paymentsPassed: return a.paymentsPassed
            case .paymentsFailed: return a.paymentsFailed
            case .paymentRevenue: return a.paymentRevenue
            }
        }
    }

    /// `rebuild` was told to stop before it had replayed every stored event. The world is
    /// then half rebuilt: the caller keeps the world it had before.
    public struct RebuildStopped: Error {}

    /// Throws away `service`'s projection, rebuilds it from the event store, logs whether
    /// it equals what it had, and keeps the rebuilt one. Refused for a service whose state
    /// is its own record, and for one that is down or cut off from the store. Asks
    /// `shouldStop` every `rebuildStride` stored events (a million orders store five
    /// million) and throws `RebuildStopped` when told to.
    @discardableResult
    public mutating func rebuild(_ service: ServiceName, until shouldStop: () -> Bool = { false }) throws -> Rebuild {
        let name = service.rawValue
        let works = "rebuild works for analytics and rewards"
        switch service {
        case .orders: throw WorldError("orders' orders and sagas are its own record, not a projection of events; \(works)")
        case .inventory: throw WorldError("inventory's stock is its own record, not a projection of events; \(works)")
        case .payment: throw WorldError("payment's charges are its own record, not a projection of events; \(works)")
        case .rewards, .analytics: break
        }
        guard node(service).isUp else {
            throw WorldError("\(name) is down and cannot replay the store; `restart \(name)` first")
        }
        guard !node(service).isPartitioned else {
            throw WorldError("\(name) is partitioned and cannot reach the event store; `heal` first")
        }
        let oldAnalytics = analytics
        let oldRewards = rewards
        if service == .analytics {
            // A report already on the agenda stays due; the replay does not add another.
            let due = analytics.reportDue
            analytics = AnalyticsDB()
            analytics.reportDue = due
        } else {
            var fresh = RewardsDB()
            fresh.notifications = rewards.notifications
            rewards = fresh
        }
        applications.forgetEvents(of: service)
        updateNode(service) { $0.processed.dropEventMarks() }

        var result = Rebuild(service: service, rows: 0, skipped: [], repeats: [], differences: [])
        var applied: [Int32] = []
        var stored: [Int32] = []
        var repeated: [Event] = []
        let publications = published.events
        for index in 0..<eventStore.count {
            if index % World.rebuildStride == 0, index > 0, shouldStop() { throw RebuildStopped() }
            let event = eventStore.event(at: index, in: publications)
            guard !event.isMalformed else { continue }
            let n = Int(event.id.number)
            stored.grow(toInclude: n, with: 0)
            stored[n] += 1
            let handlers = subscribers(of: event).filter { $0.target == service }.map(\.handler)
            guard !handlers.isEmpty else { continue }
            result.rows += 1
            let marks = patterns.recipes.recipe(service, for: event.type).contains(.mark)
            for handler in handlers {
                applied.grow(toInclude: n, with: 0)
                if marks && applied[n] > 0 {
                    result.skipped.append(event.id)
                    continue
                }
                applied[n] += 1
                if applied[n] == 2 { repeated.append(event) }
                if replay(handler, event) { countApplication(service, .event(event.id)) }
                let time = now
                if marks { updateNode(service) { $0.processed.mark(event, at: time) } }
            }
        }
        result.repeats = repeated.map { event in
            let n = Int(event.id.number)
            return Rebuild.Repeat(eventId: event.id, type: event.type, applied: Int(applied[n]), stored: Int(stored[n]))
        }
        result.differences = service == .analytics
            ? World.differences(oldAnalytics, analytics)
            : World.differences(oldRewards, rewards)
        log(.lab(.rebuilt(result)), service)
        announceInvariants()
        return result
    }

    /// Stored events replayed between two looks at `shouldStop`.
    public static let rebuildStride = 4096

    /// Runs a projection's handler for one stored event; true when it changed state.
    private mutating func replay(_ handler: Handler, _ event: Event) -> Bool {
        var effect = Effect()
        switch handler {
        case .aggregate: _ = aggregate(event, &effect)
        case .awardPoints: _ = awardPoints(for: event, &effect)
        case .revokePoints: _ = revokePoints(for: event, &effect)
        case .reserveStock, .releaseStock, .markSold, .chargePayment, .refundPayment, .recordStep, .cancelOrder, .startSaga:
            preconditionFailure("\(handler.rawValue) is not a projection's handler")
        }
        return effect.changed
    }

    static func differences(_ old: AnalyticsDB, _ new: AnalyticsDB) -> [Rebuild.Difference] {
        var out: [Rebuild.Difference] = AnalyticsFigure.allCases.compactMap { figure in
            let (was, now) = (figure.value(old), figure.value(new))
            return was == now ? nil : .figure(figure, was: was, now: now)
        }
        let starts = Set(old.windows.keys).union(new.windows.keys)
        let differing = starts.filter { old.windows[$0] != new.windows[$0] }.count
        if differing > 0 { out.append(.windows(differing)) }
        return out
    }

    /// Customers in the order they first earned points before, then those new to the rebuilt ledger.
    static func differences(_ old: RewardsDB, _ new: RewardsDB) -> [Rebuild.Difference] {
        var customers = old.customers
        var seen = Set(customers)
        for customer in new.customers where seen.insert(customer).inserted { customers.append(customer) }
        return customers.compactMap { customer in
            let (was, now) = (old.points(of: customer), new.points(of: customer))
            return was == now ? nil : .points(customer: customer, was: was, now: now)
        }
    }
}
