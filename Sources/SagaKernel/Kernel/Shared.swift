/// A part of the world kept behind one reference and copied only when written while
/// another world still shares it (copy-on-write, like an array's storage).
///
/// A world holds some fifty references; copying it retains each, and freeing it releases
/// each. In a search of millions of states those worlds have long left the cache, so
/// every reference is a cache miss twice. A database a step seldom writes (the orders
/// service's, rewards', the configuration) costs one reference behind `Shared`, not one
/// per table, and a world that did not write it keeps its parent's.
///
/// It is a value all the same: equality and hashing are its contents', so the world's,
/// which the compiler derives, are what they were.
@propertyWrapper
struct Shared<Value: Hashable & Sendable>: Hashable, @unchecked Sendable {
    // `@unchecked`: the storage is written only when this value alone holds it.
    private var storage: ManagedBuffer<Value, Void>

    init(wrappedValue: Value) {
        storage = ManagedBuffer<Value, Void>.create(minimumCapacity: 0) { _ in wrappedValue }
    }

    /// The contents, read in place and written in place when not shared. The header's
    /// address is taken through the buffer, which a stored property's dynamic exclusivity
    /// check would otherwise guard on every read.
    var wrappedValue: Value {
        _read { yield address.pointee }
        _modify {
            if !isKnownUniquelyReferenced(&storage) {
                let copy = address.pointee
                storage = ManagedBuffer<Value, Void>.create(minimumCapacity: 0) { _ in copy }
            }
            yield &address.pointee
        }
    }

    /// The wrapper itself (`world.$orders`), to tell whether two worlds share this part and
    /// to read it in place.
    var projectedValue: Shared { self }

    /// Whether both hold the same storage, which proves them equal without reading them.
    func isShared(with other: Shared) -> Bool { storage === other.storage }

    /// The contents, read in place for as long as this value lives.
    var contents: UnsafePointer<Value> { UnsafePointer(address) }

    @inline(__always)
    private var address: UnsafeMutablePointer<Value> {
        storage.withUnsafeMutablePointerToHeader { $0 }
    }

    static func == (a: Shared, b: Shared) -> Bool {
        a.storage === b.storage || a.address.pointee == b.address.pointee
    }

    func hash(into hasher: inout Hasher) { address.pointee.hash(into: &hasher) }
}

extension Shared: CustomReflectable {
    /// The contents, as if they were stored in place (`dump`, and the tests that list
    /// what the fingerprint covers).
    var customMirror: Mirror { Mirror(reflecting: wrappedValue) }
}
