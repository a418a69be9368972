/// How the ids of one world are named when the explorer fingerprints it up to which of its
/// alike orders is which (`OrderSymmetry`): each event, saga and charge by its order and
/// its rank among that order's, each order's rows summed apart from the other orders'.
///
/// The explorer keeps one, and fills it again for every state it fingerprints (the
/// tables of ranks are reused, not allocated again). After `World.symmetricFingerprint`
/// it still describes that state, so that the actions asleep there can be named the same
/// way (`key(of:)`).
final class SymmetricNaming {
    /// The order and rank of each id of one kind, by the id's number, in storage the
    /// naming owns: read through pointers by every hasher, with no reference counted and
    /// no exclusivity checked on the way (a search names hundreds of ids a state).
    struct Ranks {
        /// The order of each id: 0 for an id of no order, -1 for one not seen.
        fileprivate(set) var order: UnsafeMutablePointer<Int32>
        fileprivate(set) var rank: UnsafeMutablePointer<UInt32>
        fileprivate(set) var count = 0
        /// One past the highest id placed.
        fileprivate(set) var known = 0
        fileprivate var capacity = 0

        init() {
            order = .allocate(capacity: 0)
            rank = .allocate(capacity: 0)
        }

        fileprivate mutating func reset(count: Int) {
            if count > capacity {
                order.deallocate()
                rank.deallocate()
                capacity = Swift.max(count, capacity * 2)
                order = .allocate(capacity: capacity)
                rank = .allocate(capacity: capacity)
            }
            self.count = count
            known = 0
            order.update(repeating: -1, count: count)
        }

        /// Notes that id `number` belongs to `owner`; false if it cannot (out of range, or
        /// already noted for another order).
        @inline(__always)
        fileprivate mutating func note(_ number: Int32, of owner: Int32) -> Bool {
            let index = Int(number)
            guard index > 0, index < count else { return number == 0 }
            if order[index] == -1 {
                order[index] = owner
                known = Swift.max(known, index + 1)
                return true
            }
            return order[index] == owner
        }

        /// Ranks each order's ids by number, counting in `scratch` (one per order).
        fileprivate func rankAll(_ scratch: UnsafeMutableBufferPointer<UInt32>) {
            scratch.update(repeating: 0)
            for index in 0..<count {
                let owner = Int(order[index])
                guard owner > 0, owner < scratch.count else { continue }
                rank[index] = scratch[owner]
                scratch[owner] += 1
            }
        }

        /// A check of which order each of the first `count` ids belongs to.
        func check(upTo count: Int) -> UInt64 {
            var sum: UInt64 = 0
            for index in 0..<count { sum = sum &* 0x100_0000_01B3 &+ UInt64(UInt32(bitPattern: order[index])) }
            return sum
        }

        fileprivate func free() {
            order.deallocate()
            rank.deallocate()
        }
    }

    let symmetry: OrderSymmetry
    private(set) var events = Ranks()
    private(set) var sagas = Ranks()
    private(set) var charges = Ranks()
    /// The customers with one order each, by the hash of their name.
    let ownCustomers: UnsafeMutableBufferPointer<(name: UInt64, order: Int32)>
    /// The sum of each order's terms, by order number, while a fingerprint is made; then
    /// each order's part of the fingerprint (its sum with its class's tag).
    let slices: UnsafeMutableBufferPointer<UInt64>
    private let scratch: UnsafeMutableBufferPointer<UInt32>
    /// The terms of the state whose successors are being fingerprinted, and of the
    /// successor last fingerprinted (`SymmetricNodeTerms`), read and written in place: a
    /// copy of them is some 400 bytes, and a fingerprint reads and writes them per part.
    let parentTerms: UnsafeMutablePointer<UInt64>
    let keptTerms: UnsafeMutablePointer<UInt64>
    /// How the parent's ids were placed when its terms were kept; nil when it kept none.
    private(set) var parentPlaced: SymmetricNodeTerms.Placed?
    /// How the ids of the successor last fingerprinted were placed; nil when it kept none.
    fileprivate(set) var keptPlaced: SymmetricNodeTerms.Placed?
    /// Whether the state last fingerprinted could not be named this way (see `OrderSymmetry`).
    fileprivate(set) var fellBack = false

