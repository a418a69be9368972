/// Writes one trace entry's numbers, small codes and texts as bytes, into room the caller
/// lends it.
///
/// Numbers are written in seven-bit groups (LEB128), signed ones zigzagged first, so the
/// small differences a trace is full of (the same order again, an event one further on)
/// take a byte or two instead of eight. The room holds at least `fixedRoom` bytes more
/// than any entry's numbers and codes need, so those are written unchecked; a text is
/// checked, and one that would not fit with `fixedRoom` left after it (a customer with a
/// very long name) sets `overflowed`, and the trace keeps the entry whole.
struct TraceByteWriter {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0
    private(set) var overflowed = false

    /// More than the numbers and codes of any entry take, texts apart.
    static let fixedRoom = 80

    init(_ room: UnsafeMutableBufferPointer<UInt8>) {
        precondition(room.count >= TraceByteWriter.fixedRoom, "a trace entry needs room for its numbers")
        base = room.baseAddress!
        capacity = room.count
    }

    /// Unchecked: the room holds `fixedRoom` bytes more than any entry's numbers take.
    @inline(__always)
    mutating func byte(_ value: UInt8) {
        base[count] = value
        count &+= 1
    }

    /// Sets a byte already written, once what it says is known.
    @inline(__always)
    mutating func patch(_ value: UInt8, at index: Int) { base[index] = value }

    /// A byte already written.
    @inline(__always)
    func byte(at index: Int) -> UInt8 { base[index] }

    /// An order's number, as a difference from `own`.
    @inline(__always)
    mutating func order(_ id: OrderId, from own: Int) { signed(Int(id.number) - own) }

    /// A step's code and the one order it names.
    @inline(__always)
    mutating func code(_ code: UInt8, order id: OrderId, from own: Int) {
        byte(code)
        order(id, from: own)
    }

    /// The bit of an event reference's type byte that says the event is the entry's own, so
    /// that no number follows.
    static let ownEventFlag: UInt8 = 0x80

    /// An event's type and its number, as a difference from `own`: the type alone, flagged,
    /// when the event is the entry's own.
    @inline(__always)
    mutating func eventRef(_ ref: EventRef, from own: Int) {
        let difference = Int(ref.id.number) - own
        guard difference != 0 else {
            byte(ref.type.tag | TraceByteWriter.ownEventFlag)
            return
        }
        byte(ref.type.tag)
        signed(difference)
    }

    @inline(__always)
    mutating func unsigned(_ value: UInt64) {
        if value < 0x80 {
            byte(UInt8(value))
            return
        }
        var rest = value
        while rest >= 0x80 {
            byte(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        byte(UInt8(rest))
    }

    @inline(__always)
    mutating func signed(_ value: Int) {
        unsigned(UInt64(bitPattern: Int64((value << 1) ^ (value >> 63))))
    }

    mutating func text(_ value: String) {
        var text = value
        text.withUTF8 { utf8 in
            guard !overflowed, count + 10 + utf8.count + TraceByteWriter.fixedRoom <= capacity else {
                overflowed = true
                return
            }
            unsigned(UInt64(utf8.count))
            if let source = utf8.baseAddress { (base + count).update(from: source, count: utf8.count) }
            count += utf8.count
        }
    }

    mutating func items(_ items: [OrderItem]) {
        unsigned(UInt64(items.count))
        for item in items {
            text(item.product)
            signed(item.quantity)
        }
    }
}

/// Reads back what a `TraceByteWriter` wrote, in the same order.
struct TraceByteReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    mutating func byte() -> UInt8 {
        defer { offset += 1 }
        return bytes[offset]
    }

    /// The next byte, left to be read.
    func peek() -> UInt8 { bytes[offset] }

    mutating func unsigned() -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = bytes[offset]
            offset += 1
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    mutating func signed() -> Int {
        let raw = unsigned()
        return Int(Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1))
    }

    mutating func text() -> String {
        let length = Int(unsigned())
        defer { offset += length }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
    }

    mutating func items() -> [OrderItem] {
        let count = Int(unsigned())
        var items: [OrderItem] = []
        items.reserveCapacity(count)
        for _ in 0..<count {
            let product = text()
            items.append(OrderItem(product: product, quantity: signed()))
        }
        return items
    }
}
