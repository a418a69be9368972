import Foundation

extension World {
    /// A world's fingerprint together with the hash of each of its parts, so that the
    /// explorer hashes again only what a step changed (an incremental fingerprint).
    ///
    /// A successor starts as a copy of its parent, and a step rewrites only the parts it
    /// touches: the others still hold the very same storage as the parent's. A part whose
    /// bytes (its inline fields and the references to its storage) are those of the parent's
    /// part, while the parent is alive, is that part: copy-on-write never changes storage
    /// two worlds share, and the world holds no class of its own. So its hash is the
    /// parent's, and only parts whose bytes differ are hashed.
    ///
    /// The tables that grow as a search goes on (each node's outbox, processed marks, dead
    /// letters, deliveries in progress and waiting, and the bus's published events and
    /// parked deliveries) go one row further: a table's hash is the sum of a hash of each
    /// row with its position, so a step that appends or rewrites one row hashes that row
    /// (and the one it replaced) and compares the others' bytes. The fingerprint comes out
    /// the same as from hashing every part from scratch.
    struct Digest {
        /// The hash of each node's tables, node by node in `ServiceName.allCases` order,
        /// each in `Table` order.
        private var tables = InlineArray<25, Int>(repeating: 0)
        /// The hash of each other part, in `Part` order.
        private var parts = InlineArray<13, Int>(repeating: 0)
        /// The hash of every part together: the world's fingerprint.
        private(set) var fingerprint = 0

        /// A node's tables.
        private enum Table: Int, CaseIterable {
            case outbox, processed, deadLetters, handlings, queue
        }

        private enum Part: Int, CaseIterable {
            case agenda, orders, inventory, payment, rewards, analytics, published, parked, armedCrashes,
                 armedMessageFaults, failures, applications, ids
        }

        private static let nodeCount = ServiceName.allCases.count

        /// Hashes every part of `world`.
        init(of world: World) {
            precondition(world.nodes.count == Digest.nodeCount && Digest.nodeCount * Table.allCases.count == tables.count
                         && Part.allCases.count == parts.count, "the digest's storage fits the world")
            for index in 0..<Digest.nodeCount {
                let node = world.nodes[index]
                let base = index * Table.allCases.count
                tables[base + Table.outbox.rawValue] = World.tableHash(node.outbox.rows)
                tables[base + Table.processed.rawValue] = World.tableHash(node.processed.rows)
                tables[base + Table.deadLetters.rawValue] = World.tableHash(node.deadLetters)
                tables[base + Table.handlings.rawValue] = World.tableHash(node.handlings)
                tables[base + Table.queue.rawValue] = World.tableHash(node.queue.waiting)
            }
            parts[Part.agenda.rawValue] = world.agenda.contentHash(soon: world.now + world.settings.latencyMax)
            parts[Part.orders.rawValue] = World.partHash(world.orders)
            parts[Part.inventory.rawValue] = World.partHash(world.inventory)
            parts[Part.payment.rawValue] = World.partHash(world.payment)
            parts[Part.rewards.rawValue] = World.partHash(world.rewards)
            parts[Part.analytics.rawValue] = World.partHash(world.analytics)
            parts[Part.published.rawValue] = World.tableHash(world.published)
            parts[Part.parked.rawValue] = World.tableHash(world.parked)
            parts[Part.armedCrashes.rawValue] = World.partHash(world.armedCrashes)
            parts[Part.armedMessageFaults.rawValue] = World.partHash(world.armedMessageFaults)
            parts[Part.failures.rawValue] = World.partHash(world.failures)
            parts[Part.applications.rawValue] = World.partHash(world.applications)
            parts[Part.ids.rawValue] = World.partHash(world.ids)
            combine(world)
        }

        /// The digest of `world`, a successor of `parent`, whose digest this is. `parent`
        /// must not have changed since.
        func successor(_ world: World, of parent: World) -> Digest {
            var digest = self
            digest.update(world, parent: parent)
            return digest
        }

        private mutating func update(_ world: World, parent: World) {
            if !World.sameBytes(world.nodes, parent.nodes) {
                world.nodes.withUnsafeBufferPointer { nodes in
                    parent.nodes.withUnsafeBufferPointer { old in
                        for index in 0..<Digest.nodeCount
                        where !World.sameBytes(nodes.baseAddress! + index, old.baseAddress! + index, as: Node.self) {
                            refreshTables(index, nodes[index], old[index])
                        }
                    }
                }
            }
            // Whether a message is held back past every latency depends on the time too.
            if parent.now != world.now || !World.sameBytes(world.agenda, parent.agenda) {
                parts[Part.agenda.rawValue] = world.agenda.contentHash(soon: world.now + world.settings.latencyMax)
            }
            refresh(.orders, world.orders, parent.orders)
            refresh(.inventory, world.inventory, parent.inventory)
            refresh(.payment, world.payment, parent.payment)
            refresh(.rewards, world.rewards, parent.rewards)
            refresh(.analytics, world.analytics, parent.analytics)
            if !World.sameBytes(world.published, parent.published) {
                parts[Part.published.rawValue] = World.tableHash(world.published, was: parts[Part.published.rawValue],
                                                                 in: parent.published)
            }
            if !World.sameBytes(world.parked, parent.parked) {
                parts[Part.parked.rawValue] = World.tableHash(world.parked, was: parts[Part.parked.rawValue], in: parent.parked)
            }
            refresh(.armedCrashes, world.armedCrashes, parent.armedCrashes)
            refresh(.armedMessageFaults, world.armedMessageFaults, parent.armedMessageFaults)
            refresh(.failures, world.failures, parent.failures)
            refresh(.applications, world.applications, parent.applications)
            refresh(.ids, world.ids, parent.ids)
            combine(world)
        }

