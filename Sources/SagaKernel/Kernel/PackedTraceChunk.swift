/// A chunk of the trace kept as bytes: what lets a million orders' 25 million entries fit
/// in memory.
///
/// A `TraceEntry` takes 48 bytes, and the happenings a saga records most (an order awarded
/// points, a charge captured, a request) hold a box or an array besides. Packed, the
/// common entries take under ten bytes: their times, orders and events are written as
/// differences from the chunk's first entry, or not at all when they are the previous
/// entry's (a delivery's entries follow one another and name one order and one event),
/// their ids inside the happening as differences from the entry's own, each in as few
/// bytes as the number needs. The happenings a run
/// records rarely (a lab setting, a dead letter, a broken invariant) are kept whole beside
/// the bytes. Packing the same entries gives the same bytes, so equality and hashing still
/// come from the compiler; `entry(at:)` reads one entry back, equal to the one packed.
///
/// Each entry's bytes begin with their length. Every sixteenth entry (the first, the
/// seventeenth...) is written without reference to the one before, and an entry is read
/// by stepping from the nearest such entry before it over the lengths of those between,
/// reading each one's time, order and event on the way. So a chunk keeps only where every
/// sixteenth entry begins, open or sealed: four bytes an entry where each start was kept,
/// which was a third of a sealed chunk's memory. Reading every
/// entry in order (`entries`, `forEachOrderId`) steps from each to the next.
struct PackedTraceChunk: Hashable, Sendable {
    /// The packed entries, then (in a chunk still open for appends) zeros up to
    /// `paddedCount(after:)` its last entry's start: room the next entry is written into
    /// in place. The padding depends on the entries alone, so equal chunks are equal arrays.
    private var bytes: [UInt8] = []
    /// How many of `bytes` the entries take.
    private var used = 0
    /// Where every `sealedStartsEvery`-th entry's bytes begin (the first's, the
    /// seventeenth's...), open or sealed: each other entry is found by stepping over the
    /// lengths from there. An open chunk kept every entry's start, a write at every entry
    /// the million orders' trace took some thirty instructions for, read only to drop
    /// entries (`removeLast`), which steps as quickly.
    private var starts: [UInt32] = []
    /// How many entries the chunk holds.
    private(set) var count = 0
    /// The entries of happenings the packing does not cover, in order.
    private var whole: [TraceEntry] = []
    /// The time, order and event of the chunk's first entry: what the others are written
    /// as differences from.
    private var baseTime: Millis = 0
    private var baseOrder: Int32 = 0
    private var baseEvent: Int32 = 0
    /// The time, order, event and lanes of the last entry: what the next one may say it
    /// repeats.
    private var last = Context()

    /// An entry's time, order, event and lanes (`lanes(service:from:byPublisher:order:)`),
    /// which the next entry may repeat.
    /// The order and event share one word (`subject(order:event:)`), so that whether an
    /// entry repeats the last one's is one comparison, not two of optionals.
    private struct Context: Hashable, Sendable {
        var time: Millis
        var subject: UInt64
        var lanes: UInt8

        /// An order's and an event's numbers in one word, each in 32 bits, a missing one
        /// as `absent` (no id counts down to it).
        @inline(__always)
        static func subject(order: Int32?, event: Int32?) -> UInt64 {
            UInt64(UInt32(bitPattern: order ?? absent)) << 32 | UInt64(UInt32(bitPattern: event ?? absent))
        }

        private static let absent = Int32.min

        var order: Int32? {
            get { Context.number(Int32(truncatingIfNeeded: subject >> 32)) }
            set { subject = Context.subject(order: newValue, event: event) }
        }

        var event: Int32? {
            get { Context.number(Int32(truncatingIfNeeded: subject)) }
            set { subject = Context.subject(order: order, event: newValue) }
        }

        private static func number(_ bits: Int32) -> Int32? { bits == absent ? nil : bits }

        init(time: Millis = 0, subject: UInt64 = Context.subject(order: nil, event: nil), lanes: UInt8 = 0) {
            (self.time, self.subject, self.lanes) = (time, subject, lanes)
        }

        init(_ entry: borrowing TraceEntry) {
            time = entry.time
            subject = Context.subject(order: entry.orderId?.number, event: entry.eventId?.number)
            lanes = PackedTraceChunk.lanes(service: entry.service, from: entry.from, byPublisher: entry.byPublisher,
                                           order: entry.orderId)
        }
    }

