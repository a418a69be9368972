@testable import SagaLab
import Testing

/// Word wrap's byte-measuring path for printable ASCII must cut exactly where the
/// character-measuring path does, and the byte scans of `fit` must agree with its lines.
struct TextWrapPropertyTests {
    static let alphabet: [Character] = ["a", "b", "z", "1", "-", ".", ":", "(", " ", " ", " ", "Z", "@", "[", "`", "{"]

    static func paragraph(_ r: inout SeededGenerator) -> String {
        String((0..<r.int(in: 0...140)).map { _ in alphabet[r.int(in: 0...(alphabet.count - 1))] })
    }

    @Test func theASCIIPathWrapsAsTheCharacterPathDoes() {
        for seed in UInt64(1)...2_000 {
            var r = SeededGenerator(seed: seed)
            let text = Substring(Self.paragraph(&r))
            let width = r.int(in: 8...90)
            let indent = (String(repeating: " ", count: r.int(in: 0...4)), 0)
            let rest = (String(repeating: " ", count: r.int(in: 0...12)), 0)
            let first = (indent.0, indent.0.count)
            let later = (rest.0, rest.0.count)
            var fast: [String] = []
            var slow: [String] = []
            let took = TextWrap.wrapPrintableASCII(text, width: width, indent: first, rest: later, into: &fast)
            TextWrap.wrapCharacters(text, width: width, indent: first, rest: later, into: &slow)
            #expect(took)
            #expect(fast == slow, "paragraph \(text.debugDescription) at width \(width)")
        }
    }

    @Test func aTableCellsFloorsReadFromBytesAgreeWithItsWordsAndPieces() {
        for seed in UInt64(1)...3_000 {
            var r = SeededGenerator(seed: seed)
            let cell = String(Self.paragraph(&r).prefix(r.int(in: 0...40)))
            let floors = Table.floors(cell)
            #expect(floors.word == Table.longestWord(cell), "longest word of \(cell.debugDescription)")
            #expect(floors.piece == Table.longestPiece(cell), "longest piece of \(cell.debugDescription)")
        }
        for cell in ["caf\u{E9} au-lait-menu", "tab\there-and-there", "\u{1B}[31mred-alert\u{1B}[0m", "--", "a----b"] {
            #expect(Table.floors(cell) == (Table.longestWord(cell), Table.longestPiece(cell)), "\(cell.debugDescription)")
        }
    }

    @Test func printableASCIIIsOneColumnAByteAndOtherTextIsMeasured() {
        for seed in UInt64(1)...500 {
            var r = SeededGenerator(seed: seed)
            let text = Self.paragraph(&r)
            #expect(displayWidth(text) == text.count)
        }
        #expect(displayWidth("caf\u{E9}") == 4)
        #expect(displayWidth("\u{1B}[31mred\u{1B}[0m") == 3)
        #expect(displayWidth("\u{4E2D}\u{6587}") == 4)
        #expect(displayWidth("tab\there") == 7)
    }

    @Test func theASCIIPathLeavesOtherTextToTheCharacterPath() {
        var lines: [String] = []
        for text in ["caf\u{E9} au lait", "tab\there", "\u{1B}[31mred\u{1B}[0m", "\u{25CF} mark"] {
            #expect(!TextWrap.wrapPrintableASCII(Substring(text), width: 5, indent: ("", 0), rest: ("", 0), into: &lines))
        }
        #expect(lines.isEmpty)
    }

    @Test func linesAndLongLinesAgreeWithSplitting() {
        for seed in UInt64(1)...500 {
            var r = SeededGenerator(seed: seed)
            let text = (0..<r.int(in: 1...5)).map { _ in Self.paragraph(&r) }.joined(separator: "\n")
            let width = r.int(in: 8...90)
            let split = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(TextWrap.lines(of: text) == split)
            #expect(TextWrap.hasLongLine(text, width: width) == split.contains { $0.count > width })
        }
    }
}
