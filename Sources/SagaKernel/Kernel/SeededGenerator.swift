/// The world's only source of chance: SplitMix64 seeded by the learner's seed.
///
/// The standard library's `random(in:)` algorithms are not promised to stay the same
/// between releases, so ranges and percentages are drawn here by hand: the same seed
/// gives the same latencies and failures on every machine and every Swift version.
public struct SeededGenerator: Hashable, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The generator's whole state, for the explorer's fingerprint.
    var word: UInt64 { state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `range`, both ends included.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    /// True with probability `percent` / 100.
    public mutating func chance(percent: Int) -> Bool {
        Int(next() % 100) < percent
    }
}
