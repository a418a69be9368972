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
    /// letters, deliveries in progress and waiting, the bus's published events and parked
    /// deliveries, each service's counts of applications, the orders service's orders, sagas
    /// and executions) go one row further: a table's hash is the sum of a hash of each row
    /// with its position, so a step that appends or rewrites one row hashes that row (and
    /// the one it replaced) and compares the others' bytes.
    ///
    /// Four of those tables are hashed without positions, as the sets of rows they are,
    /// because no behaviour reads the order of their rows: processed marks are found by
    /// their key and expire one by one; dead letters only wait (nothing a schedule does
    /// takes one out); published events are found by their id; parked deliveries are all
    /// sent on at once when their consumer is back, each with a latency of its own (and
    /// the fingerprint already ignores when a message in flight is due). So two orders
    /// whose work one service did in either order, which append their rows in either
    /// order, are one state, not two: a third of the states of three orders without a
    /// fault. The outbox keeps its positions (its publisher takes rows oldest first, and a
    /// crash in the middle of a poll leaves the rows after the one it published), and so
    /// do a consumer's deliveries in progress and waiting (first come, first served). The
    /// applications are counted at the position of their event's number. The agenda's hash is a sum of one term per item, and a step's new items are
    /// told from the rest by their sequence numbers (`Agenda.contentHash`). The fingerprint
    /// comes out the same as from hashing every part from scratch.
    struct Digest {
        /// The sum of every node's terms: one for its flags, and one for each row of each of
        /// its tables with the row's position, each hashed with the node and the table it
        /// belongs to.
        private var nodes = 0
        /// The hash of each other part, in `Part` order; a table's is a sum of terms as a
        /// node's, and the agenda's a sum of one term per item.
        private var parts = InlineArray<17, Int>(repeating: 0)
        /// The highest sequence number among the agenda's items.
        private var newestItem = Int.min
        /// The hash of every part together: the world's fingerprint.
        private(set) var fingerprint = 0
        /// Whether the tables whose order of rows no behaviour reads (processed marks, dead
        /// letters, published events, parked deliveries) count their rows' positions too:
        /// only the tests that check that leaving them out loses nothing ask for it.
        private let everyRowInOrder: Bool

        /// A node's tables, and its flags.
        enum Table: Int, CaseIterable {
            case outbox, processed, outcomes, deadLetters, handlings, queue, flags
        }

        private enum Part: Int, CaseIterable {
            case agenda, orders, sagas, executions, ordersBesidesTables, inventoryHeld, inventory, payment, rewards, analytics, published, parked, armedCrashes,
                 armedMessageFaults, failures, applications, ids
        }

        /// What a term is hashed with to say which node's table (or which table of the bus) it belongs to.
        static func seed(_ node: Int, _ table: Table) -> Int { node * Table.allCases.count + table.rawValue }
        static let publishedSeed = -1
        static let parkedSeed = -2
        static let applicationsSeed = -3
        static let ordersSeed = -4
        static let sagasSeed = -5
        static let executionsSeed = -6
        static let reservationsSeed = -7
        static let idsSeed = -8
        static let paymentSeed = -9
        static let analyticsSeed = -10

        /// Hashes every part of `world`.
        init(of world: World, everyRowInOrder: Bool = false) {
            self.everyRowInOrder = everyRowInOrder
            let ordered = everyRowInOrder
            precondition(Part.allCases.count == parts.count, "the digest's storage fits the world")
            for index in world.nodes.indices {
                let node = world.nodes[index]
                nodes &+= Digest.flagsTerm(index, node)
                nodes &+= World.tableHash(Digest.seed(index, .outbox), node.outbox.storedRows)
                nodes &+= World.tableHash(Digest.seed(index, .processed), node.processed.storedMarks, ordered: ordered)
                nodes &+= World.valueTerm(Digest.seed(index, .outcomes), 0, node.processed.callOutcomes)
                nodes &+= World.tableHash(Digest.seed(index, .deadLetters), node.deadLetters, ordered: ordered)
                nodes &+= World.tableHash(Digest.seed(index, .handlings), node.handlings)
                nodes &+= World.tableHash(Digest.seed(index, .queue), node.queue.waiting)
            }
            (parts[Part.agenda.rawValue], newestItem) = world.agenda.contentHashAndNewest(soon: world.now + world.settings.latencyMax)
            parts[Part.orders.rawValue] = World.tableHash(Digest.ordersSeed, world.orders.orders)
            parts[Part.sagas.rawValue] = World.tableHash(Digest.sagasSeed, world.orders.sagas)
            parts[Part.executions.rawValue] = World.tableHash(Digest.executionsSeed, world.orders.executions)
            parts[Part.ordersBesidesTables.rawValue] = world.orders.hashBesidesTables()
            parts[Part.inventoryHeld.rawValue] = World.tableHash(Digest.reservationsSeed, world.inventory.held.rows)
            parts[Part.inventory.rawValue] = world.inventory.hashBesidesHeld()
            parts[Part.payment.rawValue] = World.rowTerm(Digest.paymentSeed, 0, world.payment)
            parts[Part.rewards.rawValue] = World.partHash(world.rewards)
            parts[Part.analytics.rawValue] = World.rowTerm(Digest.analyticsSeed, 0, world.analytics)
            parts[Part.published.rawValue] = World.tableHash(Digest.publishedSeed, world.published.events, ordered: ordered)
            parts[Part.parked.rawValue] = World.tableHash(Digest.parkedSeed, world.parked, ordered: ordered)
            parts[Part.armedCrashes.rawValue] = World.partHash(world.armedCrashes)
            parts[Part.armedMessageFaults.rawValue] = World.partHash(world.armedMessageFaults)
            parts[Part.failures.rawValue] = World.partHash(world.failures)
            parts[Part.applications.rawValue] = Digest.applicationsHash(world.applications)
            parts[Part.ids.rawValue] = World.rowTerm(Digest.idsSeed, 0, world.ids)
            combine(world)
        }

        /// The applications' hash: the table of counts by event and service and the counts
        /// for calls (how many keys are counted more than once follows from them).
        private static func applicationsHash(_ applications: Applications) -> Int {
            World.valueTerm(applicationsSeed, 0, applications.callCounts) &+ countsHash(applications.eventCounts)
        }

        /// The hash of the counts of applications by event and service: the sum of a term
        /// for each event's word of counts other than zero, with its position. A word is
        /// compared in place and mixed in (`mix`) rather than hashed, and a word of zero
        /// adds nothing: a table that grew by zeros behaves as it did. (A count kept with
        /// the calls' is hashed with them.)
        private static func countsHash(_ counts: [UInt16]) -> Int {
            counts.withUnsafeBufferPointer { counts in
                var sum = 0
                for position in counts.indices where counts[position] != 0 { sum &+= countTerm(position, counts[position]) }
                return sum
            }
        }

        /// How much `countsHash` changed from `parentCounts` to `counts`: only the counts
        /// that differ are mixed.
        private static func countsChange(_ counts: [UInt16], from parentCounts: [UInt16]) -> Int {
            counts.withUnsafeBufferPointer { counts in
                parentCounts.withUnsafeBufferPointer { parent in
                    var change = 0
                    for position in 0..<max(counts.count, parent.count) {
                        let count = position < counts.count ? counts[position] : 0
                        let before = position < parent.count ? parent[position] : 0
                        if count != before { change = change &+ countTerm(position, count) &- countTerm(position, before) }
                    }
                    return change
                }
            }
        }

        @inline(__always)
        private static func countTerm(_ position: Int, _ count: UInt16) -> Int {
            guard count != 0 else { return 0 }
            return Int(truncatingIfNeeded: mix(mix(UInt64(bitPattern: Int64(applicationsSeed)), UInt64(position)), UInt64(count)))
        }

        /// How much the applications' hash changed from `old`, the parent's, to `applications`.
        private static func change(of applications: Applications, from old: Applications) -> Int {
            var change = 0
            let counts = applications.eventCounts
            let parentCounts = old.eventCounts
            if !World.sameBytes(counts, parentCounts) { change &+= countsChange(counts, from: parentCounts) }
            if !World.sameBytes(applications.callCounts, old.callCounts) {
                change &+= World.valueTerm(applicationsSeed, 0, applications.callCounts) &- World.valueTerm(applicationsSeed, 0, old.callCounts)
            }
            return change
        }

        /// The digest of `world`, a successor of `parent`, whose digest this is. `parent`
        /// must not have changed since. `taken`, if given, is an item of `parent`'s agenda
        /// the step took out, which spares looking for it.
        func successor(_ world: World, of parent: World, taken: Agenda.Item? = nil) -> Digest {
            var digest = self
            digest.update(world, parent: parent, taken: taken)
            return digest
        }

        private mutating func update(_ world: World, parent: World, taken: Agenda.Item?) {
            if !World.sameBytes(world.nodes, parent.nodes) {
                precondition(world.nodes.count == parent.nodes.count, "a step keeps the nodes")
                world.nodes.withUnsafeBufferPointer { nodes in
                    parent.nodes.withUnsafeBufferPointer { old in
                        for index in nodes.indices
                        where !World.sameBytes(nodes.baseAddress! + index, old.baseAddress! + index, as: Node.self) {
                            self.nodes &+= Digest.change(index, of: nodes.baseAddress! + index, from: old.baseAddress! + index,
                                                                         everyRowInOrder: everyRowInOrder)
                        }
                    }
                }
            }
            let soon = world.now + world.settings.latencyMax
            if parent.now != world.now {
                // Whether a message is held back past every latency depends on the time too.
                (parts[Part.agenda.rawValue], newestItem) = world.agenda.contentHashAndNewest(soon: soon)
            } else if !World.sameBytes(world.agenda, parent.agenda) {
                (parts[Part.agenda.rawValue], newestItem) = world.agenda.contentHash(
                    soon: soon, was: parts[Part.agenda.rawValue], before: parent.agenda, parentNewest: newestItem, taken: taken)
            }
            if !World.sameBytes(world.orders, parent.orders) { refreshOrders(world.orders, parent.orders) }
            if !World.sameBytes(world.inventory, parent.inventory) { refreshInventory(world.inventory, parent.inventory) }
            if !World.sameBytes(world.payment, parent.payment) {
                parts[Part.payment.rawValue] = World.rowTerm(Digest.paymentSeed, 0, world.payment)
            }
            refresh(.rewards, world.rewards, parent.rewards)
            if !World.sameBytes(world.analytics, parent.analytics) {
                parts[Part.analytics.rawValue] = World.rowTerm(Digest.analyticsSeed, 0, world.analytics)
            }
            if !World.sameBytes(world.published.events, parent.published.events) {
                parts[Part.published.rawValue] &+= World.tableChange(Digest.publishedSeed, world.published.events, from: parent.published.events,
                                                                     ordered: everyRowInOrder)
            }
            if !World.sameBytes(world.parked, parent.parked) {
                parts[Part.parked.rawValue] &+= World.tableChange(Digest.parkedSeed, world.parked, from: parent.parked, ordered: everyRowInOrder)
            }
            refresh(.armedCrashes, world.armedCrashes, parent.armedCrashes)
            refresh(.armedMessageFaults, world.armedMessageFaults, parent.armedMessageFaults)
            refresh(.failures, world.failures, parent.failures)
            if !World.sameBytes(world.applications, parent.applications) {
                parts[Part.applications.rawValue] &+= Digest.change(of: world.applications, from: parent.applications)
            }
            // Every delivery hands out an id, so the counters change at nearly every step.
            if !World.sameBytes(world.ids, parent.ids) { parts[Part.ids.rawValue] = World.rowTerm(Digest.idsSeed, 0, world.ids) }
            combine(world)
        }

        /// The orders service's tables row by row, and the rest of its database when it changed.
        private mutating func refreshOrders(_ db: OrdersDB, _ old: OrdersDB) {
            if !World.sameBytes(db.orders, old.orders) {
                parts[Part.orders.rawValue] &+= World.tableChange(Digest.ordersSeed, db.orders, from: old.orders)
            }
            if !World.sameBytes(db.sagas, old.sagas) {
                parts[Part.sagas.rawValue] &+= World.tableChange(Digest.sagasSeed, db.sagas, from: old.sagas)
            }
            if !World.sameBytes(db.executions, old.executions) {
                parts[Part.executions.rawValue] &+= World.tableChange(Digest.executionsSeed, db.executions, from: old.executions)
            }
            if !db.sameBesidesTables(as: old) { parts[Part.ordersBesidesTables.rawValue] = db.hashBesidesTables() }
        }

        /// The inventory's reservations order by order, and the rest of its database when it changed.
        private mutating func refreshInventory(_ db: InventoryDB, _ old: InventoryDB) {
            let held = db.held.rows
            let parentHeld = old.held.rows
            if !World.sameBytes(held, parentHeld) {
                parts[Part.inventoryHeld.rawValue] &+= World.tableChange(Digest.reservationsSeed, held, from: parentHeld)
            }
            if !db.sameBesidesHeld(as: old) { parts[Part.inventory.rawValue] = db.hashBesidesHeld() }
        }

        @inline(__always)
        private mutating func refresh<Value: Hashable>(_ part: Part, _ value: Value, _ old: Value) {
            if !World.sameBytes(value, old) { parts[part.rawValue] = World.partHash(value) }
        }

        /// How much the terms of node `index` changed from `old`, the parent's node, to `node`.
        private static func change(_ index: Int, of node: UnsafePointer<Node>, from old: UnsafePointer<Node>,
                                   everyRowInOrder: Bool) -> Int {
            var change = 0
            if node.pointee.isUp != old.pointee.isUp || node.pointee.isPartitioned != old.pointee.isPartitioned
                || node.pointee.publisherUp != old.pointee.publisherUp || node.pointee.handlerError != old.pointee.handlerError
                || node.pointee.waitingRows != old.pointee.waitingRows {
                change = flagsTerm(index, node.pointee) &- flagsTerm(index, old.pointee)
            }
            // Tables a step left alone are still its parent's (see `Shared`).
            guard !node.pointee.sharesTables(with: old.pointee) else { return change }
            func add<Row: DigestRow>(_ table: Table, _ rows: [Row], _ parentRows: [Row]) {
                let ordered = everyRowInOrder || (table != .processed && table != .deadLetters)
                if !World.sameBytes(rows, parentRows) { change &+= World.tableChange(seed(index, table), rows, from: parentRows, ordered: ordered) }
            }
            add(.outbox, node.pointee.outbox.storedRows, old.pointee.outbox.storedRows)
            add(.processed, node.pointee.processed.storedMarks, old.pointee.processed.storedMarks)
            let outcomes = node.pointee.processed.callOutcomes
            let parentOutcomes = old.pointee.processed.callOutcomes
            if !World.sameBytes(outcomes, parentOutcomes) {
                change &+= World.valueTerm(seed(index, .outcomes), 0, outcomes) &- World.valueTerm(seed(index, .outcomes), 0, parentOutcomes)
            }
            add(.deadLetters, node.pointee.deadLetters, old.pointee.deadLetters)
            add(.handlings, node.pointee.handlings, old.pointee.handlings)
            let waiting = node.pointee.queue.waiting
            let parentWaiting = old.pointee.queue.waiting
            if !World.sameBytes(waiting, parentWaiting) {
                change &+= World.tableChange(seed(index, .queue), waiting, from: parentWaiting)
            }
            return change
        }

        /// The term of a node's flags: whether it runs, is cut off, its publisher runs, the
        /// handler errors injected, and how many outbox rows wait.
        static func flagsTerm(_ index: Int, _ node: borrowing Node) -> Int {
            let error: UInt64 = switch node.handlerError {
            case .off: 0
            case .next: 1
            case .always: 2
            case .percent(let percent): 3 | UInt64(truncatingIfNeeded: percent) << 2
            }
            let flags = (node.isUp ? 1 : 0) | (node.isPartitioned ? 2 : 0) | (node.publisherUp ? 4 : 0) | error << 3
            var term = Digest.mix(UInt64(bitPattern: Int64(seed(index, .flags))), flags)
            term = Digest.mix(term, UInt64(truncatingIfNeeded: node.waitingRows))
            return Int(truncatingIfNeeded: term)
        }

        /// The fingerprint from the parts' hashes and what is cheaper to hash than to compare.
        /// The parts are hashes already, so they are mixed in (`mix`) rather than hashed again.
        private mutating func combine(_ world: borrowing World) {
            var hash = Digest.mix(0, world.drawsChances ? world.rng.word : 0)
            hash = Digest.mix(hash, UInt64(truncatingIfNeeded: world.now))
            hash = Digest.mix(hash, UInt64(truncatingIfNeeded: nodes))
            for index in 0..<parts.count { hash = Digest.mix(hash, UInt64(truncatingIfNeeded: parts[index])) }
            fingerprint = Int(truncatingIfNeeded: hash)
        }

        /// Mixes 64 bits into a running hash: the finalizer of SplitMix64, a bijection that
        /// spreads every bit of its input over every bit of its output, applied to the hash
        /// so far plus the new word. Nine instructions where `Hasher` spends about sixty.
        @inline(__always)
        static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
            var z = hash &+ 0x9E37_79B9_7F4A_7C15 &+ word
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The hash of one part of a world, on its own.
    static func partHash<Value: Hashable>(_ value: Value) -> Int {
        var hasher = Hasher()
        hasher.combine(value)
        return hasher.finalize()
    }

    /// The hash of a table: the sum of a term for each row with its position, hashed with
    /// `seed` (which table it is), so that one row changed changes one term. (Two tables
    /// of different lengths differ in a term: no count is needed.)
    static func tableHash<Rows: RandomAccessCollection>(_ seed: Int, _ rows: Rows, ordered: Bool = true) -> Int where Rows.Element: DigestRow {
        var sum = 0
        for (position, row) in rows.enumerated() { sum &+= rowTerm(seed, ordered ? position : 0, row) }
        return sum
    }

    /// How much the hash of a table changed from `parentRows`, its rows in the parent
    /// world, to `rows`: only the rows whose bytes differ from the parent's at the same
    /// position are hashed (with the parent's row they replace).
    static func tableChange<Row: DigestRow>(_ seed: Int, _ rows: [Row], from parentRows: [Row], ordered: Bool = true) -> Int {
        rows.withUnsafeBufferPointer { rows in
            parentRows.withUnsafeBufferPointer { parentRows in tableChange(seed, rows, from: parentRows, ordered: ordered) }
        }
    }

    static func tableChange<Row: DigestRow>(_ seed: Int, _ rows: ArraySlice<Row>, from parentRows: ArraySlice<Row>) -> Int {
        rows.withUnsafeBufferPointer { rows in
            parentRows.withUnsafeBufferPointer { parentRows in tableChange(seed, rows, from: parentRows) }
        }
    }

    private static func tableChange<Row: DigestRow>(_ seed: Int, _ rows: UnsafeBufferPointer<Row>,
                                                   from parentRows: UnsafeBufferPointer<Row>, ordered: Bool = true) -> Int {
        var change = 0
        let shared = min(rows.count, parentRows.count)
        for position in 0..<shared where !sameBytes(rows.baseAddress! + position, parentRows.baseAddress! + position, as: Row.self) {
            let at = ordered ? position : 0
            change = change &+ rowTerm(seed, at, rows[position]) &- rowTerm(seed, at, parentRows[position])
        }
        for position in shared..<rows.count { change &+= rowTerm(seed, ordered ? position : 0, rows[position]) }
        for position in shared..<parentRows.count { change &-= rowTerm(seed, ordered ? position : 0, parentRows[position]) }
        return change
    }

    /// The term of one row of a table at `position`.
    @inline(__always)
    static func rowTerm<Row: DigestRow>(_ seed: Int, _ position: Int, _ row: Row) -> Int {
        var hasher = DigestHasher(seed: seed, position: position)
        row.digest(into: &hasher)
        return hasher.value
    }

    /// The term of a value the digest keeps whole, such as a table of counts by key.
    static func valueTerm<Value: Hashable>(_ seed: Int, _ position: Int, _ value: Value) -> Int {
        var hasher = DigestHasher(seed: seed, position: position)
        hasher.combineHashable(value)
        return hasher.value
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
