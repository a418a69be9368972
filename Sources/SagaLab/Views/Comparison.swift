/// The same orders run once per saga mode, each from its own copy of one world: the
/// numbers `compare` puts side by side. The world it starts from is never changed.
public struct Comparison: Sendable {
    /// How one mode fared.
    public struct Run: Sendable {
        public var mode: SagaMode
        public var confirmed = 0
        public var unsuccessful = 0
        public var pending = 0
        public var messages = 0
        /// Virtual time from placing the orders until nothing was left to do.
        public var settleTime: Millis = 0
        public var stillBusy = false
        public var held = 0
        public var judged = 0
        public var broken: [String] = []
    }

    public var orders: [(customer: String, items: [OrderItem])]
    public var runs: [Run]
    /// True when `shouldStop` ended the comparison early; `runs` are then incomplete.
    public var wasStopped = false

    /// Steps each mode may take before it counts as still busy.
    static let stepLimit = 200_000

    /// `shouldStop` is asked between steps; when it says to stop, the comparison ends early.
    public init(_ world: World, orders count: Int, until shouldStop: () -> Bool = { false }) {
        var generator = SeededGenerator(seed: world.seed)
        var specs: [(customer: String, items: [OrderItem])] = []
        for n in 1...count {
            let product = world.catalog.products[generator.int(in: 0...(world.catalog.products.count - 1))].id
            specs.append(("cust-\(n)", [OrderItem(product: product, quantity: generator.int(in: 1...2))]))
        }
        orders = specs
        var stopped = false
        runs = SagaMode.allCases.map { mode in
            Comparison.run(world, mode: mode, orders: specs, until: {
                stopped = stopped || shouldStop()
                return stopped
            })
        }
        wasStopped = stopped
    }

    static func run(_ world: World, mode: SagaMode, orders: [(customer: String, items: [OrderItem])],
                    until shouldStop: () -> Bool) -> Run {
        var copy = world
        copy.setMode(mode)
        let start = copy.now
        let sent = copy.messagesSent
        var placed: [OrderId] = []
        for order in orders {
            switch copy.placeOrder(customer: order.customer, items: order.items) {
            case .created(let id, _): placed.append(id)
            case .noResponse(let id): placed.append(id)
            case .failed, .replayed, .refused: break
            }
        }
        var steps = 0
        copy.run(until: {
            steps += 1
            return steps > stepLimit || shouldStop()
        })
        var result = Run(mode: mode)
        for id in placed {
            switch copy.orders.order(id)?.status {
            case .confirmed: result.confirmed += 1
            case .cancelled, .failed: result.unsuccessful += 1
            default: result.pending += 1
            }
        }
        result.messages = copy.messagesSent - sent
        result.settleTime = copy.now - start
        result.stillBusy = copy.hasWork
        let results = Invariants.evaluate(copy)
        result.judged = results.filter { $0.status != .waiting }.count
        result.held = results.filter { $0.status == .holds }.count
        result.broken = results.filter { $0.status == .broken }.map(\.title)
        return result
    }
}
