/// Analytics' own faults in a pause, while a fault is still to come: tried before the pause's
/// first delivery to analytics, not again between its deliveries.
///
/// Deliveries to a sink wait until nothing else can be picked (`reachesSink`), so each pause
/// in the others' work leaves a batch of them for analytics. With no fault left, the batch
/// is taken in agenda order when its order cannot matter (`analyticsBatch`). With one left,
/// it was walked in every order, and every subset of it handled was a moment for analytics
/// to crash, be cut off or crash inside the next delivery: nine in ten of the states of
/// three orders before their fault were such pauses, and the states after those faults
/// three fifths of the search.
///
/// Take a schedule that handles part X of the batch, then makes one of analytics' own faults
/// F (a crash, a cut, a crash inside a delivery of the batch). The schedule that makes F
/// first, and hands analytics X first once it can take deliveries again, before anything
/// else that waits for it, ends the same, when:
/// - Nothing but analytics reads what it holds, and it sends nothing: the rest of the shop
///   does the same work either way, and X's deliveries wait parked or in flight meanwhile.
///   The only safety invariant that reads analytics counts how often an event was applied
///   (`OncePerEvent`), which only ever grows: X applied later is applied as often.
/// - The batch ends the same in any order (`countsAlike`, as for `analyticsBatch`), so X
///   counted after what F left it (the delivery F fell inside, when it did) counts as it
///   did before; handed its parked deliveries, analytics takes them in any order (none
///   waits for a timer, the network's promise), X's first among them.
/// - Nothing decides by chance or by what comes first (no failure percentage, handler error
///   or armed fault), no report reads analytics on a timer (`analytics-report`), and it
///   handles one delivery at a time, each at once.
/// So the explorer keeps analytics' own faults asleep across the batch's deliveries (the
/// sleep sets' machinery: a state reached again with them awake tries them then). Each is
/// still tried where the pause begins, and anywhere else the shop's work allows.
/// `Explorer.reduces` turns it off, for the tests that compare.
extension World {
    /// Whether analytics' own faults, tried or asleep here, stay asleep once a delivery of
    /// the batch waiting for analytics is taken (see above); `pending` are the items pending here.
    func analyticsFaultsWaitForTheBatch(pending: [Agenda.Item]) -> Bool {
        let index = ServiceName.analytics.index
        guard settings.analyticsReport == 0, settings.concurrency[index] == 1, nodes[index].isReachable,
              nodes[index].handlerError == .off, nodes[index].queue.isEmpty, nodes[index].handlings.isEmpty,
              armedCrashes.isEmpty, armedMessageFaults.isEmpty, !leavesToChance
        else { return false }
        var newest = analytics.streamTime
        for item in pending {
            guard case .deliver(let delivery) = item.action, delivery.target == .analytics else { continue }
            guard !delivery.event.isMalformed else { return false }
            newest = max(newest, delivery.event.createdAt)
        }
        return pending.allSatisfy { item in
            guard case .deliver(let delivery) = item.action, delivery.target == .analytics else { return true }
            return countsAlike(delivery.event, through: newest)
        }
    }
}

extension ScheduleAction {
    /// A crash of analytics, inside one of its deliveries or not, or its cut.
    var isAnalyticsOwnFault: Bool {
        switch self {
        case .crash(.analytics), .partition(.analytics): return true
        case .crashDuring(.deliver(let delivery), .analytics, _): return delivery.target == .analytics
        default: return false
        }
    }

    /// The delivery of an event to analytics.
    var deliversToAnalytics: Bool {
        if case .pick(.deliver(let delivery)) = self { return delivery.target == .analytics }
        return false
    }
}
