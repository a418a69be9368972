/// A table with one value per order, in an array indexed by the order's number. Orders are
/// handed out in sequence and mostly handled in that order, so neighbours stay together in
/// memory where a hash table would scatter them: lookups stay cheap as the world grows.
public struct ByOrder<Value: Hashable & Sendable>: Hashable, Sendable {
    private var values: [Value] = []
    /// The value of an order the table has never been given.
    private let empty: Value

    public init(empty: Value) { self.empty = empty }

    /// Makes room for `n` more orders' values.
    mutating func makeRoom(forOrders n: Int) {
        values.reserveCapacity(values.count + n)
        values.prefaultRoom()
    }

    public subscript(id: OrderId) -> Value {
        values.indices.contains(id.index) ? values[id.index] : empty
    }

    /// What `body` makes of the value of `id`, read where it lies: the subscript copies the
    /// value out, retaining what it holds (and releasing it after), which a check of every
    /// order at a quiet moment did a million times.
    @inline(__always)
    func read<Result>(_ id: OrderId, _ body: (Value) -> Result) -> Result {
        guard values.indices.contains(id.index) else { return body(empty) }
        return values.withUnsafeBufferPointer { body($0[id.index]) }
    }

    /// Hints that the value of `id` will be read soon (`World.prefetchRows`).
    @inline(__always)
    func prefetch(_ id: OrderId) { values.prefetch(id.index) }

    /// Changes the value of `id` in place.
    mutating func update(_ id: OrderId, _ change: (inout Value) -> Void) {
        guard id.index >= 0 else { return }
        values.grow(toInclude: id.index, with: empty)
        change(&values[id.index])
    }

    /// Whether `id` holds a value other than the empty one. An order past the table's end
    /// (every order a range places, as it is placed) holds none, and is not compared.
    func holdsValue(_ id: OrderId) -> Bool {
        values.indices.contains(id.index) && values[id.index] != empty
    }

    /// Gives `id` `value`: appended, for the order after the last (a new order's row),
    /// rather than grown with the empty value first and then overwritten.
    mutating func set(_ id: OrderId, to value: __owned Value) {
        guard id.index >= 0 else { return }
        if id.index == values.count {
            values.append(value)
            values.prefaultAhead(grewFrom: id.index)
        } else {
            update(id) { $0 = value }
        }
    }

    /// Every order's value by the order's number, up to the highest given one: what the
    /// explorer's fingerprint hashes row by row.
    var rows: [Value] { values }

    /// The orders whose value differs from the empty one, in id order. O(n).
    public var entries: [(order: OrderId, value: Value)] {
        values.indices.compactMap { index in
            values[index] == empty ? nil : (OrderId(number: Int32(index + 1)), values[index])
        }
    }

    /// Whether `predicate` holds for every order whose value differs from the empty one,
    /// read where the values lie: `entries` would list them first, a copy of the table.
    public func allEntries(satisfy predicate: (OrderId, Value) -> Bool) -> Bool {
        values.indices.allSatisfy { index in
            values[index] == empty || predicate(OrderId(number: Int32(index + 1)), values[index])
        }
    }
}

extension Array {
    /// Makes `index` valid, filling new places with `filler`: how the tables indexed by an
    /// id's number grow as ids are handed out. The array ends at the highest index asked
    /// for, so equal contents make equal arrays whatever order the ids came in (appending
    /// already reserves capacity geometrically). A step usually asks for the next place or
    /// one a few ids on: those are appended one by one, which costs a fraction of a call of
    /// the general `append(contentsOf:)`.
    @inline(__always)
    mutating func grow(toInclude index: Int, with filler: Element) {
        guard index >= count else { return }
        let before = count
        if index - count < 8 {
            while count <= index { append(filler) }
        } else {
            // A far jump (a first mark for an event a million numbers on) asks for the
            // pages past the first window before filling them, a window ahead of the fill.
            if index - before >= 2 * Array.prefaultWindow {
                prefaultRows(from: before + Array.prefaultWindow, index + 1 - before)
            }
            append(contentsOf: repeatElement(filler, count: index + 1 - count))
        }
        prefaultAhead(grewFrom: before)
    }

    /// Makes the storage this array's own with room for `extra` more elements, in one
    /// allocation when it is shared: a removal from an array a copied world still shares
    /// copies it at its exact size, and the insertion that follows in the same step would
    /// copy it again. Room runs out geometrically, as an append's does.
    @inline(__always)
    mutating func makeRoom(for extra: Int) {
        let wanted = count + extra
        reserveCapacity(capacity < wanted ? 2 * wanted : wanted)
    }
}
