import Foundation
import Lessons
import Testing

/// The inputs `make fuzz` found that broke a promise, kept in `Tests/Fuzz/regressions/` and
/// played the way the fuzz target plays them (`FuzzInput.play`): no crash, no world changed
/// by a rejected command, no reply line wider than the terminal.
@Suite struct FuzzRegressionTests {
    static let folder = Repository.root.appendingPathComponent("Tests/Fuzz/regressions")

    static let inputs: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { !$0.hasPrefix(".") }.sorted()

    @Test func theRegressionsAreThere() {
        #expect(Self.inputs.count >= 1)
    }

    @Test(arguments: inputs)
    func keptInputKeepsEveryPromise(_ name: String) {
        let bytes = FileManager.default.contents(atPath: Self.folder.appendingPathComponent(name).path) ?? Data()
        #expect(!bytes.isEmpty)
        let broken = FuzzInput(bytes).play()
        #expect(broken == nil, "\(name): \(broken?.description ?? "")")
    }

    @Test func theWidthLineSetsTheWidthWithinItsRange() {
        #expect(FuzzInput(Array("# width 120\nrun".utf8)).width == 120)
        #expect(FuzzInput(Array("# width 120\nrun".utf8)).lines == ["run"])
        #expect(FuzzInput(Array("# width 7\nrun".utf8)).width == 40)
        #expect(FuzzInput(Array("# width 999\nrun".utf8)).width == 400)
        #expect(FuzzInput(Array("run\n\nnext".utf8)).lines == ["run", "", "next"])
    }

    /// A session of the transcripts keeps every promise, at the narrowest width too.
    @Test func aTranscriptSessionKeepsEveryPromise() {
        let lines = ["order alice prod-1x2", "run", "trace ord-1", "show outbox", "bogus", "chapter 2"]
        #expect(FuzzInput(lines: lines).play() == nil)
        #expect(FuzzInput(width: 40, lines: lines).play() == nil)
    }
}