    init(_ symmetry: OrderSymmetry) {
        self.symmetry = symmetry
        ownCustomers = .allocate(capacity: symmetry.ownCustomers.count)
        _ = ownCustomers.initialize(from: symmetry.ownCustomers)
        slices = .allocate(capacity: symmetry.classTag.count)
        slices.initialize(repeating: 0)
        scratch = .allocate(capacity: symmetry.classTag.count)
        scratch.initialize(repeating: 0)
        parentTerms = .allocate(capacity: SymmetricNodeTerms.count)
        parentTerms.initialize(repeating: 0, count: SymmetricNodeTerms.count)
        keptTerms = .allocate(capacity: SymmetricNodeTerms.count)
        keptTerms.initialize(repeating: 0, count: SymmetricNodeTerms.count)
    }

    /// Takes `terms` as the parent's for the successors fingerprinted next.
    func setParent(_ terms: SymmetricNodeTerms?) {
        guard let terms, let placed = terms.placed else {
            parentPlaced = nil
            return
        }
        parentPlaced = placed
        withUnsafeBytes(of: terms.terms) { parentTerms.update(from: $0.baseAddress!.assumingMemoryBound(to: UInt64.self),
                                                              count: SymmetricNodeTerms.count) }
    }

    /// The terms the successor last fingerprinted kept, to queue with it.
    var kept: SymmetricNodeTerms {
        var terms = SymmetricNodeTerms()
        guard let placed = keptPlaced else { return terms }
        terms.placed = placed
        withUnsafeMutableBytes(of: &terms.terms) {
            $0.baseAddress!.assumingMemoryBound(to: UInt64.self).update(from: keptTerms, count: SymmetricNodeTerms.count)
        }
        return terms
    }

    deinit {
        events.free()
        sagas.free()
        charges.free()
        ownCustomers.deallocate()
        slices.deallocate()
        scratch.deallocate()
        parentTerms.deallocate()
        keptTerms.deallocate()
    }

    /// Reads which order each event, saga and charge of `world` belongs to, and ranks
    /// them; false if an id turns up under two orders, or an order the symmetry was not
    /// made for.
    fileprivate func prepare(_ world: World) -> Bool {
        guard world.orders.orders.count + 1 == slices.count else { return false }
        slices.update(repeating: 0)
        // Placed in local copies (pointers to the same storage) and stored back once: a
        // method called on a class's stored property checks exclusive access every time.
        var events = self.events
        var sagas = self.sagas
        var charges = self.charges
        defer {
            self.events = events
            self.sagas = sagas
            self.charges = charges
        }
        events.reset(count: Int(world.ids.events) + 2)
        for event in world.published.events {
            guard events.note(event.id.number, of: event.orderId.number) else { return false }
        }
        for service in ServiceName.publishers {
            guard !world.node(service).outbox.isCompact else { return false }
            for row in world.node(service).outbox.unpublished {
                guard events.note(row.event.id.number, of: row.event.orderId.number) else { return false }
            }
        }
        events.rankAll(scratch)
        sagas.reset(count: Int(world.ids.sagas) + 2)
        for saga in world.orders.sagas {
            guard sagas.note(saga.sagaId.number, of: saga.orderId.number) else { return false }
        }
        sagas.rankAll(scratch)
        charges.reset(count: Int(world.ids.charges) + 2)
        for charge in world.payment.charges {
            guard charges.note(charge.id.number, of: charge.orderId.number) else { return false }
        }
        charges.rankAll(scratch)
        return true
    }

    /// The tables a hasher names ids by, as they stand.
    var names: SymmetricNames { SymmetricNames(events: events, sagas: sagas, charges: charges, ownCustomers: ownCustomers) }

    /// A name for `action` in the state last fingerprinted that a copy of that state with
    /// its alike orders renamed gives the renamed action: the explorer keeps the actions
    /// asleep in a state by these names.
    func key(of action: ScheduleAction) -> Int {
        guard !fellBack else { return SymmetricNaming.exactKey(of: action) }
        var hasher = SymmetricHasher(seed: SymmetricNaming.actionSeed, names: names)
        action.digest(into: &hasher)
        guard !hasher.failed else { return SymmetricNaming.exactKey(of: action) ^ 1 }
        let owner = hasher.owner == 0 ? 0 : slices[Int(hasher.owner)]
        return Int(truncatingIfNeeded: World.Digest.mix(hasher.state, owner))
    }

