/// A part of the world kept behind one reference and copied only when written while
/// another world still shares it (copy-on-write, like an array's storage): each node's
/// tables (`World.Node`) and the lab's set-up (`World.Setup`).
///
/// Copying a world retains each of its references and freeing it releases each; in a
/// search of millions of states those worlds have long left the cache, so each reference
/// is a cache miss twice. A step writes one node, but the array of nodes it copied held
/// eight tables a node, all retained; behind `Shared`, a node costs one reference, and a
/// step copies the tables of the node it writes. (The databases behind it too made a
/// search cheaper still, but a run dearer: see `Benchmarks/HISTORY.md`.)
///
/// The node reaches its tables by address (`contents`, `contentsForWriting`), as an array
/// reaches its elements. It is a value all the same: equality and hashing are its
/// contents', so the node's and the world's, which the compiler derives, are what they
/// were.
struct Shared<Value: Hashable & Sendable>: Hashable, @unchecked Sendable {
    // `@unchecked`: the storage is written only when this value alone holds it.
    private var storage: ManagedBuffer<Value, Void>

    init(_ value: Value) {
        storage = ManagedBuffer<Value, Void>.create(minimumCapacity: 0) { _ in value }
    }

    /// The contents, for reading, valid as long as this value is neither changed nor
    /// freed. The header's address is taken through the buffer, which a stored property's
    /// dynamic exclusivity check would otherwise guard on every access.
    var contents: UnsafePointer<Value> {
        UnsafePointer(storage.withUnsafeMutablePointerToHeader { $0 })
    }

    /// The contents, for writing: the storage is first made this value's own.
    mutating func contentsForWriting() -> UnsafeMutablePointer<Value> {
        if !isKnownUniquelyReferenced(&storage) {
            let copy = contents.pointee
            storage = ManagedBuffer<Value, Void>.create(minimumCapacity: 0) { _ in copy }
        }
        return storage.withUnsafeMutablePointerToHeader { $0 }
    }

    /// Whether both hold the same storage, which proves them equal without reading them.
    func isShared(with other: Shared) -> Bool { storage === other.storage }

    static func == (a: Shared, b: Shared) -> Bool {
        a.storage === b.storage || a.contents.pointee == b.contents.pointee
    }

    func hash(into hasher: inout Hasher) { contents.pointee.hash(into: &hasher) }
}

extension Shared: CustomReflectable {
    /// The contents, as if they were stored in place (`dump`, and the tests that list
    /// what the fingerprint covers).
    var customMirror: Mirror { Mirror(reflecting: contents.pointee) }
}