    /// An entry's service, the service it came from, whether a publisher did it and
    /// whether it names an order, in one byte.
    @inline(__always)
    fileprivate static func lanes(service: ServiceName?, from: ServiceName?, byPublisher: Bool, order: OrderId?) -> UInt8 {
        (service.map { $0.tag + 1 } ?? 0) | (from.map { $0.tag + 1 } ?? 0) << 3 | (byPublisher ? 0x40 : 0)
            | (order == nil ? 0 : 0x80)
    }

    /// A chunk keeps the start of one entry in this many: a power of two, found with a mask.
    static let sealedStartsEvery = 16
    /// Whether the chunk is open for appends: it then keeps the room for the next entry
    /// after its last (`paddedCount(after:)`), which sealing drops.
    private var isOpen: Bool { bytes.count > used }
    /// The bytes the packed entries take, and how many entries are kept whole: what tests
    /// read to hold the packing to its size.
    var byteCount: Int { used }
    var wholeCount: Int { whole.count }
    /// How many entries' starts the chunk keeps: one in `sealedStartsEvery`.
    var startsKept: Int { starts.count }

    /// An empty chunk with room for `entries` entries before it grows.
    init(room entries: Int = 0) {
        bytes.reserveCapacity(entries * 14 + PackedTraceChunk.entryRoom)
        starts.reserveCapacity(entries / PackedTraceChunk.sealedStartsEvery + 1)
    }

    /// How many bytes of entries a chunk of the trace holds: its bytes then take one
    /// 14 KiB allocation, the array's header included, the largest of jemalloc's small
    /// sizes (a large one, from 16 KiB, is given a page more). A chunk as long as a number
    /// of entries took whatever their bytes came to, which the allocator rounded up to its
    /// next size, a tenth more on average; a chunk this long is sealed as it is, without a
    /// copy, and a million orders' trace keeps some 20 000 of them.
    static let byteCapacity = 14_336 - 32

    /// An empty chunk of the trace: room for `byteCapacity` bytes of entries.
    static var open: PackedTraceChunk {
        var chunk = PackedTraceChunk()
        chunk.bytes.reserveCapacity(byteCapacity)
        chunk.starts.reserveCapacity(byteCapacity / 8 / sealedStartsEvery)
        return chunk
    }

    /// Whether the next entry might not fit in `byteCapacity`: the trace then seals this
    /// chunk and opens another.
    var isFull: Bool { used + Self.entryRoom > Self.byteCapacity }

    /// The chunk of `entries`, in order.
    init(_ entries: [TraceEntry]) {
        self.init(room: entries.count)
        for entry in entries { append(entry) }
    }

    /// The room an entry is given to be packed into; one that needs more, or more than its
    /// length byte can say, is kept whole.
    private static let entryRoom = 256

    /// How many bytes an open chunk holds, padding included, once its last entry begins
    /// at `start`: the room for that entry, rounded up so that the array grows seldom, and
    /// no further than `byteCapacity` where the room fits in it.
    private static func paddedCount(after start: Int) -> Int {
        let room = start + entryRoom
        return room <= byteCapacity ? Swift.min((room + 1_023) & ~1_023, byteCapacity) : (room + 1_023) & ~1_023
    }

    mutating func append(_ entry: borrowing TraceEntry) {
        append(entry.what, time: entry.time, service: entry.service, from: entry.from,
               byPublisher: entry.byPublisher, order: entry.orderId, event: entry.eventId)
    }

    /// Appends the entry these fields make (`TraceEntry`'s), packing it from them: a
    /// happening the world logs is read where it was made, never copied into an entry.
    mutating func append(_ what: borrowing Happening, time: Millis, service: ServiceName?, from: ServiceName?,
                         byPublisher: Bool, order: OrderId?, event: EventId?) {
        let packed = appendPacked(time: time, service: service, from: from, byPublisher: byPublisher, order: order,
                                  event: event) { writer, ownOrder, ownEvent in
            Self.pack(what, ownOrder: ownOrder, ownEvent: ownEvent, into: &writer)
        }
        guard !packed else { return }
        whole.append(TraceEntry(time: time, service: service, from: from, byPublisher: byPublisher,
                                orderId: order, eventId: event, what: copy what))
    }

    /// Appends a delivery's arrival, `.message(.received(ref, isCopy:, attempt:, retry: nil))`,
    /// packed from its fields as `append` packs the happening: the same bytes, without
    /// making the happening and finding its case again (a step logs one, and each entry's
    /// own work is what a million orders' trace costs).
    mutating func appendReceived(_ ref: EventRef, isCopy: Bool, attempt: Int32, time: Millis, service: ServiceName?,
                                 from: ServiceName?, order: OrderId?, event: EventId?) {
        let packed = appendPacked(time: time, service: service, from: from, byPublisher: false, order: order,
                                  event: event) { writer, _, ownEvent in
            writer.eventRef(ref, from: ownEvent)
            writer.signed(Int(attempt) * 2 + (isCopy ? 1 : 0))
            return Code.received
        }
        guard !packed else { return }
        whole.append(TraceEntry(time: time, service: service, from: from, byPublisher: false, orderId: order, eventId: event,
                                what: .message(.received(ref, isCopy: isCopy, attempt: attempt, retry: nil))))
    }