    /// A name for `action` that tells every two actions apart.
    static func exactKey(of action: ScheduleAction) -> Int {
        var hasher = DigestHasher(seed: actionSeed)
        action.digest(into: &hasher)
        return hasher.value
    }

    static let actionSeed = -30
    static let agendaSeed = -31
    static let pointsSeed = -32
    static let earnedSeed = -33
    static let ledgerSeed = -34
    static let notificationSeed = -35
    static let pointsOfOrderSeed = -36
    static let chargeSeed = -37
    static let paymentFenceSeed = -38
    static let inventoryFenceSeed = -39
    static let orderTermSeed: UInt64 = 0x5EED_0F_0DE5
}

/// The naming's tables, copied out of it for the hashers: pointers to its storage.
struct SymmetricNames {
    let events: SymmetricNaming.Ranks
    let sagas: SymmetricNaming.Ranks
    let charges: SymmetricNaming.Ranks
    let ownCustomers: UnsafeMutableBufferPointer<(name: UInt64, order: Int32)>
}

/// The hasher of a symmetric fingerprint's terms: an order's id is named as "the order
/// the row belongs to", an event, saga or charge by its rank among that order's, and a
/// customer with one order as that order's customer; the hasher notes which order the
/// row belongs to. A row that names two orders, an id no table places, or a value hashed
/// through `Hasher` (whose ids it cannot rename) fails, and the world is fingerprinted as
/// it is.
struct SymmetricHasher: WordHasher {
    private(set) var state: UInt64
    private let events: SymmetricNaming.Ranks
    private let sagas: SymmetricNaming.Ranks
    private let charges: SymmetricNaming.Ranks
    private let ownCustomers: UnsafeMutableBufferPointer<(name: UInt64, order: Int32)>
    /// The order the row belongs to; 0 for none.
    private(set) var owner: Int32 = 0
    private(set) var failed = false

    @inline(__always)
    init(seed: Int, position: Int = 0, names: SymmetricNames) {
        state = World.Digest.mix(World.Digest.mix(0, UInt64(bitPattern: Int64(seed))), UInt64(bitPattern: Int64(position)))
        events = names.events
        sagas = names.sagas
        charges = names.charges
        ownCustomers = names.ownCustomers
    }

    @inline(__always)
    mutating func combineWord(_ word: UInt64) { state = World.Digest.mix(state, word) }

    mutating func combineHashable<Value: Hashable>(_ value: Value) { failed = true }

    @inline(__always)
    private mutating func belongs(to order: Int32) {
        if owner == 0 { owner = order } else if owner != order { failed = true }
    }

    @inline(__always)
    private mutating func name(_ number: Int32, in ranks: SymmetricNaming.Ranks) -> UInt64 {
        let index = Int(number)
        guard index != 0 else { return 0 }
        guard index > 0, index < ranks.count, ranks.order[index] >= 0 else {
            failed = true
            return 0
        }
        let order = ranks.order[index]
        guard order != 0 else { return UInt64(UInt32(bitPattern: number)) | 1 << 31 }
        belongs(to: order)
        return UInt64(ranks.rank[index]) + 1
    }

    @inline(__always)
    mutating func orderNumber(_ id: OrderId) -> UInt64 {
        guard id.number != 0 else { return 0 }
        belongs(to: id.number)
        return 1
    }

    @inline(__always)
    mutating func eventNumber(_ id: EventId) -> UInt64 { name(id.number, in: events) }
    @inline(__always)
    mutating func sagaNumber(_ id: SagaId) -> UInt64 { name(id.number, in: sagas) }
    @inline(__always)
    mutating func chargeNumber(_ id: ChargeId) -> UInt64 { name(id.number, in: charges) }

    mutating func customerWord(_ name: String) -> UInt64 {
        let hash = TextHash.fnv1a(name)
        for entry in ownCustomers where entry.name == hash {
            belongs(to: entry.order)
            return 1
        }
        return hash
    }
}

