/// Every order's saga ends: confirmed, cancelled or failed, never left PENDING.
struct NoPending: Invariant {
    let id = "no-pending"
    let title = "no order left PENDING"

    func holds(in w: World) -> Bool { w.orders.pendingCount == 0 }

    func evidence(in w: World) -> [String] { holds(in: w) ? [] : reference(in: w) }

    func reference(in w: World) -> [String] {
        w.orders.orders.filter { $0.status == .pending }.map { order in
            "\(order.id) is PENDING " + Invariants.stuckBecause(order.id, w)
        }
    }
}
