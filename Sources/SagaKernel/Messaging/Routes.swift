/// The routing rules by the event they send: for each event type, choreographed or
/// orchestrated, the rules that match it, in the rules' order.
///
/// The bus routes every event it is handed, some four million for a million orders, and
/// asking each of the dozen or so rules whether it matches took more instructions than
/// sending the two or three deliveries that follow. It is made again whenever the rules
/// change (`World.rules`), and follows from them, so it takes no part in equality.
struct Routes: Sendable {
    private var byEvent: [[Rule]]

    init(_ rules: [Rule]) {
        byEvent = EventType.allCases.flatMap { type in
            [false, true].map { orchestrated in rules.filter { $0.matches(type, orchestrated: orchestrated) } }
        }
    }

    /// The rules that send an event of `type`, in the rules' order.
    @inline(__always)
    func rules(for type: EventType, orchestrated: Bool) -> [Rule] {
        byEvent[Int(type.tag) * 2 + (orchestrated ? 1 : 0)]
    }
}
