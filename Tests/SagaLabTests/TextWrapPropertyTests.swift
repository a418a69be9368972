@testable import SagaLab
import Testing

/// Word wrap's byte-measuring path for printable ASCII must cut exactly where the
/// character-measuring path does, and the shapes `fit` weighs must lay cells out as `wrap` does.
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

    @Test func aColumnsShapeCountsTheLinesTheTableWrapsItsCellsInto() {
        for seed in UInt64(1)...3_000 {
            var r = SeededGenerator(seed: seed)
            let cell = String(Self.paragraph(&r).prefix(r.int(in: 0...60)))
            let width = r.int(in: 1...40)
            var shape = ColumnShape()
            shape.add(cell)
            #expect(shape.layout(at: width).extraLines + 1 == Table.wrap(cell, width: width).count,
                    "\(cell.debugDescription) at width \(width)")
        }
        for (cell, width) in [("caf\u{E9} au-lait-menu", 9), ("\u{4E2D}\u{6587}\u{4E2D}\u{6587} x", 5), ("\u{1B}[31mred-alert\u{1B}[0m", 8)] {
            var shape = ColumnShape()
            shape.add(cell)
            #expect(shape.layout(at: width).extraLines + 1 == Table.wrap(cell, width: width).count, "\(cell.debugDescription)")
        }
    }

    @Test func aColumnsShapeTellsABreakAfterAHyphenFromACut() {
        var shape = ColumnShape()
        shape.add("refund-payment")
        shape.add("ok")
        #expect(shape.layout(at: 14) == (0, 0, 0))
        #expect(shape.layout(at: 8) == (1, 1, 0))
        #expect(shape.layout(at: 5) == (3, 1, 2))
        #expect(shape.cost(at: 8) == 3 && shape.cost(at: 5) == 3 + 2 + 60)
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
