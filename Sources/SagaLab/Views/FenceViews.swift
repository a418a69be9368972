/// The view of the participants' fence logs: `show fence`.
extension Views {
    /// `show fence`: inventory's and payment's fence marks, in order id order, each with
    /// what the rollback found and how many late tries it refused.
    public func fence() -> String {
        let logs: [(ServiceName, FencedStep, FenceLog)] = [
            (.inventory, .reservation, world.inventory.fence),
            (.payment, .charge, world.payment.fence),
        ]
        let state = "fence \(world.patterns.fence ? "on" : "off")"
        guard logs.contains(where: { $0.2.count > 0 }) else {
            return "no fence marks (\(state)); a rollback leaves one while the fence is on"
        }
        let rows = logs.flatMap { service, step, log in
            log.all.map { mark in
                [service.rawValue, "\(mark.orderId)", step.rawValue, mark.kind.rawValue, VirtualTime.stamp(mark.at),
                 "\(mark.refused)"]
            }
        }
        return Table(["service", "order", "guards", "rollback", "at", "late tries refused"], rows).render(style, until: shouldStop)
            + "\n\(state)"
    }
}
