import Lessons
@testable import SagaLab
import Testing

/// `help trace` explains every mark the diagram draws, in the terminal's Unicode form and
/// the ASCII form of pipes and transcripts; plain help stays ASCII.
@Suite struct TraceLegendTests {
    @Test func everyMarkTheDiagramDrawsIsExplainedInBothForms() {
        let rich = Help.text("trace", style: .rich)
        let plain = Help.text("trace", style: .plain)
        let richDiagram = TraceDiagram(World(), style: .rich)
        let plainDiagram = TraceDiagram(World(), style: .plain)
        for kind in TraceLegend.kinds {
            let unicode = richDiagram.mark(kind)
            let ascii = plainDiagram.mark(kind)
            let meaning = TraceLegend.meaning(kind)
            #expect(rich.contains("    \(unicode)  \(ascii)"), "terminal help shows \(unicode) beside \(ascii)")
            #expect(plain.contains("    \(ascii)  \(meaning.name)"), "plain help names what a terminal draws for \(ascii)")
            #expect(plain.contains(meaning.meaning.split(separator: " ").prefix(3).joined(separator: " ")))
        }
        for glyph in ["●", "▲", "▶", "○", "≈", "↩", "·", "✗", "↺", "↻", "…", "⊘"] {
            #expect(rich.contains(glyph), "terminal help explains \(glyph)")
        }
        let nonASCII = plain.unicodeScalars.filter { !$0.isASCII }
        #expect(nonASCII.isEmpty, "plain help stays ASCII")
        #expect(TraceLegend.kinds.count == Set(TraceLegend.kinds).count)
    }

    /// Below about 75 columns the lanes narrow so that the labels keep room beside them:
    /// every row is the lanes and a label, never a label the terminal had to break.
    @Test(arguments: [60, 66, 74, 80, 120])
    func theLanesNarrowSoThatRowsFitTheTerminal(width: Int) {
        let (session, _) = Lab.session(["order alice prod-1x2", "crash payment at after-effect", "run", "restart payment", "run"])
        let text = TraceDiagram(session.world, style: .plain, width: width).render(TraceFilter())
        let lines = text.split(separator: "\n").map(String.init)
        let lane = width >= 75 ? TraceDiagram.wideLane : TraceDiagram.narrowLane
        for line in lines.dropFirst(2) {
            #expect(line.count <= width, "too wide at \(width): \(line)")
            let lanes = Array(line.dropFirst(TraceDiagram.timeWidth).prefix(5 * lane))
            for n in 0..<5 {
                #expect(lanes.count > n * lane && lanes[n * lane] != " ", "lane \(n) drawn at \(width): \(line)")
            }
        }
        #expect(lines.first?.contains("analytics") ?? false, "the header names every lane")
    }

    @Test func helpSaysWhatATerminalShowsWhereTranscriptsSayFail() {
        for topic in ["trace", "check", "log"] {
            let plain = Help.text(topic, style: .plain)
            #expect(plain.contains("FAIL") && plain.contains("red cross"), "help \(topic) says FAIL is a red cross on a terminal")
            let rich = Help.text(topic, style: .rich)
            #expect(rich.contains("✗") && rich.contains("FAIL in pipes and transcripts"))
        }
    }

    @Test func theKeyFitsEightyColumns() {
        for style in [Style.plain, Style.rich] {
            for line in Help.text("trace", style: style).split(separator: "\n") {
                #expect(displayWidth(String(line)) <= 80, "\(line)")
            }
        }
    }
}
