import SagaKernel

/// Writes what a process did to the shop's trace table, in the simulation's own words:
/// each line is a kernel `Happening` rendered by the kernel, stored as its kind and text
/// with the wall-clock time of the insert. A process records on the lab's connection,
/// outside its business transactions, so a line stays even when the process dies; a line
/// that reports a commit is written `inside` the transaction it reports, so it exists
/// exactly when the commit does and precedes whatever the commit set off.
struct TraceRecorder {
    let db: Connection
    /// The lane the process writes in: its service, nil for the lab.
    let service: ServiceName?
    let byPublisher: Bool

    func record(_ what: Happening, from: ServiceName? = nil, order: Int32? = nil, event: Int32? = nil) {
        _ = try? record(what, inside: db, from: from, order: order, event: event)
    }

    func record(_ what: Happening, inside connection: Connection, from: ServiceName? = nil, order: Int32? = nil, event: Int32? = nil) throws {
        try connection.execute(
            "INSERT INTO lab.trace (service, by_publisher, from_service, order_id, event_id, kind, text) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [service?.rawValue, byPublisher ? "t" : "f", from?.rawValue, order.map(String.init), event.map(String.init),
             TraceKinds.name(what.kind), what.text])
    }
}

/// The trace kinds by name, for the trace table's `kind` column.
enum TraceKinds {
    static let all: [(name: String, kind: TraceEntry.Kind)] = [
        ("request", .request), ("commit", .commit), ("publish", .publish), ("deliver", .deliver), ("skip", .skip),
        ("compensate", .compensate), ("crash", .crash), ("restart", .restart), ("fault", .fault), ("park", .park),
        ("redeliver", .redeliver), ("dead-letter", .deadLetter), ("invariant", .invariant), ("note", .note),
    ]

    static func name(_ kind: TraceEntry.Kind) -> String { all.first { $0.kind == kind }?.name ?? "note" }

    static func kind(_ name: String) -> TraceEntry.Kind { all.first { $0.name == name }?.kind ?? .note }
}