    /// Appends a request to place an order without a key, `.api(.request(customer:items:key:
    /// nil))`, packed as `append` packs the happening, without making it (a box for each of
    /// a range's orders).
    mutating func appendRequest(customer: String, items: [OrderItem], time: Millis, service: ServiceName?) {
        let packed = appendPacked(time: time, service: service, from: nil, byPublisher: false, order: nil,
                                  event: nil) { writer, _, _ in
            writer.text(customer)
            writer.items(items)
            return Code.request
        }
        guard !packed else { return }
        whole.append(TraceEntry(time: time, service: service, from: nil, byPublisher: false, orderId: nil, eventId: nil,
                                what: .api(.request(customer: customer, items: items, key: nil))))
    }

    /// Appends an order's creation, `.api(.created(order:saga:total:outbox:))`, packed as
    /// `append` packs the happening, without making it.
    mutating func appendCreated(order id: OrderId, saga: SagaId, total: Int, outbox: EventRef?, time: Millis,
                                service: ServiceName?, order: OrderId?, event: EventId?) {
        let packed = appendPacked(time: time, service: service, from: nil, byPublisher: false, order: order,
                                  event: event) { writer, ownOrder, ownEvent in
            Self.packCreated(order: id, saga: saga, total: total, outbox: outbox, ownOrder: ownOrder, ownEvent: ownEvent,
                             into: &writer)
        }
        guard !packed else { return }
        whole.append(TraceEntry(time: time, service: service, from: nil, byPublisher: false, orderId: order, eventId: event,
                                what: .api(.created(order: id, saga: saga, total: total, outbox: outbox))))
    }

    /// Appends an event's first publication, `.message(.published(ref, route:))`, packed as
    /// `append` packs the happening, without making it.
    mutating func appendPublished(_ ref: EventRef, route: MessageHappening.Route, time: Millis, service: ServiceName?,
                                  byPublisher: Bool, order: OrderId?, event: EventId?) {
        let packed = appendPacked(time: time, service: service, from: nil, byPublisher: byPublisher, order: order,
                                  event: event) { writer, _, ownEvent in
            Self.packPublished(ref, route: route, ownEvent: ownEvent, into: &writer)
        }
        guard !packed else { return }
        whole.append(TraceEntry(time: time, service: service, from: nil, byPublisher: byPublisher, orderId: order,
                                eventId: event, what: .message(.published(ref, route: route))))
    }

    /// Appends a step's result, `.step(result, compensated:, outbox:)`, packed as `append`
    /// packs the happening, without making it.
    @inline(__always)
    mutating func appendStep(_ result: borrowing StepResult, compensated: Bool, outbox: EventRef?, time: Millis,
                             service: ServiceName?, order: OrderId?, event: EventId?) {
        let packed = appendPacked(time: time, service: service, from: nil, byPublisher: false, order: order,
                                  event: event) { writer, ownOrder, ownEvent in
            Self.packStep(result, compensated: compensated, outbox: outbox, ownOrder: ownOrder, ownEvent: ownEvent,
                          into: &writer) ? Code.step : nil
        }
        guard !packed else { return }
        whole.append(TraceEntry(time: time, service: service, from: nil, byPublisher: false, orderId: order, eventId: event,
                                what: .step(copy result, compensated: compensated, outbox: outbox)))
    }

