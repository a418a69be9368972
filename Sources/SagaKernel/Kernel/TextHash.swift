/// A hash of a text's bytes that needs no seed: FNV-1a, read where the bytes lie (a text
/// of up to 15 bytes lies inside the string itself).
///
/// `Hasher` seeds itself per process and spends some seventy instructions starting and
/// finishing; the lab's texts here are its own (customers' names, products' ids), not an
/// attacker's, so a plain hash does, and it is the same in every process.
enum TextHash {
    @inline(__always)
    static func fnv1a(_ text: String) -> UInt64 {
        func fnv<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return hash
        }
        return text.utf8.withContiguousStorageIfAvailable { fnv($0) } ?? fnv(text.utf8)
    }
}