/// What each node's tables and each database added to a symmetric fingerprint (to the
/// shared sum and to each order's, for worlds of up to three orders), kept with a state
/// so that its successors, most of whose parts hold the very rows the state held, add
/// the same again without hashing them; with how the naming had placed the ids then,
/// since their ranks must be the same for the sums to be.
struct SymmetricNodeTerms: Sendable {
    static let lanes = 4
    /// The parts kept, after the five nodes.
    enum Slot: Int {
        case orders = 5, inventory, payment, rewards, published, applications, agenda
    }
    static let count = 48
    var terms = InlineArray<48, UInt64>(repeating: 0)
    /// How the naming had placed the ids; nil when nothing is kept.
    var placed: Placed?

    /// How many events, sagas and charges a naming had placed, and a check of which
    /// order each belonged to.
    struct Placed: Sendable {
        var events: Int
        var sagas: Int
        var charges: Int
        var check: UInt64
        /// The world's time, the highest sequence number among its agenda's items and how
        /// many wait there.
        var now: Millis
        var agendaNewest: Int
        var agendaCount: Int

        init(_ names: SymmetricNames, now: Millis, agendaNewest: Int, agendaCount: Int) {
            events = names.events.known
            sagas = names.sagas.known
            charges = names.charges.known
            check = Placed.check(names, events, sagas, charges)
            self.now = now
            self.agendaNewest = agendaNewest
            self.agendaCount = agendaCount
        }

        /// Whether `names` ranks every id placed then as it was ranked then: it places
        /// them in the same orders (ids only ever come after those placed).
        func agrees(with names: SymmetricNames) -> Bool {
            events <= names.events.known && sagas <= names.sagas.known && charges <= names.charges.known
                && Placed.check(names, events, sagas, charges) == check
        }

        private static func check(_ names: SymmetricNames, _ events: Int, _ sagas: Int, _ charges: Int) -> UInt64 {
            names.events.check(upTo: events) &* 31 &+ names.sagas.check(upTo: sagas) &* 7 &+ names.charges.check(upTo: charges)
        }
    }
}

/// The sums a symmetric fingerprint adds its terms to: one for the rows no order owns,
/// one for each order's (the naming's storage).
struct SymmetricTerms {
    var shared: UInt64 = 0
    let slices: UnsafeMutableBufferPointer<UInt64>

    /// The shared sum (lane 0), then each order's.
    func lane(_ index: Int) -> UInt64 { index == 0 ? shared : slices[index] }

    mutating func add(lane index: Int, _ value: UInt64) {
        if index == 0 { shared &+= value } else { slices[index] &+= value }
    }

    /// Adds a term to its order's sum, or to the shared one; false if the term could not
    /// be named (see `SymmetricHasher`).
    @inline(__always)
    mutating func add(_ hasher: SymmetricHasher) -> Bool {
        guard !hasher.failed else { return false }
        if hasher.owner == 0 { shared &+= hasher.state } else { slices[Int(hasher.owner)] &+= hasher.state }
        return true
    }
}

extension World {
    /// The world's fingerprint up to which of its alike orders is which: the sum of the
    /// terms of the rows no order owns, and of one term per order for the rows it owns,
    /// each row named as `SymmetricHasher` names it. A world and its copy with alike orders
    /// swapped get the same fingerprint. Tables whose positions the explorer's fingerprint
    /// keeps keep them, but for an outbox: its rows already published (which no behaviour
    /// reads again) count as a set, the rest in their order. Nil, with `naming.fellBack`
    /// set, for a world this cannot name (see `OrderSymmetry`).
    func symmetricFingerprint(_ naming: SymmetricNaming) -> Int? {
        naming.setParent(nil)
        return symmetricFingerprint(naming, parent: self)
    }