    /// Appends an entry: its header (length, code, and the lanes, time, order and event
    /// the previous entry does not share), then what `payload` writes, which returns the
    /// code of what happened, or nil for a happening kept whole. False for one kept
    /// whole, or too long for its length byte: its bytes then say so and where it is kept
    /// (the next of `whole`, which the caller appends).
    @inline(__always)
    private mutating func appendPacked(time: Millis, service: ServiceName?, from: ServiceName?, byPublisher: Bool,
                                       order: OrderId?, event: EventId?,
                                       payload: (inout TraceByteWriter, _ ownOrder: Int, _ ownEvent: Int) -> UInt8?) -> Bool {
        assert(count == 0 || isOpen, "a sealed chunk takes no more entries")
        if count == 0 {
            baseTime = time
            baseOrder = order?.number ?? 0
            baseEvent = event?.number ?? 0
        }
        let start = used
        let independent = count & (Self.sealedStartsEvery - 1) == 0
        let lanes = Self.lanes(service: service, from: from, byPublisher: byPublisher, order: order)
        let sameTime = !independent && time == last.time
        let subject = Context.subject(order: order?.number, event: event?.number)
        let sameSubject = !independent && subject == last.subject
        let sameLanes = !independent && lanes == last.lanes
        last = Context(time: time, subject: subject, lanes: lanes)
        if independent { starts.append(UInt32(start)) }
        count += 1
        if bytes.count < start + Self.entryRoom {
            let padded = Self.paddedCount(after: start)
            // A copy a snapshot made has no spare room: room for a whole chunk, not doubling.
            if bytes.capacity < padded && padded <= Self.byteCapacity { bytes.reserveCapacity(Self.byteCapacity) }
            bytes.padWithZeros(to: padded)
        }
        let wholeIndex = whole.count
        let (baseTime, baseOrder, baseEvent) = (baseTime, baseOrder, baseEvent)
        var packed = true
        used += bytes.withUnsafeMutableBufferPointer { buffer in
            let room = UnsafeMutableBufferPointer(rebasing: buffer[start..<start + Self.entryRoom])
            var writer = TraceByteWriter(room)
            writer.byte(0)
            writer.byte(0)
            if !sameLanes { writer.byte(lanes) }
            if !sameTime { writer.signed(time - baseTime) }
            if !sameSubject {
                if let order { writer.signed(Int(order.number) - Int(baseOrder)) }
                if let event { writer.signed(Int(event.number) - Int(baseEvent)) }
            }
            if let code = payload(&writer, Int(order?.number ?? 0), Int(event?.number ?? 0)),
               !writer.overflowed, writer.count <= Int(UInt8.max) {
                writer.patch(UInt8(writer.count), at: 0)
                writer.patch(code | (event == nil ? 0 : Code.namesEvent) | (sameTime ? Code.sameTime : 0)
                             | (sameSubject ? Code.sameSubject : 0) | (sameLanes ? Code.sameLanes : 0), at: 1)
                return writer.count
            }
            room.update(repeating: 0)
            packed = false
            writer = TraceByteWriter(room)
            writer.byte(0)
            writer.byte(Code.whole)
            writer.unsigned(UInt64(wholeIndex))
            writer.patch(UInt8(writer.count), at: 0)
            return writer.count
        }
        return packed
    }

    /// Drops the last `k` entries, leaving the chunk as if they had never been appended.
    mutating func removeLast(_ k: Int) {
        assert(isOpen, "entries are dropped from an open chunk")
        guard k > 0 else { return }
        let kept = count - k
        let (keptStart, lastStart, dropsWhole) = bytes.withUnsafeBufferPointer { buffer in
            let keptStart = seek(kept, in: buffer).offset
            var dropsWhole = 0
            var offset = keptStart
            for _ in kept..<count {
                if buffer[offset + 1] == Code.whole { dropsWhole += 1 }
                offset += Int(buffer[offset])
            }
            return (keptStart, kept > 0 ? seek(kept - 1, in: buffer).offset : 0, dropsWhole)
        }
        whole.removeLast(dropsWhole)
        if kept == 0 {
            self = PackedTraceChunk()
            return
        }
        used = keptStart
        starts.removeSubrange(((kept + Self.sealedStartsEvery - 1) / Self.sealedStartsEvery)...)
        count = kept
        last = bytes.withUnsafeBufferPointer { context(after: kept - 1, in: $0) }
        let padded = Self.paddedCount(after: lastStart)
        bytes.removeSubrange(padded...)
        bytes.withUnsafeMutableBufferPointer { buffer in
            UnsafeMutableBufferPointer(rebasing: buffer[used...]).update(repeating: 0)
        }
    }

    /// The chunk without its padding, keeping the start of one entry in
    /// `sealedStartsEvery`: what a full chunk keeps for the rest of the run. Its bytes stay
    /// where they are, in the allocation they filled.
    var sealed: PackedTraceChunk {
        var chunk = self
        chunk.seal()
        return chunk
    }

    /// Seals the chunk in place (see `sealed`): its bytes are not copied.
    mutating func seal() {
        guard isOpen else { return }
        bytes.removeSubrange(used...)
    }

    /// A sealed chunk open for appends again, padded as if it had never been sealed.
    var reopened: PackedTraceChunk {
        guard count > 0 else { return self }
        var chunk = self
        let lastStart = bytes.withUnsafeBufferPointer { seek(count - 1, in: $0).offset }
        let padded = Self.paddedCount(after: lastStart)
        if padded <= Self.byteCapacity { chunk.bytes.reserveCapacity(Self.byteCapacity) }
        chunk.bytes.padWithZeros(to: padded)
        return chunk
    }

