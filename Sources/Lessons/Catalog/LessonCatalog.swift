import SagaLab

/// Every guided lesson, in order. Each is plain data: add one here (and its golden
/// transcript under Tests/Transcripts/lessons) to extend the course.
public enum LessonCatalog {
    public static let all: [Lesson] = [
        dualWrite,
        transactionalOutbox,
        idempotentConsumers,
        compensation,
        sagaState,
        streamingAnalytics,
        failureAtScale,
        orchestration,
        retriesAndDeadLetters,
        idempotencyKeys,
        handlerRace,
        undoArrivesFirst,
    ]

    public static func lesson(_ number: Int) -> Lesson? { all.first { $0.number == number } }
}

/// World questions the exercises ask, phrased in the domain.
public enum WorldFacts {
    /// Orders that are PENDING with nothing anywhere that could still move them on
    /// (`show sagas stuck`, whether or not their saga was marked for compensation).
    public static func stuckPending(_ world: World) -> [Order] {
        world.orders.orders.filter { order in
            let condition = world.condition(of: order)
            return condition == .stuck || condition == .compensating
        }
    }

    /// Every service is up and connected, so nothing is merely waiting for a restart or a heal.
    public static func allRunning(_ world: World) -> Bool {
        ServiceName.allCases.allSatisfy { world.node($0).isReachable }
    }

    /// Every service is running and nothing is in flight: what the world shows now is what it keeps.
    public static func settled(_ world: World) -> Bool {
        allRunning(world) && !world.hasWork
    }

    /// Events of a type the bus carried more than once (an outbox resend, not a duplicate delivery).
    public static func publishedMoreThanOnce(_ world: World, type: EventType) -> [Event] {
        world.published.filter { $0.event.type == type && $0.count > 1 }.map(\.event)
    }

    /// Orders inventory holds two or more reservations for, where inventory never recorded
    /// the reserving event as processed: the footprint of a consumer with no idempotency.
    public static func reservedTwiceUnmarked(_ world: World) -> [OrderId] {
        let marked = Set(world.node(.inventory).processed.rows.map(\.key))
        return world.orders.orders.map(\.id).filter { id in
            let held = world.inventory.reservations(forOrder: id)
            return held.count >= 2 && held.allSatisfy { !marked.contains(.event($0.eventId)) }
        }
    }

    /// Whether the invariant with this id holds right now (not broken, not waiting on events in flight).
    public static func holds(_ invariant: String, _ world: World) -> Bool {
        Invariants.evaluate(world).first { $0.id == invariant }?.status == .holds
    }

    /// Sagas marked for compensation whose order still says PENDING: half-finished compensations.
    public static func stuckCompensations(_ world: World) -> [SagaState] {
        world.orders.sagas.filter { saga in
            saga.compensationRequired && world.orders.order(saga.orderId)?.status == .pending
        }
    }

    /// Whether `service` received a second delivery of an event of `type`: a copy from the
    /// bus (`duplicate`) or a redelivery of one it never acknowledged. Read from the trace.
    public static func copyReached(_ service: ServiceName, type: EventType, _ world: World) -> Bool {
        world.trace.contains { entry in
            guard entry.service == service,
                  case .message(.received(let ref, let isCopy, let attempt, let retry)) = entry.what else { return false }
            return ref.type == type && (isCopy || (attempt > 1 && retry == nil))
        }
    }

    /// Fence marks in inventory's and payment's databases that refused a late try: an undo
    /// overtook its action there, and the action arrived after it and did nothing.
    public static func fenceMarksThatRefused(_ world: World) -> [FenceLog.Mark] {
        (world.inventory.fence.all + world.payment.fence.all).filter { $0.refused > 0 }
    }

    /// Whether the monitoring alarm with this name (`show alarms`) is firing.
    public static func alarmFiring(_ name: String, _ world: World) -> Bool {
        Metrics(world).alarms.contains { $0.name == name && $0.firing }
    }
}
