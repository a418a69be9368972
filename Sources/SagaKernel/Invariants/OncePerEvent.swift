/// No consumer changed business state twice for one event, or one orchestrator call
/// (a safety invariant). It reads the lab's own instrument, `World.applications`.
struct OncePerEvent: Invariant {
    let id = "once-per-event"
    let title = "no consumer applied one event twice"
    var isEventual: Bool { false }

    func holds(in w: World) -> Bool { w.applications.countedMoreThanOnce == 0 }

    func evidence(in w: World) -> [String] {
        report(w.applications.moreThanOnce.map { ($0, w.applications.count($0.service, $0.id)) }, w)
    }

    func reference(in w: World) -> [String] {
        report(w.applications.all.filter { $0.count > 1 }, w)
    }

    /// In order of the id's number, then of `service/id`, as the lab has always listed them.
    private func report(_ twice: [(key: Applications.Key, count: Int)], _ w: World) -> [String] {
        twice.map { ("\($0.key.service.rawValue)/\($0.key.id)", $0.key, $0.count) }
            .sorted { lhs, rhs in (idNumber(lhs.0), lhs.0) < (idNumber(rhs.0), rhs.0) }.map { _, key, count in
            let service = key.service.rawValue
            let times = count == 2 ? "twice" : "\(count) times"
            switch key.id {
            case .call(let order, let task): return "\(service) ran \(task.rawValue) for \(order) \(times)"
            case .callAgain(let order, let task, let run):
                return "\(service) ran \(task.rawValue) (run \(run)) for \(order) \(times)"
            case .event(let id): return "\(service) applied \(w.event(id)?.type.rawValue ?? "event") \(id) \(times)"
            }
        }
    }
}