    /// Where the bytes of the entry at `position` begin, and the time, order and event of
    /// the entry before it: found from the nearest entry written on its own, at or before
    /// it, by stepping over the entries between.
    @inline(__always)
    private func seek(_ position: Int, in buffer: UnsafeBufferPointer<UInt8>) -> (offset: Int, before: Context) {
        let skipped = position % Self.sealedStartsEvery
        var offset = Int(starts[position / Self.sealedStartsEvery])
        var context = Context()
        for _ in 0..<skipped { offset = step(over: offset, in: buffer, &context) }
        return (offset, context)
    }

    /// Reads the time, order and event of the entry at `offset` into `context` (which holds
    /// the previous entry's) and returns where the next entry begins.
    @inline(__always)
    private func step(over offset: Int, in buffer: UnsafeBufferPointer<UInt8>, _ context: inout Context) -> Int {
        var reader = TraceByteReader(buffer, at: offset + 1)
        let first = reader.byte()
        if first == Code.whole {
            context = Context(whole[Int(reader.unsigned())])
            return offset + Int(buffer[offset])
        }
        if first & Code.sameLanes == 0 { context.lanes = reader.byte() }
        if first & Code.sameTime == 0 { context.time = baseTime + reader.signed() }
        if first & Code.sameSubject == 0 {
            context.order = context.lanes & 0x80 == 0 ? nil : Int32(Int(baseOrder) + reader.signed())
            context.event = first & Code.namesEvent == 0 ? nil : Int32(Int(baseEvent) + reader.signed())
        }
        return offset + Int(buffer[offset])
    }

    /// The time, order and event of the entry at `position`.
    private func context(after position: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Context {
        let (offset, before) = seek(position, in: buffer)
        var context = before
        _ = step(over: offset, in: buffer, &context)
        return context
    }

    /// The entry at `position` (0 for the chunk's first), as it was packed.
    func entry(at position: Int) -> TraceEntry {
        bytes.withUnsafeBufferPointer { buffer in
            let (offset, before) = seek(position, in: buffer)
            var context = before
            var reader = TraceByteReader(buffer, at: offset)
            return unpack(&reader, after: &context)
        }
    }

    /// The order the entry at `position` names, read from the headers alone.
    func orderId(at position: Int) -> OrderId? {
        bytes.withUnsafeBufferPointer { context(after: position, in: $0).order.map { OrderId(number: $0) } }
    }

    /// Calls `body` with each entry's position and the order it names, in order, reading
    /// the headers alone: what `log` and `trace` for one order ask of every entry.
    func forEachOrderId(_ body: (Int, OrderId?) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            var context = Context()
            for position in 0..<count {
                offset = step(over: offset, in: buffer, &context)
                body(position, context.order.map { OrderId(number: $0) })
            }
        }
    }

