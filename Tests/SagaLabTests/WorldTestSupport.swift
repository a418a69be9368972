@testable import SagaLab
import Testing

/// Small helpers shared by the World* and Command* suites. Everything here builds worlds
/// and sessions through their public or internal API; nothing reads text to decide.
enum Lab {
    static func item(_ product: String, _ quantity: Int = 1) -> OrderItem {
        OrderItem(product: product, quantity: quantity)
    }

    /// Places an order and requires the API to answer 201; returns the order id.
    @discardableResult
    static func order(
        _ world: inout World, _ customer: String = "alice", _ items: [OrderItem] = [item("prod-1", 2)],
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> OrderId {
        let response = world.placeOrder(customer: customer, items: items)
        guard case .created(let id, _) = response else {
            Issue.record("order was not created: \(response)", sourceLocation: sourceLocation)
            return .none
        }
        return id
    }

    /// The status of one invariant by id.
    static func status(_ world: World, _ id: String) -> Invariants.Status? {
        Invariants.evaluate(world).first { $0.id == id }?.status
    }

    /// Ids of every invariant that is broken now.
    static func broken(_ world: World) -> Set<String> {
        Set(Invariants.evaluate(world).filter { $0.status == .broken }.map(\.id))
    }

    static func orderStatus(_ world: World, _ id: OrderId) -> Order.Status? {
        world.orders.order(id)?.status
    }

    /// How many times `service` changed business state for `event`.
    static func applied(_ world: World, _ service: ServiceName, _ event: ProcessedKey) -> Int {
        world.applications.count(service, event)
    }

    static func publishCount(_ world: World, _ event: EventId) -> Int {
        world.published.first { $0.event.id == event }?.count ?? 0
    }

    /// Runs lines through a session, requiring each to be accepted; returns the session
    /// and every reply's text.
    static func session(
        _ lines: [String], seed: UInt64 = 1, sourceLocation: SourceLocation = #_sourceLocation
    ) -> (Session, [String]) {
        var session = Session(seed: seed)
        var texts: [String] = []
        for line in lines {
            let reply = session.execute(line)
            if reply.isError {
                Issue.record("`\(line)` was rejected: \(reply.text)", sourceLocation: sourceLocation)
            }
            texts.append(reply.text)
        }
        return (session, texts)
    }
}
