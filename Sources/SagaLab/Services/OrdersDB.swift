/// The orders service's database: orders, their saga states, the orchestrator's executions
/// and the API's idempotency table.
public struct OrdersDB: Hashable, Sendable {
    public private(set) var orders: [Order] = []
    public private(set) var sagas: [SagaState] = []
    public private(set) var executions: [Execution] = []
    public var idempotency = IdempotencyStore()
    /// Running aggregates of `orders`, kept by `add` and `updateOrder` so the invariants
    /// read them in O(1): orders per status, and the confirmed orders' total in cents.
    public private(set) var pendingCount = 0
    public private(set) var confirmedCount = 0
    public private(set) var unsuccessfulCount = 0
    /// The sum of the confirmed orders' totals, in cents: what money and analytics must agree with.
    public private(set) var confirmedTotal = 0
    /// Points the confirmed orders earn per customer (a point per dollar).
    public private(set) var earnedPoints: [String: Int] = [:]
    /// Where each order's execution sits in `executions`.
    private var executionOfOrder: [String: Int] = [:]

    /// The order with `id`. Ids are handed out in sequence, so `ord-N` sits at N - 1.
    public func order(_ id: String) -> Order? {
        let n = idNumber(id)
        if n >= 1, n <= orders.count, orders[n - 1].id == id { return orders[n - 1] }
        return nil
    }
    public func saga(forOrder id: String) -> SagaState? {
        let n = idNumber(id)
        if n >= 1, n <= sagas.count, sagas[n - 1].orderId == id { return sagas[n - 1] }
        return nil
    }
    public func saga(_ id: String) -> SagaState? {
        let n = idNumber(id)
        if n >= 1, n <= sagas.count, sagas[n - 1].sagaId == id { return sagas[n - 1] }
        return sagas.first { $0.sagaId == id }
    }
    public func execution(_ id: String) -> Execution? {
        let n = idNumber(id)
        if n >= 1, n <= executions.count, executions[n - 1].id == id { return executions[n - 1] }
        return nil
    }
    public func execution(forOrder id: String) -> Execution? {
        executionOfOrder[id].map { executions[$0] }
    }

    /// Saves a new order with its saga state, in one transaction.
    mutating func add(_ order: Order, saga: SagaState) {
        orders.append(order)
        sagas.append(saga)
        count(order, +1)
    }

    mutating func add(_ execution: Execution) {
        executionOfOrder[execution.orderId] = executions.count
        executions.append(execution)
    }

    mutating func updateExecution(_ id: String, _ change: (inout Execution) -> Void) {
        let n = idNumber(id)
        if n >= 1, n <= executions.count, executions[n - 1].id == id { change(&executions[n - 1]) }
    }
    mutating func updateOrder(_ id: String, _ change: (inout Order) -> Void) {
        let n = idNumber(id)
        guard n >= 1, n <= orders.count, orders[n - 1].id == id else { return }
        count(orders[n - 1], -1)
        change(&orders[n - 1])
        count(orders[n - 1], +1)
    }
    mutating func updateSaga(forOrder id: String, _ change: (inout SagaState) -> Void) {
        let n = idNumber(id)
        if n >= 1, n <= sagas.count, sagas[n - 1].orderId == id { change(&sagas[n - 1]) }
    }

    private mutating func count(_ order: Order, _ sign: Int) {
        switch order.status {
        case .pending: pendingCount += sign
        case .confirmed:
            confirmedCount += sign
            confirmedTotal += sign * order.total
            earnedPoints[order.customer, default: 0] += sign * (order.total / 100)
        case .cancelled, .failed: unsuccessfulCount += sign
        }
    }
}