        @inline(__always)
        private mutating func refresh<Value: Hashable>(_ part: Part, _ value: Value, _ old: Value) {
            if !World.sameBytes(value, old) { parts[part.rawValue] = World.partHash(value) }
        }

        /// Brings the hashes of node `index`'s tables up to date; `old` is the parent's node.
        private mutating func refreshTables(_ index: Int, _ node: Node, _ old: Node) {
            let base = index * Table.allCases.count
            func refresh<Row: Hashable>(_ table: Table, _ rows: [Row], _ parentRows: [Row]) {
                guard !World.sameBytes(rows, parentRows) else { return }
                tables[base + table.rawValue] = World.tableHash(rows, was: tables[base + table.rawValue], in: parentRows)
            }
            refresh(.outbox, node.outbox.rows, old.outbox.rows)
            refresh(.processed, node.processed.rows, old.processed.rows)
            refresh(.deadLetters, node.deadLetters, old.deadLetters)
            refresh(.handlings, node.handlings, old.handlings)
            let waiting = node.queue.waiting
            let parentWaiting = old.queue.waiting
            if !World.sameBytes(waiting, parentWaiting) {
                tables[base + Table.queue.rawValue] = World.tableHash(waiting, was: tables[base + Table.queue.rawValue],
                                                                      in: parentWaiting)
            }
        }

        /// The fingerprint from the parts' hashes and what is cheaper to hash than to compare.
        private mutating func combine(_ world: World) {
            var hasher = Hasher()
            hasher.combine(world.drawsChances ? world.rng : SeededGenerator(seed: 0))
            hasher.combine(world.now)
            hasher.combine(world.messagesSent)
            for node in world.nodes {
                hasher.combine(node.isUp)
                hasher.combine(node.isPartitioned)
                hasher.combine(node.publisherUp)
                hasher.combine(node.handlerError)
                hasher.combine(node.outbox.unpublishedCount)
            }
            withUnsafeBytes(of: tables) { hasher.combine(bytes: $0) }
            withUnsafeBytes(of: parts) { hasher.combine(bytes: $0) }
            fingerprint = hasher.finalize()
        }
    }

    /// The hash of one part of a world, on its own.
    static func partHash<Value: Hashable>(_ value: Value) -> Int {
        var hasher = Hasher()
        hasher.combine(value)
        return hasher.finalize()
    }

    /// The hash of a table: the sum of a hash of each row with its position, and of the
    /// number of rows, so that one row changed changes one term.
    static func tableHash<Rows: RandomAccessCollection>(_ rows: Rows) -> Int where Rows.Element: Hashable {
        var sum = partHash(rows.count)
        for (position, row) in rows.enumerated() { sum &+= rowHash(position, row) }
        return sum
    }

    /// The hash of `rows`, a table whose rows in the parent world were `parentRows` with
    /// hash `old`: only the rows whose bytes differ from the parent's at the same position
    /// are hashed (with the parent's row they replace).
    static func tableHash<Row: Hashable>(_ rows: [Row], was old: Int, in parentRows: [Row]) -> Int {
        rows.withUnsafeBufferPointer { rows in
            parentRows.withUnsafeBufferPointer { parentRows in tableHash(rows, was: old, in: parentRows) }
        }
    }

    static func tableHash<Row: Hashable>(_ rows: ArraySlice<Row>, was old: Int, in parentRows: ArraySlice<Row>) -> Int {
        rows.withUnsafeBufferPointer { rows in
            parentRows.withUnsafeBufferPointer { parentRows in tableHash(rows, was: old, in: parentRows) }
        }
    }

    private static func tableHash<Row: Hashable>(_ rows: UnsafeBufferPointer<Row>, was old: Int,
                                                 in parentRows: UnsafeBufferPointer<Row>) -> Int {
        var sum = old
        if rows.count != parentRows.count { sum = sum &- partHash(parentRows.count) &+ partHash(rows.count) }
        let shared = min(rows.count, parentRows.count)
        for position in 0..<shared where !sameBytes(rows.baseAddress! + position, parentRows.baseAddress! + position, as: Row.self) {
            sum = sum &- rowHash(position, parentRows[position]) &+ rowHash(position, rows[position])
        }
        for position in shared..<rows.count { sum &+= rowHash(position, rows[position]) }
        for position in shared..<parentRows.count { sum &-= rowHash(position, parentRows[position]) }
        return sum
    }

    /// The hash of one row of a table at `position`.
    @inline(__always)
    static func rowHash<Row: Hashable>(_ position: Int, _ row: Row) -> Int {
        var hasher = Hasher()
        hasher.combine(position)
        hasher.combine(row)
        return hasher.finalize()
    }

    /// Whether two values are the same bytes: the same inline fields and the same storage.
    static func sameBytes<Value>(_ a: Value, _ b: Value) -> Bool {
        withUnsafeBytes(of: a) { first in
            withUnsafeBytes(of: b) { second in
                guard let a = first.baseAddress, let b = second.baseAddress else { return true }
                return memcmp(a, b, first.count) == 0
            }
        }
    }

    /// Whether the values at two addresses are the same bytes, read in place.
    static func sameBytes<Value>(_ a: UnsafePointer<Value>, _ b: UnsafePointer<Value>, as: Value.Type) -> Bool {
        memcmp(a, b, MemoryLayout<Value>.size) == 0
    }
}