    /// The same, where `parent`, whose terms the naming holds (`setParent`), is the world
    /// this one came from by taking `taken` out of its agenda, if anything: the parts that
    /// still hold the parent's rows add the parent's terms. The naming keeps this world's
    /// terms (`kept`).
    func symmetricFingerprint(_ naming: SymmetricNaming, parent: borrowing World, taken: Agenda.Item? = nil) -> Int? {
        naming.fellBack = true
        naming.keptPlaced = nil
        guard armedMessageFaults.isEmpty, orders.executions.isEmpty, applications.callCounts.isEmpty,
              naming.prepare(self) else { return nil }
        var terms = SymmetricTerms(slices: naming.slices)
        let names = naming.names
        typealias Seeds = Digest
        let lanes = SymmetricNodeTerms.lanes
        let used = naming.slices.count
        let keeps = used <= lanes
        let reuses = keeps && naming.parentPlaced?.agrees(with: names) == true
        let from = naming.parentTerms
        let into = naming.keptTerms
        /// Adds the terms of part `slot`: the parent's when `same` says it holds the
        /// parent's rows, else those `add` hashes, kept for the successors either way.
        func part(_ slot: Int, same: @autoclosure () -> Bool, _ add: (inout SymmetricTerms) -> Bool) -> Bool {
            if reuses && same() {
                for lane in 0..<used { terms.add(lane: lane, from[slot * lanes + lane]) }
                for lane in 0..<lanes { into[slot * lanes + lane] = from[slot * lanes + lane] }
                return true
            }
            var before = InlineArray<4, UInt64>(repeating: 0)
            if keeps { for lane in 0..<used { before[lane] = terms.lane(lane) } }
            guard add(&terms) else { return false }
            if keeps { for lane in 0..<lanes { into[slot * lanes + lane] = lane < used ? terms.lane(lane) &- before[lane] : 0 } }
            return true
        }
        for index in nodes.indices {
            let node = nodes[index]
            guard node.processed.callOutcomes.isEmpty, !node.processed.isCompact, !node.outbox.isCompact, node.deadLetters.isEmpty,
                  node.handlings.isEmpty
            else { return nil }
            terms.shared &+= UInt64(bitPattern: Int64(Digest.flagsTerm(index, node)))
            let added = part(index, same: node.sharesTables(with: parent.nodes[index])) { terms in
                var waiting = 0
                for row in node.outbox.storedRows {
                    var hasher = SymmetricHasher(seed: Seeds.seed(index, .outbox), position: row.published ? -1 : waiting, names: names)
                    if !row.published { waiting += 1 }
                    row.digest(into: &hasher)
                    guard terms.add(hasher) else { return false }
                }
                for mark in node.processed.storedMarks {
                    var hasher = SymmetricHasher(seed: Seeds.seed(index, .processed), names: names)
                    mark.digest(into: &hasher)
                    guard terms.add(hasher) else { return false }
                }
                for (position, delivery) in node.queue.waiting.enumerated() {
                    var hasher = SymmetricHasher(seed: Seeds.seed(index, .queue), position: position, names: names)
                    delivery.digest(into: &hasher)
                    guard terms.add(hasher) else { return false }
                }
                return true
            }
            guard added else { return nil }
        }
        let soon = now + settings.latencyMax
        func term(_ item: Agenda.Item) -> SymmetricHasher {
            var hasher = SymmetricHasher(seed: SymmetricNaming.agendaSeed, names: names)
            if !item.action.isUntimed || item.time > soon {
                hasher.combineWord(1)
                hasher.combineWord(UInt64(bitPattern: Int64(item.time)))
            }
            item.action.digest(into: &hasher)
            return hasher
        }
        // The agenda: the parent's items but the one the step took, and those it put in
        // (numbered above every item of the parent's), when that accounts for every item
        // and the time, which decides how items are hashed, has not moved.
        var newest = Int.min
        var added = 0
        var named = true
        let agendaSlot = SymmetricNodeTerms.Slot.agenda.rawValue
        if reuses, let taken, let placed = naming.parentPlaced, placed.now == now {
            var lanesAdded = InlineArray<4, UInt64>(repeating: 0)
            agenda.forEachUnordered { item in
                newest = Swift.max(newest, item.sequence)
                guard item.sequence > placed.agendaNewest else { return }
                added += 1
                let hasher = term(item)
                if hasher.failed { named = false } else { lanesAdded[Int(hasher.owner)] &+= hasher.state }
            }
            let takenTerm = term(taken)
            if named, !takenTerm.failed, agenda.count == placed.agendaCount - 1 + added {
                lanesAdded[Int(takenTerm.owner)] &-= takenTerm.state
                for lane in 0..<lanes {
                    let value = from[agendaSlot * lanes + lane] &+ lanesAdded[lane]
                    into[agendaSlot * lanes + lane] = value
                    if lane < used { terms.add(lane: lane, value) }
                }
                added = -1
            }
        }
        if added != -1 {
            newest = Int.min
            named = true
            var before = InlineArray<4, UInt64>(repeating: 0)
            if keeps { for lane in 0..<used { before[lane] = terms.lane(lane) } }
            agenda.forEachUnordered { item in
                newest = Swift.max(newest, item.sequence)
                if !terms.add(term(item)) { named = false }
            }
            if keeps { for lane in 0..<lanes { into[agendaSlot * lanes + lane] = lane < used ? terms.lane(lane) &- before[lane] : 0 } }
        }
        let slot = SymmetricNodeTerms.Slot.self
        guard named,
              part(slot.orders.rawValue, same: World.sameBytes(orders, parent.orders), { addOrdersService(names, &$0) }),
              part(slot.inventory.rawValue, same: World.sameBytes(inventory, parent.inventory), { addInventory(names, &$0) }),
              part(slot.payment.rawValue, same: World.sameBytes(payment, parent.payment), { addPayment(names, &$0) }),
              part(slot.rewards.rawValue, same: World.sameBytes(rewards, parent.rewards), { addRewards(names, &$0) }),
              part(slot.published.rawValue, same: World.sameBytes(published.events, parent.published.events), { terms in
                  for event in published.events {
                      var hasher = SymmetricHasher(seed: Seeds.publishedSeed, names: names)
                      event.digest(into: &hasher)
                      guard terms.add(hasher) else { return false }
                  }
                  return true
              }),
              part(slot.applications.rawValue, same: World.sameBytes(applications.eventCounts, parent.applications.eventCounts),
                   { addApplications(names, &$0) }) else { return nil }
        for delivery in parked {
            var hasher = SymmetricHasher(seed: Seeds.parkedSeed, names: names)
            delivery.digest(into: &hasher)
            guard terms.add(hasher) else { return nil }
        }
        var hash = Digest.mix(0, drawsChances ? rng.word : 0)
        hash = Digest.mix(hash, UInt64(truncatingIfNeeded: now))
        hash = Digest.mix(hash, terms.shared)
        hash = Digest.mix(hash, UInt64(bitPattern: Int64(World.rowTerm(Seeds.analyticsSeed, 0, analytics))))
        hash = Digest.mix(hash, UInt64(bitPattern: Int64(World.rowTerm(Seeds.idsSeed, 0, ids))))
        hash = Digest.mix(hash, UInt64(bitPattern: Int64(World.partHash(armedCrashes))))
        hash = Digest.mix(hash, UInt64(bitPattern: Int64(World.partHash(failures))))
        var orderSum: UInt64 = 0
        let slices = naming.slices
        for order in 1..<slices.count {
            slices[order] = Digest.mix(Digest.mix(SymmetricNaming.orderTermSeed, naming.symmetry.classTag[order]), slices[order])
            orderSum &+= slices[order]
        }
        naming.fellBack = false
        if keeps { naming.keptPlaced = SymmetricNodeTerms.Placed(names, now: now, agendaNewest: newest, agendaCount: agenda.count) }
        return Int(truncatingIfNeeded: Digest.mix(hash, orderSum))
    }

