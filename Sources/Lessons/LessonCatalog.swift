import SagaLab

/// Every guided lesson, in order. Each is plain data: add one here (and its golden
/// transcript under Tests/Transcripts/lessons) to extend the course.
public enum LessonCatalog {
    public static let all: [Lesson] = [
        dualWrite,
    ]

    public static func lesson(_ number: Int) -> Lesson? { all.first { $0.number == number } }
}

/// World questions the exercises ask, phrased in the domain.
public enum WorldFacts {
    /// Orders that are PENDING with nothing anywhere that could still move them on:
    /// no delivery scheduled or queued and no unpublished outbox row about them.
    public static func stuckPending(_ world: World) -> [Order] {
        world.orders.orders.filter { order in
            guard order.status == .pending else { return false }
            let inAgenda = world.agenda.deliveries.contains { $0.delivery.event.orderId == order.id }
            let queued = world.parked.contains { $0.event.orderId == order.id }
            let unpublished = ServiceName.publishers.contains { service in
                world.node(service).outbox.unpublished.contains { $0.event.orderId == order.id }
            }
            return !inAgenda && !queued && !unpublished
        }
    }

    /// Every service is up and connected, so nothing is merely waiting for a restart or a heal.
    public static func allRunning(_ world: World) -> Bool {
        ServiceName.allCases.allSatisfy { world.node($0).isReachable }
    }
}
