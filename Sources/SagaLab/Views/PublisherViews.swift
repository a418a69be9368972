/// `show publishers` (and `publishers` alone): where the outbox publishers run, whether
/// each is up, what waits for it and when it polls next.
extension Views {
    public func publishers() -> String {
        let ownProcess = world.publishers == .ownProcess
        let head = ownProcess
            ? "publishers own-process: each outbox publisher is a process of its own"
            : "publishers in-service: each outbox publisher runs inside its service"
        let rows = ServiceName.publishers.map { service -> [String] in
            let node = world.node(service)
            let state = !node.publisherUp ? style.paint("down", .red) : node.isPartitioned ? style.paint("cut off", .yellow) : "up"
            let outbox = node.outbox
            let next = node.publisherReachable ? world.agenda.nextPoll(service).map(VirtualTime.stamp) ?? "-" : "-"
            return [ownProcess ? service.publisherName : service.rawValue, state, "\(outbox.unpublishedCount)",
                    VirtualTime.duration(outbox.lag(now: world.now)), next]
        }
        return head + "\n" + Table(["publisher", "state", "waiting", "outbox lag", "next poll"], rows).render(style, until: shouldStop)
    }
}
