/// No consumer changed business state twice for one event, or one orchestrator call
/// (a safety invariant). It reads the lab's own instrument, `World.applications`.
struct OncePerEvent: Invariant {
    let id = "once-per-event"
    let title = "no consumer applied one event twice"
    var isEventual: Bool { false }

    func holds(in w: World) -> Bool { w.appliedMoreThanOnce.isEmpty }

    func evidence(in w: World) -> [String] {
        report(w.appliedMoreThanOnce.map { ($0, w.applications[$0] ?? 0) }, w)
    }

    func reference(in w: World) -> [String] {
        report(w.applications.filter { $0.value > 1 }.map { ($0.key, $0.value) }, w)
    }

    private func report(_ twice: [(key: String, count: Int)], _ w: World) -> [String] {
        twice.sorted { lhs, rhs in (idNumber(lhs.key), lhs.key) < (idNumber(rhs.key), rhs.key) }.map { key, count in
            let parts = key.split(separator: "/")
            let service = parts.first.map(String.init) ?? key
            let id = parts.last.map(String.init) ?? key
            let times = count == 2 ? "twice" : "\(count) times"
            let token = id.split(separator: ":")
            if w.event(id) == nil, token.count == 2 {
                return "\(service) ran \(token[1]) for \(token[0]) \(times)"
            }
            return "\(service) applied \(w.event(id)?.type.rawValue ?? "event") \(id) \(times)"
        }
    }
}
