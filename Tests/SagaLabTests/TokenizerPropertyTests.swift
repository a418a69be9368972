@testable import SagaLab
import Testing

/// The tokenizer's fast path for plain ASCII lines must split exactly as the full,
/// character-walking tokenizer does, and leave every other line to it.
struct TokenizerPropertyTests {
    @Test func theFastPathAgreesWithTheFullTokenizerOnRandomLines() {
        let alphabet: [Character] = ["a", "b", "z", "1", "9", "-", "=", ".", ":", " ", " ", "\t", "\"", "'", "#",
                                     "é", "\u{1}", "\u{7F}", "\r", "✓"]
        var plain = 0
        for seed in UInt64(1)...3_000 {
            var r = SeededGenerator(seed: seed)
            let line = String((0..<r.int(in: 0...24)).map { _ in alphabet[r.int(in: 0...(alphabet.count - 1))] })
            guard let fast = Tokenizer.plainWords(line) else { continue }
            plain += 1
            #expect(Tokenizer.walk(line) == .success(fast), "line \(line.debugDescription)")
        }
        #expect(plain > 100, "enough random lines take the fast path to test it")
    }
}
