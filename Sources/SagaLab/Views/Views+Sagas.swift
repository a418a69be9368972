/// `show sagas`: every saga with its step, its age and whether anything can still move it.
extension Views {
    public func sagas(_ only: World.SagaCondition?) -> String {
        let all = world.orders.orders.map { ($0, world.condition(of: $0)) }
        let chosen = all.filter { only == nil || $0.1 == only }
        guard !chosen.isEmpty else {
            if all.isEmpty { return "no sagas yet; try `order alice prod-1x2`" }
            return "no \(only?.rawValue ?? "") sagas: \(all.count) saga\(all.count == 1 ? "" : "s") in all (`show sagas`)"
        }
        var out = Table(["saga", "order", "mode", "status", "step", "age", "state"], rows(of: chosen) { order, condition in
            let saga = world.orders.saga(forOrder: order.id)
            let age = (order.settledAt ?? world.now) - order.createdAt
            return ["\(order.sagaId)", "\(order.id)", order.mode.rawValue, statusText(order.status),
                    saga?.currentStep.rawValue ?? "-", VirtualTime.duration(age), paint(condition)]
        }).render(style, until: shouldStop)
        if chosen.contains(where: { $0.1 == .stuck && $0.0.mode == .choreography }) {
            out += "\n" + TextWrap.wrap("stuck: nothing in flight can move it on. `compensate ORDER` cancels it by hand "
                + "and sends order.cancelled, so every service undoes its part.", width: style.proseWidth)
        }
        return out
    }

    func paint(_ condition: World.SagaCondition) -> String {
        switch condition {
        case .moving: return condition.rawValue
        case .compensating, .stuck: return style.paint(condition.rawValue, .red)
        case .settled: return style.paint(condition.rawValue, .dim)
        }
    }
}