    /// The counts of applications by event and service, a term each.
    private func addApplications(_ names: SymmetricNames, _ terms: inout SymmetricTerms) -> Bool {
        let counts = applications.eventCounts
        for n in counts.indices where counts[n] != 0 {
            var hasher = SymmetricHasher(seed: Digest.applicationsSeed, names: names)
            hasher.combineWord(hasher.eventNumber(EventId(number: Int32(n))))
            hasher.combineWord(UInt64(counts[n]))
            guard terms.add(hasher) else { return false }
        }
        return true
    }

    /// The orders service's rows: orders, sagas, and its counts and points earned.
    private func addOrdersService(_ names: SymmetricNames, _ terms: inout SymmetricTerms) -> Bool {
        for order in orders.orders {
            var hasher = SymmetricHasher(seed: Digest.ordersSeed, names: names)
            order.digest(into: &hasher)
            guard terms.add(hasher) else { return false }
        }
        for saga in orders.sagas {
            var hasher = SymmetricHasher(seed: Digest.sagasSeed, names: names)
            saga.digest(into: &hasher)
            guard terms.add(hasher) else { return false }
        }
        var counts = SymmetricHasher(seed: Digest.ordersSeed, position: -1, names: names)
        orders.digestCounts(into: &counts)
        guard terms.add(counts) else { return false }
        return add(orders.earnedPoints, seed: SymmetricNaming.earnedSeed, names, &terms)
    }

