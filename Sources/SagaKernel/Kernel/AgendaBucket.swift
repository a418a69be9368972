extension Agenda {
    /// The items due at one time, in sequence order. Taking the first one marks its slot
    /// taken and advances `head` instead of shifting the array, so it costs O(1) and copies
    /// nothing. An item cancelled from the middle leaves a taken slot, found by binary
    /// search on its sequence. Only the items still waiting count for equality and hashing.
    ///
    /// Nearly every item a busy world schedules is a delivery the bus sent, on its first
    /// try or a redelivery: its slot holds that delivery's fields alone, 32 bytes, where a
    /// whole item took 64 (its time is the bucket's, its sequence an offset from the
    /// bucket's first). A publisher's poll after a million orders puts some three million
    /// of them here at once, written once and read once: half the bytes is half the pages
    /// the kernel hands out and the processor fetches. Every other item (a timer, a call, a
    /// reply, a stage, a delivery a retry or a redrive sent) waits whole in `whole`, its
    /// slot marked so and still holding its place in the sequence.
    struct Bucket: Hashable, Sendable {
        struct Slot: Sendable {
            /// The delivery's event; the placeholder when the item waits whole.
            var event: Event
            /// The item's sequence less the bucket's `base`.
            var offset: UInt32
            var target: ServiceName
            var handler: Handler
            var attempt: UInt8
            /// `taken`, `copy` and `kept whole`.
            var flags: UInt8

            static let taken: UInt8 = 1
            static let copy: UInt8 = 2
            static let keptWhole: UInt8 = 4

            var isTaken: Bool { flags & Slot.taken != 0 }
            var isWhole: Bool { flags & Slot.keptWhole != 0 }
        }

        /// Slots in sequence order; `head` is the first not taken (or the end).
        private var slots: [Slot] = []
        private var head = 0
        /// The time every item here is due at, and the sequence the slots' offsets count
        /// from: the first item's, set again whenever the bucket empties.
        private var time: Millis = 0
        private var base = 0
        /// The items kept whole, in sequence order; a taken one stays until the bucket
        /// drops the slots before `head`.
        private var whole: [Item] = []

        /// The event of a slot whose item waits whole.
        private static let placeholder = Event(id: EventId(number: 0), type: .orderCreated, orderId: .none, amount: 0,
                                               createdAt: 0)

        var live: [Item] {
            var items: [Item] = []
            forEach { items.append($0) }
            return items
        }

        var isEmpty: Bool { head == slots.count }
        var first: Item? { isEmpty ? nil : item(at: head) }
        var firstSequence: Int { base + Int(slots[head].offset) }

        func forEach(_ body: (Item) -> Void) {
            for index in head..<slots.count where !slots[index].isTaken { body(item(at: index)) }
        }

        func contains(where predicate: (Item) -> Bool) -> Bool {
            (head..<slots.count).contains { !slots[$0].isTaken && predicate(item(at: $0)) }
        }

        init(_ items: [Item] = []) {
            slots.reserveCapacity(items.count)
            for item in items { append(item) }
        }

        init(_ item: __owned Item, room: Int = 1) {
            if room > 1 {
                slots.reserveCapacity(room)
                slots.prefaultAllRoom()
            }
            append(item)
        }

        /// How many slots the bucket has room for.
        var capacity: Int { slots.capacity }

        /// Makes room for `n` more items, so that appending them copies nothing.
        mutating func makeRoom(for n: Int) {
            slots.reserveCapacity(slots.count + n)
            slots.prefaultAllRoom()
        }

        /// The item in the slot at `index`, made again from the slot's fields.
        @inline(__always)
        private func item(at index: Int) -> Item {
            let slot = slots[index]
            if slot.isWhole { return whole[wholeIndex(of: sequenceAt(index))] }
            let sequence = base + Int(slot.offset)
            let delivery = Delivery(event: slot.event, target: slot.target, handler: slot.handler, attempt: Int(slot.attempt),
                                    isCopy: slot.flags & Slot.copy != 0)
            return Item(time: time, sequence: sequence, action: .deliver(delivery))
        }

        /// Where the item kept whole with `sequence` sits in `whole`: a binary search.
        private func wholeIndex(of sequence: Int) -> Int {
            var low = 0
            var high = whole.count
            while low < high {
                let mid = (low + high) / 2
                if whole[mid].sequence < sequence { low = mid + 1 } else { high = mid }
            }
            return low
        }

        /// Appends `item`, first dropping the taken slots before `head` when they are at
        /// least half of a full array (`dropTakenSlotsIfFull`).
        mutating func append(_ item: __owned Item) {
            if slots.isEmpty {
                time = item.time
                base = item.sequence
            } else {
                dropTakenSlotsIfFull()
            }
            let offset = item.sequence - base
            let fits = offset < Int(UInt32.max)
            if case .deliver(let delivery) = item.action, fits, delivery.retry == nil,
               (1...Int(UInt8.max)).contains(delivery.attempt), delivery.immediateRetries == 0, delivery.delayedRetries == 0 {
                slots.append(Slot(event: delivery.event, offset: UInt32(offset), target: delivery.target,
                                  handler: delivery.handler, attempt: UInt8(delivery.attempt),
                                  flags: delivery.isCopy ? Slot.copy : 0))
            } else {
                // An offset past four bytes (some four billion items scheduled while this
                // one waited) is kept whole too, its offset `UInt32.max` (see `sequenceAt`).
                slots.append(Slot(event: Bucket.placeholder, offset: fits ? UInt32(offset) : UInt32.max, target: .orders,
                                  handler: .reserveStock, attempt: 0, flags: Slot.keptWhole))
                whole.append(item)
            }
        }

        /// Appends the delivery the bus sends on its first try with `sequence`, from its
        /// fields: what `append` does with the commonest item, without making the item to
        /// take it apart again. The bucket must hold an item (its time is the delivery's).
        @inline(__always)
        mutating func appendFirstTry(_ event: Event, to target: ServiceName, handler: Handler, isCopy: Bool,
                                     sequence: Int) {
            let offset = sequence - base
            guard !slots.isEmpty, offset < Int(UInt32.max) else {
                let delivery = Delivery(event: event, target: target, handler: handler, attempt: 1, isCopy: isCopy)
                append(Item(time: time, sequence: sequence, action: .deliver(delivery)))
                return
            }
            dropTakenSlotsIfFull()
            slots.append(Slot(event: event, offset: UInt32(offset), target: target, handler: handler, attempt: 1,
                              flags: isCopy ? Slot.copy : 0))
        }

        /// Drops the taken slots before `head` when they are at least half of a full
        /// array, with the whole items behind them: the room they leave is reused instead
        /// of growing.
        @inline(__always)
        private mutating func dropTakenSlotsIfFull() {
            guard head > 0 && slots.count == slots.capacity && head * 2 >= slots.count else { return }
            if !whole.isEmpty { whole.removeFirst(slots[..<head].lazy.filter(\.isWhole).count) }
            slots.removeFirst(head)
            head = 0
        }

        /// Takes the first item out; `emptied` says whether it was the last.
        mutating func popFirst(emptied: inout Bool) -> Item {
            let item = item(at: head)
            slots[head].flags |= Slot.taken
            head += 1
            settle()
            emptied = slots.isEmpty
            return item
        }

        /// What the first item will read first, if it is a delivery: read from the slot
        /// where it lies, without making the item.
        var firstHint: PrefetchHint? {
            guard head < slots.count else { return nil }
            return slots.withUnsafeBufferPointer { slots in
                let slot = slots[head]
                guard !slot.isWhole else { return whole[wholeIndex(of: sequenceAt(head))].action.prefetchHint }
                return PrefetchHint(event: slot.event.id, order: slot.event.orderId, target: slot.target)
            }
        }

        /// The slot holding `sequence`, if it still holds an item.
        func index(of sequence: Int) -> Int? {
            guard sequence >= base else { return nil }
            var low = head
            var high = slots.count
            while low < high {
                let mid = (low + high) / 2
                if sequenceAt(mid) < sequence { low = mid + 1 } else { high = mid }
            }
            return low < slots.count && sequenceAt(low) == sequence && !slots[low].isTaken ? low : nil
        }

        /// The sequence of the item in the slot at `index`: from its offset, or, when the
        /// offset did not fit (see `append`), from its item kept whole, the whole items
        /// being in the order of their slots.
        @inline(__always)
        private func sequenceAt(_ index: Int) -> Int {
            let slot = slots[index]
            guard slot.offset == UInt32.max else { return base + Int(slot.offset) }
            return whole[slots[..<index].lazy.filter(\.isWhole).count].sequence
        }

        func item(sequence: Int) -> Item? { index(of: sequence).map { item(at: $0) } }

        /// Takes out the item with `sequence`, wherever it waits.
        mutating func remove(sequence: Int) -> Item? {
            guard let index = index(of: sequence) else { return nil }
            let item = item(at: index)
            slots[index].flags |= Slot.taken
            settle()
            return item
        }

        /// Moves `head` past emptied slots, and empties the arrays once every slot is taken.
        /// Taken slots are no longer items, so the ones before `head` cost their bytes only;
        /// they are dropped when the bucket empties or an append would otherwise grow it.
        /// Dropping them as the bucket drains would shift its live half again and again:
        /// a publisher's batch at one instant puts tens of thousands of items in one bucket.
        @inline(__always)
        private mutating func settle() {
            while head < slots.count && slots[head].isTaken { head += 1 }
            if head == slots.count {
                slots.removeAll(keepingCapacity: true)
                whole.removeAll()
                head = 0
            }
        }

        static func == (a: Bucket, b: Bucket) -> Bool { a.live == b.live }

        func hash(into hasher: inout Hasher) {
            hasher.combine(live)
        }
    }
}
