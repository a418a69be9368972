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
    public private(set) var earnedPoints = PointsByCustomer()
    /// Where each order's execution sits in `executions`.
    private var executionOfOrder: [OrderId: Int] = [:]
    /// The flows orders were placed under, one bit each: the bus asks whether every
    /// order started with today's flow before it looks up any order's.
    private var flowsUsed: UInt8 = 0

    /// Hints at the order's row and its saga's (`World.prefetchRows`).
    @inline(__always)
    func prefetch(_ id: OrderId) {
        orders.prefetch(id.index)
        sagas.prefetch(id.index)
    }

    /// The order with `id`. Ids are handed out in sequence, so `ord-N` sits at N - 1.
    public func order(_ id: OrderId) -> Order? {
        orders.indices.contains(id.index) ? orders[id.index] : nil
    }
    /// What a saga step reads of an order: its scalar fields, read in place without
    /// copying the order's customer, items and reason.
    public struct Facts: Sendable {
        public var id: OrderId
        public var status: Order.Status
        public var flow: Flow
        public var sagaId: SagaId
        public var total: Int
    }

    /// The facts of order `id`, if there is one.
    public func facts(_ id: OrderId) -> Facts? {
        guard orders.indices.contains(id.index) else { return nil }
        let i = id.index
        return Facts(id: orders[i].id, status: orders[i].status, flow: orders[i].flow, sagaId: orders[i].sagaId,
                     total: orders[i].total)
    }

    /// The flow order `id` started with, without copying the order.
    public func flow(of id: OrderId) -> Flow? {
        orders.indices.contains(id.index) ? orders[id.index].flow : nil
    }
    /// Whether every order was placed under `flow` (or there is none).
    public func allStarted(with flow: Flow) -> Bool { flowsUsed & ~OrdersDB.bit(flow) == 0 }

    private static func bit(_ flow: Flow) -> UInt8 {
        switch flow {
        case .inventoryFirst: return 1
        case .paymentFirst: return 2
        case .parallel: return 4
        }
    }

    /// The order a learner named (`ord-12`), or nil when there is none.
    public func order(named text: String) -> Order? { OrderId(parsing: text).flatMap(order) }
    public func saga(forOrder id: OrderId) -> SagaState? {
        sagas.indices.contains(id.index) ? sagas[id.index] : nil
    }
    public func saga(_ id: SagaId) -> SagaState? {
        sagas.indices.contains(id.index) && sagas[id.index].sagaId == id ? sagas[id.index] : sagas.first { $0.sagaId == id }
    }
    public func execution(_ id: ExecutionId) -> Execution? {
        executions.indices.contains(id.index) ? executions[id.index] : nil
    }
    public func execution(forOrder id: OrderId) -> Execution? {
        executionOfOrder[id].map { executions[$0] }
    }

    /// Makes room for `n` more orders and their saga states.
    mutating func makeRoom(forOrders n: Int) {
        orders.reserveCapacity(orders.count + n)
        sagas.reserveCapacity(sagas.count + n)
        orders.prefaultRoom()
        sagas.prefaultRoom()
    }

    /// Makes room for the points of the customers `prefix` + N, N in `numbers`, by number.
    mutating func makeRoom(customers prefix: String, numbers: ClosedRange<Int>, firstOrder: OrderId) {
        earnedPoints.makeRoom(prefix: prefix, numbers: numbers, firstOrder: firstOrder)
    }

    /// Saves a new order with its saga state, in one transaction.
    mutating func add(_ order: consuming Order, saga: SagaState) {
        flowsUsed |= OrdersDB.bit(order.flow)
        orders.append(order)
        sagas.append(saga)
        orders.prefaultAhead(grewFrom: orders.count - 1)
        sagas.prefaultAhead(grewFrom: sagas.count - 1)
        count(orders.count - 1, +1)
    }

    mutating func add(_ execution: Execution) {
        executionOfOrder[execution.orderId] = executions.count
        executions.append(execution)
    }

    mutating func updateExecution(_ id: ExecutionId, _ change: (inout Execution) -> Void) {
        if executions.indices.contains(id.index) { change(&executions[id.index]) }
    }
    mutating func updateOrder(_ id: OrderId, _ change: (inout Order) -> Void) {
        guard orders.indices.contains(id.index) else { return }
        count(id.index, -1)
        change(&orders[id.index])
        count(id.index, +1)
    }
    mutating func updateSaga(forOrder id: OrderId, _ change: (inout SagaState) -> Void) {
        if sagas.indices.contains(id.index) { change(&sagas[id.index]) }
    }

    /// Counts the order at `index` in (`sign` 1) or out (-1) of the figures its status
    /// adds to. It reads the order's fields where it lies: an order handed to a mutating
    /// method of the table that holds it was copied whole first.
    private mutating func count(_ index: Int, _ sign: Int) {
        switch orders[index].status {
        case .pending: pendingCount += sign
        case .confirmed:
            let total = orders[index].total
            confirmedCount += sign
            confirmedTotal += sign * total
            let customer = orders[index].customer
            earnedPoints.add(sign * (total / 100), to: customer)
        case .cancelled, .failed: unsuccessfulCount += sign
        }
    }
}

extension OrdersDB {
    /// Whether every field besides the three tables (orders, sagas, executions) holds the
    /// same bytes as in `other`. The explorer's digest hashes the tables row by row, and
    /// the rest (`hashBesidesTables`) only when this is false: most steps change a row or
    /// two and none of the rest.
    func sameBesidesTables(as other: OrdersDB) -> Bool {
        World.sameBytes(idempotency, other.idempotency) && pendingCount == other.pendingCount
            && confirmedCount == other.confirmedCount && unsuccessfulCount == other.unsuccessfulCount
            && confirmedTotal == other.confirmedTotal && World.sameBytes(earnedPoints, other.earnedPoints)
            && World.sameBytes(executionOfOrder, other.executionOfOrder) && flowsUsed == other.flowsUsed
    }

    /// The counts and the flows used, in words, for a symmetric fingerprint, which hashes
    /// the points earned by customer apart and is made only without idempotency keys or
    /// executions (`OrderSymmetry`).
    func digestCounts<H: WordHasher>(into hasher: inout H) {
        hasher.combineInt(pendingCount)
        hasher.combineInt(confirmedCount)
        hasher.combineInt(unsuccessfulCount)
        hasher.combineInt(confirmedTotal)
        hasher.combineWord(UInt64(flowsUsed) | (executionOfOrder.isEmpty ? 0 : 0x100))
    }

    /// The hash of every field besides the three tables.
    func hashBesidesTables() -> Int {
        var hasher = Hasher()
        hasher.combine(idempotency)
        hasher.combine(pendingCount)
        hasher.combine(confirmedCount)
        hasher.combine(unsuccessfulCount)
        hasher.combine(confirmedTotal)
        hasher.combine(earnedPoints)
        hasher.combine(executionOfOrder)
        hasher.combine(flowsUsed)
        return hasher.finalize()
    }
}