    /// Every entry, in order.
    var entries: [TraceEntry] {
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            var context = Context()
            return (0..<count).map { _ in
                var reader = TraceByteReader(buffer, at: offset)
                offset += Int(buffer[offset])
                return unpack(&reader, after: &context)
            }
        }
    }

    /// The byte after an entry's length: what happened (its low three bits), with the top
    /// bit set when the entry names an event, and flags for a time, an order and event, or
    /// lanes that are the previous entry's and are not written again.
    private enum Code {
        static let whole: UInt8 = 0
        static let received: UInt8 = 1
        static let published: UInt8 = 2
        static let request: UInt8 = 3
        static let created: UInt8 = 4
        /// A step's result; the next byte says which (`StepCode`).
        static let step: UInt8 = 5
        static let namesEvent: UInt8 = 0x80
        static let sameTime: UInt8 = 0x40
        static let sameSubject: UInt8 = 0x20
        static let sameLanes: UInt8 = 0x10
        static let what: UInt8 = 0x07
    }

    /// Which of a step's results follows a `Code.step`.
    private enum StepCode {
        /// The step's flags, in the byte that says which result it is: a compensation that
        /// changed something, and an outbox row written with it.
        static let compensated: UInt8 = 0x80
        static let writesOutbox: UInt8 = 0x40
        static let result: UInt8 = 0x3F
        static let counted: UInt8 = 0
        static let countedConfirmed: UInt8 = 1
        static let awarded: UInt8 = 2
        static let captured: UInt8 = 3
        static let sagaStepSucceeded: UInt8 = 4
        static let reserved: UInt8 = 5
        static let sold: UInt8 = 6
        static let released: UInt8 = 7
        static let confirmed: UInt8 = 8
        static let nothingReserved: UInt8 = 9
        static let noChargeToRefund: UInt8 = 10
        static let cancelled: UInt8 = 11
        static let markedForCompensation: UInt8 = 12
        static let emptyRollback: UInt8 = 13
        static let declined: UInt8 = 14
        static let refunded: UInt8 = 15
        static let nothingToSell: UInt8 = 16
        static let noPointsToRevoke: UInt8 = 17
        static let revoked: UInt8 = 18
        static let notified: UInt8 = 19
        static let suspended: UInt8 = 20
    }

    private static let eventTypes = EventType.allCases
    private static let services = ServiceName.allCases
    private static let stepNames = SagaStepName.allCases

    // MARK: Packing

    /// Writes what happened after an entry's header (`appendPacked`) and returns its code,
    /// or nil (leaving stray bytes the caller drops) for a happening kept whole. Numbers
    /// about the entry's own order and event are written as differences from them.
    @inline(__always)
    private static func pack(_ what: borrowing Happening, ownOrder: Int, ownEvent: Int,
                             into writer: inout TraceByteWriter) -> UInt8? {
        switch what {
        case .message(.received(let ref, let isCopy, let attempt, nil)):
            writer.eventRef(ref, from: ownEvent)
            writer.signed(Int(attempt) * 2 + (isCopy ? 1 : 0))
            return Code.received
        case .message(.published(let ref, let route)):
            return packPublished(ref, route: route, ownEvent: ownEvent, into: &writer)
        case .api(.request(let customer, let items, nil)):
            writer.text(customer)
            writer.items(items)
            return Code.request
        case .api(.created(let id, let saga, let total, let outbox)):
            return packCreated(order: id, saga: saga, total: total, outbox: outbox, ownOrder: ownOrder, ownEvent: ownEvent,
                               into: &writer)
        case .step(let result, let compensated, let outbox):
            return packStep(result, compensated: compensated, outbox: outbox, ownOrder: ownOrder, ownEvent: ownEvent,
                            into: &writer) ? Code.step : nil
        default:
            return nil
        }
    }

    @inline(__always)
    private static func packCreated(order id: OrderId, saga: SagaId, total: Int, outbox: EventRef?, ownOrder: Int,
                                    ownEvent: Int, into writer: inout TraceByteWriter) -> UInt8 {
        writer.signed(Int(id.number) - ownOrder)
        writer.signed(Int(saga.number))
        writer.signed(total)
        if let outbox {
            writer.byte(1)
            writer.eventRef(outbox, from: ownEvent)
        } else {
            writer.byte(0)
        }
        return Code.created
    }

    /// Writes a publication's event and route.
    @inline(__always)
    private static func packPublished(_ ref: EventRef, route: MessageHappening.Route, ownEvent: Int,
                                      into writer: inout TraceByteWriter) -> UInt8 {
        writer.eventRef(ref, from: ownEvent)
        let routeCode: UInt8 = switch route { case .outbox: 0; case .direct: 1; case .lab: 2 }
        writer.byte(routeCode)
        return Code.published
    }

    /// Writes a step's result, its flags in the byte that says which, and the outbox row's
    /// event it wrote, if any. False for a result kept whole.
    @inline(__always)
    private static func packStep(_ result: borrowing StepResult, compensated: Bool, outbox: EventRef?, ownOrder: Int,
                                 ownEvent: Int, into writer: inout TraceByteWriter) -> Bool {
        let stepAt = writer.count
        guard packStep(result, into: &writer, ownOrder: ownOrder) else { return false }
        writer.patch(writer.byte(at: stepAt) | (compensated ? StepCode.compensated : 0)
                     | (outbox == nil ? 0 : StepCode.writesOutbox), at: stepAt)
        if let outbox { writer.eventRef(outbox, from: ownEvent) }
        return true
    }

    @inline(__always)
    private static func packStep(_ result: borrowing StepResult, into writer: inout TraceByteWriter, ownOrder: Int) -> Bool {
        switch result {
        case .counted(let type):
            writer.byte(StepCode.counted)
            writer.byte(type.tag)
        case .countedConfirmed(let revenue):
            writer.byte(StepCode.countedConfirmed)
            writer.signed(revenue)
        case .awarded(let customer, let points, let order):
            writer.byte(StepCode.awarded)
            writer.text(customer)
            writer.signed(Int(points))
            writer.order(order, from: ownOrder)
        case .revoked(let customer, let points, let order):
            writer.byte(StepCode.revoked)
            writer.text(customer)
            writer.signed(Int(points))
            writer.order(order, from: ownOrder)
        case .notified(let customer, let order):
            writer.byte(StepCode.notified)
            writer.text(customer)
            writer.signed(Int(order.number) - ownOrder)
        case .captured(let amount, let order, let charge):
            writer.byte(StepCode.captured)
            writer.signed(amount)
            writer.order(order, from: ownOrder)
            writer.signed(Int(charge.number))
        case .sagaStepSucceeded(let saga, let step):
            writer.byte(StepCode.sagaStepSucceeded)
            writer.signed(Int(saga.number))
            writer.byte(step.tag)
        case .reserved(let items, let order):
            writer.byte(StepCode.reserved)
            writer.items(items)
            writer.order(order, from: ownOrder)
        case .sold(let items, let order):
            writer.byte(StepCode.sold)
            writer.items(items)
            writer.order(order, from: ownOrder)
        case .released(let items, let order):
            writer.byte(StepCode.released)
            writer.items(items)
            writer.order(order, from: ownOrder)
        case .confirmed(let order):
            writer.code(StepCode.confirmed, order: order, from: ownOrder)
        case .nothingReserved(let order):
            writer.code(StepCode.nothingReserved, order: order, from: ownOrder)
        case .noChargeToRefund(let order):
            writer.code(StepCode.noChargeToRefund, order: order, from: ownOrder)
        case .nothingToSell(let order):
            writer.code(StepCode.nothingToSell, order: order, from: ownOrder)
        case .noPointsToRevoke(let order):
            writer.code(StepCode.noPointsToRevoke, order: order, from: ownOrder)
        case .cancelled(let order, let reason):
            writer.byte(StepCode.cancelled)
            writer.signed(Int(order.number) - ownOrder)
            writer.unsigned(UInt64(reason.number))
        case .markedForCompensation(let saga, let reason):
            writer.byte(StepCode.markedForCompensation)
            writer.signed(Int(saga.number))
            writer.unsigned(UInt64(reason.number))
        case .emptyRollback(let step, let order):
            writer.byte(StepCode.emptyRollback)
            writer.byte(step == .reservation ? 0 : 1)
            writer.order(order, from: ownOrder)
        case .suspended(let step, let order):
            writer.byte(StepCode.suspended)
            writer.byte(step == .reservation ? 0 : 1)
            writer.order(order, from: ownOrder)
        case .declined(let amount, let order):
            writer.byte(StepCode.declined)
            writer.signed(amount)
            writer.order(order, from: ownOrder)
        case .refunded(let amount, let order):
            writer.byte(StepCode.refunded)
            writer.signed(amount)
            writer.order(order, from: ownOrder)
        default:
            return false
        }
        return true
    }

    // MARK: Unpacking

    /// Reads the entry `reader` is at, `context` holding the previous entry's time, order
    /// and event, and leaves the entry's own there.
    private func unpack(_ reader: inout TraceByteReader, after context: inout Context) -> TraceEntry {
        _ = reader.byte()
        let first = reader.byte()
        let code = first & Code.what
        if code == Code.whole {
            let entry = whole[Int(reader.unsigned())]
            context = Context(entry)
            return entry
        }
        if first & Code.sameLanes == 0 { context.lanes = reader.byte() }
        let lanes = context.lanes
        let service = lanes & 7 == 0 ? nil : Self.services[Int(lanes & 7) - 1]
        let from = lanes >> 3 & 7 == 0 ? nil : Self.services[Int(lanes >> 3 & 7) - 1]
        if first & Code.sameTime == 0 { context.time = baseTime + reader.signed() }
        if first & Code.sameSubject == 0 {
            context.order = lanes & 0x80 == 0 ? nil : Int32(Int(baseOrder) + reader.signed())
            context.event = first & Code.namesEvent == 0 ? nil : Int32(Int(baseEvent) + reader.signed())
        }
        let time = context.time
        let order = context.order.map { OrderId(number: $0) }
        let event = context.event.map { EventId(number: $0) }
        let ownOrder = Int(order?.number ?? 0)
        let ownEvent = Int(event?.number ?? 0)
        func orderId() -> OrderId { OrderId(number: Int32(ownOrder + reader.signed())) }
        func eventRef() -> EventRef {
            let tag = reader.byte()
            let type = Self.eventTypes[Int(tag & ~TraceByteWriter.ownEventFlag)]
            let id = tag & TraceByteWriter.ownEventFlag != 0 ? ownEvent : ownEvent + reader.signed()
            return EventRef(type: type, id: EventId(number: Int32(id)))
        }
        let what: Happening
        switch code {
        case Code.received:
            let ref = eventRef()
            let copyAndAttempt = reader.signed()
            what = .message(.received(ref, isCopy: copyAndAttempt & 1 == 1, attempt: Int32(copyAndAttempt >> 1), retry: nil))
        case Code.published:
            let ref = eventRef()
            let route: MessageHappening.Route = switch reader.byte() { case 0: .outbox; case 1: .direct; default: .lab }
            what = .message(.published(ref, route: route))
        case Code.request:
            let customer = reader.text()
            what = .api(.request(customer: customer, items: reader.items(), key: nil))
        case Code.created:
            let id = orderId()
            let saga = SagaId(number: Int32(reader.signed()))
            let total = reader.signed()
            let outbox = reader.byte() == 1 ? eventRef() : nil
            what = .api(.created(order: id, saga: saga, total: total, outbox: outbox))
        default:
            let flags = reader.peek()
            let result = unpackStep(&reader, ownOrder: ownOrder)
            let outbox = flags & StepCode.writesOutbox == 0 ? nil : eventRef()
            what = .step(result, compensated: flags & StepCode.compensated != 0, outbox: outbox)
        }
        return TraceEntry(time: time, service: service, from: from, byPublisher: lanes & 0x40 != 0,
                          orderId: order, eventId: event, what: what)
    }

    private func unpackStep(_ reader: inout TraceByteReader, ownOrder: Int) -> StepResult {
        func orderId() -> OrderId { OrderId(number: Int32(ownOrder + reader.signed())) }
        let stepCode = reader.byte() & StepCode.result
        switch stepCode {
        case StepCode.counted:
            return .counted(Self.eventTypes[Int(reader.byte())])
        case StepCode.countedConfirmed:
            return .countedConfirmed(revenue: reader.signed())
        case StepCode.awarded:
            let customer = reader.text()
            let points = Int32(reader.signed())
            return .awarded(customer: customer, points: points, order: orderId())
        case StepCode.revoked:
            let customer = reader.text()
            let points = Int32(reader.signed())
            return .revoked(customer: customer, points: points, order: orderId())
        case StepCode.notified:
            let customer = reader.text()
            return .notified(customer: customer, order: orderId())
        case StepCode.captured:
            let amount = reader.signed()
            let order = orderId()
            return .captured(amount: amount, order: order, charge: ChargeId(number: Int32(reader.signed())))
        case StepCode.sagaStepSucceeded:
            let saga = SagaId(number: Int32(reader.signed()))
            return .sagaStepSucceeded(saga: saga, step: Self.stepNames[Int(reader.byte())])
        case StepCode.reserved:
            let items = reader.items()
            return .reserved(items, order: orderId())
        case StepCode.sold:
            let items = reader.items()
            return .sold(items, order: orderId())
        case StepCode.released:
            let items = reader.items()
            return .released(items, order: orderId())
        case StepCode.confirmed: return .confirmed(order: orderId())
        case StepCode.nothingReserved: return .nothingReserved(order: orderId())
        case StepCode.noChargeToRefund: return .noChargeToRefund(order: orderId())
        case StepCode.nothingToSell: return .nothingToSell(order: orderId())
        case StepCode.noPointsToRevoke: return .noPointsToRevoke(order: orderId())
        case StepCode.cancelled:
            let order = orderId()
            return .cancelled(order: order, reason: Reason(number: UInt32(reader.unsigned())))
        case StepCode.markedForCompensation:
            let saga = SagaId(number: Int32(reader.signed()))
            return .markedForCompensation(saga: saga, reason: Reason(number: UInt32(reader.unsigned())))
        case StepCode.emptyRollback, StepCode.suspended:
            let isEmptyRollback = stepCode == StepCode.emptyRollback
            let step: FencedStep = reader.byte() == 0 ? .reservation : .charge
            let order = orderId()
            return isEmptyRollback ? .emptyRollback(step, order: order) : .suspended(step, order: order)
        case StepCode.declined:
            let amount = reader.signed()
            return .declined(amount: amount, order: orderId())
        default:
            let amount = reader.signed()
            return .refunded(amount: amount, order: orderId())
        }
    }
}

extension Array where Element == UInt8 {
    /// Zeros a chunk's bytes are padded with (`padWithZeros`).
    private static let zeros = [UInt8](repeating: 0, count: 2_048)

    /// Appends zeros until the array holds `count` bytes (none if it already does): copied
    /// from `zeros` a block at a time, where a repeated element was appended a byte at a
    /// time, some 550 instructions for each kilobyte an open chunk of the trace grew by.
    mutating func padWithZeros(to count: Int) {
        while self.count < count {
            append(contentsOf: Self.zeros[..<Swift.min(count - self.count, Self.zeros.count)])
        }
    }
}
