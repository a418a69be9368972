import CPrefetch

/// Starting to load the rows the next agenda item will read while the current one runs.
///
/// A publisher's batch reaches its consumers in random order over the latency's range, so
/// each delivery reads its event's and its order's rows from anywhere in tables that, for
/// 100 000 orders, are far larger than the processor's caches: with one latency for every
/// message, the same run took a third less time. Each table a delivery is about to read
/// says where that read will land (`prefetch`), and the scheduler asks them for the item
/// after the one it performs. A hint changes nothing the world holds; it costs a few
/// instructions where a miss costs hundreds of cycles, but a hint at a row the delivery
/// will not read costs a walk of the page tables for nothing: a million orders' rows lie on
/// half a million pages, far more than the processor's table of translations holds.
extension World {
    @inline(__always)
    func prefetchRows(for next: PrefetchHint) {
        nodes[next.target.index].processed.prefetch(next.event)
        applications.prefetch(next.target, next.event)
        // Analytics reads nothing of an order's but its event.
        guard next.order.index >= 0, next.target != .analytics else { return }
        orderDetails.prefetch(next.order)
        switch next.target {
        case .orders:
            orders.prefetch(next.order)
            orders.earnedPoints.prefetch(customerOf: next.order)
        case .payment:
            payment.prefetch(next.order)
            payment.fence.prefetch(next.order)
        case .inventory:
            inventory.held.prefetch(next.order)
            inventory.fence.prefetch(next.order)
        case .rewards:
            rewards.pointsOfOrder.prefetch(next.order)
            rewards.pointsOfCustomer.prefetch(customerOf: next.order)
        case .analytics: break
        }
    }
}

/// What `World.prefetchRows` needs of a delivery: where it goes, its event and its order.
struct PrefetchHint: Sendable {
    var event: EventId
    var order: OrderId
    var target: ServiceName

    init(event: EventId, order: OrderId, target: ServiceName) {
        (self.event, self.order, self.target) = (event, order, target)
    }

    init(_ delivery: Delivery) {
        target = delivery.target
        event = delivery.event.id
        order = delivery.event.orderId
    }
}

extension Agenda.Action {
    /// The hint for a delivery; nil for anything else.
    @inline(__always)
    var prefetchHint: PrefetchHint? {
        if case .deliver(let delivery) = self { return PrefetchHint(delivery) }
        return nil
    }
}

extension Array {
    /// Hints that the element at `index` will be written soon; nothing when there is none.
    /// Both its first and its last byte: an array's elements begin 32 bytes into its
    /// allocation, so a row of 64 bytes, an order's, always lies across two cache lines.
    ///
    /// The address is taken inside the closure and the hint given outside it: a call to C
    /// from within the closure made the compiler copy the value the array was read from
    /// (every table of a node's `ProcessedEvents`, four retains and four releases a step).
    @inline(__always)
    func prefetch(_ index: Int) {
        let element = withUnsafeBufferPointer { elements in
            index >= 0 && index < elements.count ? elements.baseAddress! + index : nil
        }
        if let element { sagalab_prefetch_bytes(element, Swift.max(MemoryLayout<Element>.size, 1)) }
    }
}
