import Foundation
@testable import SagaLab
import Testing

/// `export html` in a real browser: headless Chromium (Debian's `chromium`) loads the page,
/// runs its script, and the DOM it dumps must hold the lanes, the arrows, the broken
/// invariant and the databases the script drew; a screenshot is kept at
/// `.build/browser-test/timeline.png` for a person to look at. Without Chromium the test
/// fails and says how to get it: `make test` installs it.
@Suite struct BrowserTests {
    static let folder = Repository.root.appendingPathComponent(".build/browser-test")

    /// The first of Debian's and other distributions' names for Chromium on PATH.
    static func chromium() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Runs Chromium headless on `arguments`, at most `seconds`; its standard output.
    static func run(_ chromium: String, _ arguments: [String], seconds: Double = 60) throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("sagalab-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)",
                             "--virtual-time-budget=3000"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        final class Output: @unchecked Sendable { var data = Data() }
        let read = Output()
        let reading = DispatchSemaphore(value: 0)
        try process.run()
        DispatchQueue.global().async {
            read.data = output.fileHandleForReading.readDataToEndOfFile()
            reading.signal()
        }
        if done.wait(timeout: .now() + seconds) == .timedOut {
            process.terminate()
            Issue.record("chromium did not finish within \(Int(seconds)) s")
        }
        // Helper processes may hold the pipe a moment longer; never wait on them for ever.
        _ = reading.wait(timeout: .now() + 10)
        return String(decoding: read.data, as: UTF8.self)
    }

    @Test func chromiumDrawsTheTimeline() throws {
        guard let chromium = Self.chromium() else {
            Issue.record("""
                chromium is not installed, and the browser test of `export html` needs it: run `make test`, \
                which installs it, or `apt-get install chromium`
                """)
            return
        }
        var session = ExportTests.session(ExportTests.lostEvent)
        let reply = session.execute("export html timeline.html")
        guard case .save(_, let page) = reply.effect else {
            Issue.record("`export html` wrote nothing: \(reply.text)")
            return
        }
        try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
        let file = Self.folder.appendingPathComponent("timeline.html")
        try Data(page.utf8).write(to: file)

        let dom = try Self.run(chromium, ["--dump-dom", file.absoluteString])
        #expect(dom.contains("data-ready=\"yes\""), "the page's script did not run")
        for service in ServiceName.allCases {
            #expect(dom.contains("id=\"lane-\(service.rawValue)\""), "no lane for \(service.rawValue)")
        }
        let world = session.world
        let arrows = world.trace.indices.filter { world.trace[$0].kind == .deliver && world.trace[$0].from != nil }
        #expect(dom.components(separatedBy: "<g class=\"arrow").count - 1 == arrows.count)
        for index in arrows { #expect(dom.contains("id=\"arrow-\(index)\""), "no arrow for entry \(index)") }
        #expect(dom.contains("id=\"arrow-\(arrows[0])\" data-index=\"\(arrows[0])\" data-from=\"orders\" data-to=\"inventory\""))
        #expect(dom.components(separatedBy: "class=\"entry ").count - 1 == world.trace.count)
        #expect(dom.contains("id=\"break\""))
        // The script marked the last step's entries and filled the panel from its data.
        #expect(dom.contains(" current\""))
        #expect(dom.contains("<li>ord-2 bob prod-3 $50.00 PENDING, saga CREATED</li>"))

        let shot = Self.folder.appendingPathComponent("timeline.png")
        try? FileManager.default.removeItem(at: shot)
        _ = try Self.run(chromium, ["--screenshot=\(shot.path)", "--window-size=1400,900", file.absoluteString])
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "the screenshot is no PNG")
        #expect(png.count > 20_000, "the screenshot is nearly empty")
    }
}
