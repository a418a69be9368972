import Foundation

extension World {
    /// A world's fingerprint together with the hash of each of its parts, so that the
    /// explorer hashes again only the parts a step changed (an incremental fingerprint).
    ///
    /// A successor starts as a copy of its parent, and a step rewrites only the parts it
    /// touches: the others still hold the very same storage as the parent's. A part whose
    /// bytes (its inline fields and the references to its storage) are those of the parent's
    /// part, while the parent is alive, is that part: copy-on-write never changes storage
    /// two worlds share, and the world holds no class of its own. So its hash is the
    /// parent's, and only parts whose bytes differ are hashed. The fingerprint comes out the
    /// same as from hashing every part from scratch.
    struct Digest {
        /// The hash of each node, in `ServiceName.allCases` order, then of each other part
        /// in `Part` order.
        private var parts: [Int]
        /// The hash of every part together: the world's fingerprint.
        private(set) var fingerprint = 0

        private enum Part: Int, CaseIterable {
            case agenda, orders, inventory, payment, rewards, analytics, published, parked, armedCrashes,
                 armedMessageFaults, failures, applications
        }

        /// Hashes every part of `world`.
        init(of world: World) {
            parts = Array(repeating: 0, count: world.nodes.count + Part.allCases.count)
            update(world, parent: nil)
        }

        /// The digest of `world`, a successor of `parent`, whose digest this is. `parent`
        /// must not have changed since.
        func successor(_ world: World, of parent: World) -> Digest {
            var digest = self
            digest.update(world, parent: parent)
            return digest
        }

        private mutating func update(_ world: World, parent: World?) {
            let nodeCount = world.nodes.count
            if parent.map({ !World.sameBytes(world.nodes, $0.nodes) }) ?? true {
                for index in 0..<nodeCount {
                    let same = parent.map { parent in
                        parent.nodes.count == nodeCount && world.nodes.withUnsafeBufferPointer { nodes in
                            parent.nodes.withUnsafeBufferPointer { old in
                                World.sameBytes(nodes.baseAddress! + index, old.baseAddress! + index, as: Node.self)
                            }
                        }
                    } ?? false
                    if !same { parts[index] = World.partHash(world.nodes[index]) }
                }
            }
            // Whether a message is held back past every latency depends on the time too.
            if parent.map({ $0.now != world.now || !World.sameBytes(world.agenda, $0.agenda) }) ?? true {
                parts[nodeCount + Part.agenda.rawValue] = world.agenda.contentHash(soon: world.now + world.settings.latencyMax)
            }
            func refresh<Value: Hashable>(_ part: Part, _ value: Value, _ old: Value?) {
                if let old, World.sameBytes(value, old) { return }
                parts[nodeCount + part.rawValue] = World.partHash(value)
            }
            refresh(.orders, world.orders, parent?.orders)
            refresh(.inventory, world.inventory, parent?.inventory)
            refresh(.payment, world.payment, parent?.payment)
            refresh(.rewards, world.rewards, parent?.rewards)
            refresh(.analytics, world.analytics, parent?.analytics)
            refresh(.published, world.published, parent?.published)
            refresh(.parked, world.parked, parent?.parked)
            refresh(.armedCrashes, world.armedCrashes, parent?.armedCrashes)
            refresh(.armedMessageFaults, world.armedMessageFaults, parent?.armedMessageFaults)
            refresh(.failures, world.failures, parent?.failures)
            refresh(.applications, world.applications, parent?.applications)
            var hasher = Hasher()
            hasher.combine(world.drawsChances ? world.rng : SeededGenerator(seed: 0))
            hasher.combine(world.now)
            hasher.combine(world.messagesSent)
            hasher.combine(world.ids)
            for part in parts { hasher.combine(part) }
            fingerprint = hasher.finalize()
        }
    }

    /// The hash of one part of a world, on its own.
    static func partHash<Value: Hashable>(_ value: Value) -> Int {
        var hasher = Hasher()
        hasher.combine(value)
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
