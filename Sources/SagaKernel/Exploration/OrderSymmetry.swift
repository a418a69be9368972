/// Which orders of a world are alike, so that `explore` may count a state and its copy
/// with those orders swapped as one (symmetry reduction).
///
/// Three customers who each order prod-1x2 make three orders no service tells apart but
/// by their ids: whatever a schedule does to ord-1 and then ord-2, the schedule that does
/// the same to ord-2 and then ord-1 reaches the same world with the two renamed, and every
/// invariant judges both alike. Orders are alike when they hold the same items at the same
/// total, run the same saga (choreography, the same flow), and their customers are either
/// one and the same or each someone with no other order (so that renaming the orders
/// renames the customers with them). Nothing the lab sets up names an order or a customer
/// (failures are by service, routing by event type), so such a renaming maps every step of
/// the kernel to a step, and every verdict to the same verdict.
///
/// The kernel never reads an id's number for more than telling ids apart and naming the
/// next one, and the explorer already ignores the agenda's sequence numbers: so ids are
/// named within their order by rank, not by number (`SymmetricHasher`). A world that sets
/// up what this does not rename (the orchestrator's executions, API idempotency keys, dead
/// letters, deliveries in progress) is fingerprinted as it is, without the symmetry, and so
/// is a world of more than `mostOrders` orders.
struct OrderSymmetry: Sendable {
    /// The most orders a world may hold for the symmetry to apply. Its fingerprint is made
    /// from the world's rows (the exact one from the rows a step changed), so in a world of
    /// thousands of orders each state would cost as much as the world, and the searches
    /// such a world is explored with rarely meet a state's mirror image.
    static let mostOrders = 16

    /// The tag mixed into each order's part of a fingerprint, by order number: one per
    /// class of alike orders, and the order's own for an order alike to no other.
    let classTag: [UInt64]
    /// The customers who placed exactly one order, by the hash of their name, with it.
    let ownCustomers: [(name: UInt64, order: Int32)]
    /// The classes of two or more alike orders, each in id order.
    let alike: [[OrderId]]

    /// The symmetry of `world`'s orders; nil when no two are alike, or the world uses
    /// what a renaming of orders would not cover.
    init?(of world: World) {
        let orders = world.orders.orders
        guard orders.count >= 2, orders.count <= OrderSymmetry.mostOrders, world.orders.idempotency == IdempotencyStore(), world.orders.executions.isEmpty,
              orders.allSatisfy({ $0.mode == .choreography }) else { return nil }
        var ordersOfCustomer: [String: Int] = [:]
        for order in orders { ordersOfCustomer[world.orderDetails[order.id].customer, default: 0] += 1 }
        struct ClassKey: Hashable {
            var items: [OrderItem]
            var total: Int
            var flow: Flow
            /// The customer's name, or nil for a customer with this order alone.
            var customer: String?
        }
        var classOf: [ClassKey: Int] = [:]
        var members: [[OrderId]] = []
        var tags = [UInt64](repeating: 0, count: orders.count + 1)
        var own: [(name: UInt64, order: Int32)] = []
        for order in orders {
            let details = world.orderDetails[order.id]
            let alone = ordersOfCustomer[details.customer] == 1
            if alone { own.append((TextHash.fnv1a(details.customer), order.id.number)) }
            let key = ClassKey(items: details.items, total: order.total, flow: order.flow, customer: alone ? nil : details.customer)
            let index: Int
            if let known = classOf[key] {
                index = known
            } else {
                index = members.count
                classOf[key] = index
                members.append([])
            }
            members[index].append(order.id)
            guard Int(order.id.number) < tags.count else { return nil }
        }
        for (index, class_) in members.enumerated() {
            for order in class_ {
                tags[Int(order.number)] = class_.count > 1 ? UInt64(index + 1) : UInt64(1) << 40 | UInt64(UInt32(bitPattern: order.number))
            }
        }
        let alike = members.filter { $0.count > 1 }
        guard !alike.isEmpty else { return nil }
        classTag = tags
        ownCustomers = own
        self.alike = alike
    }

    /// The order a customer with one order placed, by the hash of the customer's name.
    @inline(__always)
    func order(ofOwnCustomer name: UInt64) -> Int32? {
        for entry in ownCustomers where entry.name == name { return entry.order }
        return nil
    }
}
