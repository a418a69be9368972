import Foundation
import Lessons
@testable import SagaLab
import Testing

/// The handbook's embedded Mermaid diagram is what `export mermaid` writes.
@Suite struct HandbookDiagramTests {
    static func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// Chapter 14 embeds the diagram of its own happy-path session: it must be exactly what
    /// `export mermaid` writes there.
    @Test func handbookDiagramIsWhatExportWrites() throws {
        let url = Repository.root.appendingPathComponent("handbook/14-pictures-of-a-run.md")
        let markdown = Repository.read(url)
        var bench = TranscriptSuite.freshBench()
        var written: [String: String] = [:]
        for block in TranscriptSuite.blocks(in: markdown) {
            for entry in Transcript(parsing: block.body).entries {
                for effect in bench.execute(entry.input).effects {
                    if case .save(let path, let contents) = effect { written[path] = contents }
                }
            }
        }
        let lines = Self.lines(markdown)
        let start = try #require(lines.firstIndex(of: "```mermaid"))
        let end = try #require(lines[(start + 1)...].firstIndex(of: "```"))
        let embedded = lines[(start + 1)..<end].joined(separator: "\n") + "\n"
        let exported = try #require(written.first { $0.key.hasSuffix(".mmd") }?.value, "the chapter exports no .mmd file")
        #expect(embedded == exported)
    }
}
