/// Something 64-bit words can be fed into: the standard library's `Hasher`, or the
/// explorer's `DigestHasher`. A row that packs its fields into words writes that packing
/// once, generic over this, and both its `hash(into:)` and its digest use it.
protocol WordHasher {
    mutating func combineWord(_ word: UInt64)
    /// Any other hashable value, hashed as `Hasher` hashes it.
    mutating func combineHashable<Value: Hashable>(_ value: Value)
    /// The numbers a row packs for its ids and the word for a customer. Each is the id's
    /// own number (the customer's name hashed) but where the explorer fingerprints a world
    /// up to which of several alike orders is which (`SymmetricHasher`): there an order's
    /// own ids are named by their rank within the order.
    mutating func orderNumber(_ id: OrderId) -> UInt64
    mutating func eventNumber(_ id: EventId) -> UInt64
    mutating func sagaNumber(_ id: SagaId) -> UInt64
    mutating func chargeNumber(_ id: ChargeId) -> UInt64
    mutating func customerWord(_ name: String) -> UInt64
}

extension WordHasher {
    @inline(__always)
    mutating func orderNumber(_ id: OrderId) -> UInt64 { UInt64(UInt32(bitPattern: id.number)) }
    @inline(__always)
    mutating func eventNumber(_ id: EventId) -> UInt64 { UInt64(UInt32(bitPattern: id.number)) }
    @inline(__always)
    mutating func sagaNumber(_ id: SagaId) -> UInt64 { UInt64(UInt32(bitPattern: id.number)) }
    @inline(__always)
    mutating func chargeNumber(_ id: ChargeId) -> UInt64 { UInt64(UInt32(bitPattern: id.number)) }
    @inline(__always)
    mutating func customerWord(_ name: String) -> UInt64 { TextHash.fnv1a(name) }
}

extension Hasher: WordHasher {
    @inline(__always)
    mutating func combineWord(_ word: UInt64) { combine(word) }

    @inline(__always)
    mutating func combineHashable<Value: Hashable>(_ value: Value) { combine(value) }
}

/// The hasher behind the explorer's fingerprints: each word is mixed into the state with
/// SplitMix64's finalizer (`World.Digest.mix`), nine instructions a word, where `Hasher`
/// (SipHash-1-3) spends some twenty a word and seventy more to start and finish. A search
/// hashes a few dozen rows and agenda items in every state it reaches, and `Hasher` was a
/// fifth of its instructions.
///
/// Its seed is fixed, so a fingerprint is the same in every process; like `Hasher`'s, it
/// is 64 bits standing for a state, and a search of millions of states has a chance in
/// millions of millions of merging two.
struct DigestHasher: WordHasher {
    private var state: UInt64

    /// A hasher for a row at `position` of the table `seed` names.
    @inline(__always)
    init(seed: Int, position: Int = 0) {
        state = World.Digest.mix(World.Digest.mix(0, UInt64(bitPattern: Int64(seed))), UInt64(bitPattern: Int64(position)))
    }

    @inline(__always)
    mutating func combineWord(_ word: UInt64) { state = World.Digest.mix(state, word) }

    /// A value with no packing of its own: hashed with `Hasher`, and the result mixed in.
    mutating func combineHashable<Value: Hashable>(_ value: Value) {
        var hasher = Hasher()
        hasher.combine(value)
        combineWord(UInt64(bitPattern: Int64(hasher.finalize())))
    }

    var value: Int { Int(truncatingIfNeeded: state) }
}

/// A row of a table the fingerprint hashes row by row (`World.tableHash`). A row that
/// packs its fields into words says so in `digest(into:)`; any other is hashed as
/// `Hasher` hashes it. A packing must feed every field that tells two rows apart:
/// rows that differ only in a field it leaves out are one state to the search.
/// (`DigestTests` lists each packed row's fields, so that a new one is not missed.)
protocol DigestRow: Hashable {
    func digest<H: WordHasher>(into hasher: inout H)
}

extension DigestRow {
    func digest<H: WordHasher>(into hasher: inout H) { hasher.combineHashable(self) }
}

extension WordHasher {
    /// A text, as the hash of its bytes (`TextHash`), which needs no `Hasher`.
    @inline(__always)
    mutating func combineText(_ text: String) { combineWord(TextHash.fnv1a(text)) }

    /// A whole number, as its bits.
    @inline(__always)
    mutating func combineInt(_ value: Int) { combineWord(UInt64(bitPattern: Int64(value))) }
}

extension Array: DigestRow where Element: DigestRow {
    /// Its length, then each element's packing.
    func digest<H: WordHasher>(into hasher: inout H) {
        hasher.combineWord(UInt64(count))
        for element in self { element.digest(into: &hasher) }
    }
}
extension DeadLetter: DigestRow {}
extension Handling: DigestRow {}
extension Execution: DigestRow {}

extension IdCounters: DigestRow {
    /// Every counter but the deliveries handled: a handling's number only tells apart the
    /// deliveries in progress at one consumer, which the digest hashes with their numbers,
    /// and how many were handled before is a count no behaviour reads. (Two worlds that
    /// differ only in it hand out different numbers from here on, to the same deliveries.)
    func digest<H: WordHasher>(into hasher: inout H) {
        func pair(_ low: Int32, _ high: Int32) -> UInt64 { UInt64(UInt32(bitPattern: low)) | UInt64(UInt32(bitPattern: high)) << 32 }
        hasher.combineWord(pair(orders, events))
        hasher.combineWord(pair(sagas, executions))
        hasher.combineWord(pair(charges, deadLetters))
    }
}

/// The bus's publications are digested as their events alone: how often each was
/// published is the learner's to read (`show events`); what each copy did is in the
/// deliveries and the consumers' tables.
extension Event: DigestRow {}

extension Agenda.Action {
    /// The action packed into words: a delivery or a poll, which are most of what waits
    /// in a search's agendas, by its fields; the orchestrator's items through `Hasher`.
    func digest<H: WordHasher>(into hasher: inout H) {
        switch self {
        case .deliver(let delivery):
            hasher.combineWord(1)
            delivery.digest(into: &hasher)
        case .poll(let service): hasher.combineWord(2 | UInt64(service.tag) << 8)
        case .report: hasher.combineWord(3)
        case .call(let call):
            hasher.combineWord(4)
            hasher.combineHashable(call)
        case .reply(let reply):
            hasher.combineWord(5)
            hasher.combineHashable(reply)
        case .timer(let timer):
            hasher.combineWord(6)
            hasher.combineHashable(timer)
        case .stage(let stage):
            hasher.combineWord(7)
            hasher.combineHashable(stage)
        }
    }
}
