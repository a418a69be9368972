/// Every committed outbox row eventually reaches the bus.
struct OutboxDrained: Invariant {
    let id = "outbox-drained"
    let title = "no committed outbox row left unpublished"

    func holds(in w: World) -> Bool { ServiceName.publishers.allSatisfy { w.node($0).outbox.unpublishedCount == 0 } }

    func evidence(in w: World) -> [String] { holds(in: w) ? [] : report(w) { $0.unpublished } }

    func reference(in w: World) -> [String] { report(w) { $0.rows { w.event($0) }.filter { !$0.published } } }

    private func report<Rows: Sequence<Outbox.Row>>(_ w: World, _ unpublished: (Outbox) -> Rows) -> [String] {
        ServiceName.publishers.flatMap { service in
            unpublished(w.node(service).outbox).map { row in
                "\(service.rawValue) outbox row \(row.event.id) \(row.event.type.rawValue) unpublished"
                    + (w.node(service).publisherUp ? "" : " (\(w.publisherProcessName(service)) is down)")
            }
        }
    }
}
