/// An enum named by strings that hashes by its case, not by its name.
///
/// A raw-valued enum hashes its raw value by default: a string hash every time one is
/// hashed. The explorer hashes every event, delivery and call a step makes to tell states
/// apart, so for the enums those carry the name would cost more than the rest of the value.
/// The case's tag (one byte for an enum without payloads and fewer than 256 cases) says
/// as much: two values hash alike exactly when they are the same case.
protocol HashedByCase: Hashable, RawRepresentable {}

extension HashedByCase {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(tag)
    }

    /// The case's tag: the one byte that tells the cases apart.
    var tag: UInt8 { withUnsafeBytes(of: self) { $0[0] } }
}