    /// Inventory's reservations, stock and fence marks.
    private func addInventory(_ names: SymmetricNames, _ terms: inout SymmetricTerms) -> Bool {
        for reservations in inventory.held.rows {
            for (rank, reservation) in reservations.enumerated() {
                var hasher = SymmetricHasher(seed: Digest.reservationsSeed, position: rank, names: names)
                reservation.digest(into: &hasher, sequence: 0)
                guard terms.add(hasher) else { return false }
            }
        }
        var stock = SymmetricHasher(seed: Digest.reservationsSeed, position: -1, names: names)
        inventory.digestBesidesHeldAndFence(into: &stock)
        return terms.add(stock) && add(inventory.fence, seed: SymmetricNaming.inventoryFenceSeed, names, &terms)
    }

    /// Payment's charges, sums and fence marks.
    private func addPayment(_ names: SymmetricNames, _ terms: inout SymmetricTerms) -> Bool {
        guard add(payment.fence, seed: SymmetricNaming.paymentFenceSeed, names, &terms) else { return false }
        for (position, charge) in payment.charges.enumerated() {
            var hasher = SymmetricHasher(seed: SymmetricNaming.chargeSeed, position: position, names: names)
            charge.digest(into: &hasher)
            guard terms.add(hasher) else { return false }
        }
        var sums = SymmetricHasher(seed: SymmetricNaming.chargeSeed, position: -1, names: names)
        sums.combineInt(payment.captured)
        sums.combineInt(payment.refunded)
        return terms.add(sums)
    }

    /// Rewards' ledger, notifications and points.
    private func addRewards(_ names: SymmetricNames, _ terms: inout SymmetricTerms) -> Bool {
        for (position, entry) in rewards.ledger.enumerated() {
            var hasher = SymmetricHasher(seed: SymmetricNaming.ledgerSeed, position: position, names: names)
            hasher.combineWord(hasher.orderNumber(entry.orderId) | hasher.eventNumber(entry.eventId) << 32)
            hasher.combineWord(hasher.customerWord(entry.customer))
            hasher.combineInt(entry.points)
            hasher.combineInt(entry.at)
            guard terms.add(hasher) else { return false }
        }
        for (position, notification) in rewards.notifications.enumerated() {
            var hasher = SymmetricHasher(seed: SymmetricNaming.notificationSeed, position: position, names: names)
            hasher.combineWord(hasher.orderNumber(notification.orderId))
            hasher.combineWord(hasher.customerWord(notification.customer))
            hasher.combineInt(notification.at)
            guard terms.add(hasher) else { return false }
        }
        for (order, points) in rewards.pointsOfOrder.entries where points != 0 {
            var hasher = SymmetricHasher(seed: SymmetricNaming.pointsOfOrderSeed, names: names)
            hasher.combineWord(hasher.orderNumber(order))
            hasher.combineInt(points)
            guard terms.add(hasher) else { return false }
        }
        return add(rewards.pointsOfCustomer, seed: SymmetricNaming.pointsSeed, names, &terms)
    }

    /// Points by customer, a term each: a customer with one order belongs to that order.
    private func add(_ points: PointsByCustomer, seed: Int, _ names: SymmetricNames, _ terms: inout SymmetricTerms) -> Bool {
        for (customer, sum) in points.entries {
            var hasher = SymmetricHasher(seed: seed, names: names)
            hasher.combineWord(hasher.customerWord(customer))
            hasher.combineInt(sum)
            guard terms.add(hasher) else { return false }
        }
        return true
    }

    /// A fence log's marks, a term each.
    private func add(_ fence: FenceLog, seed: Int, _ names: SymmetricNames, _ terms: inout SymmetricTerms) -> Bool {
        for mark in fence.all {
            var hasher = SymmetricHasher(seed: seed, names: names)
            mark.digest(into: &hasher)
            guard terms.add(hasher) else { return false }
        }
        return true
    }
}
