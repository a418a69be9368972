@testable import SagaLab
import Testing

/// Issue 2's corpus of hostile lines: no crash, one `error:` line each (nothing for a blank
/// line), and the world exactly as it was.
@Suite struct CommandHostileInputTests {
    /// A session with something in it, so "unchanged" means something.
    static func busySession() -> Session {
        Lab.session(["order alice prod-1x2", "order bob prod-3", "step 4", "crash payment"]).0
    }

    static let invalidUTF8: String = String(decoding: [0x6F, 0x72, 0xFF, 0xFE, 0x64, 0x65, 0x72], as: UTF8.self)

    static let blank: [String] = ["", " ", "      ", "\t \t", "# just a comment", "   # comment"]

    static let hostile: [String] = [
        // Long lines.
        String(repeating: "a", count: 100_000),
        String(repeating: "order ", count: 16_000),
        "order alice " + String(repeating: "z", count: 100_000),
        "order " + String(repeating: "b", count: 100_000) + " prod-1",
        "order alice prod-1x" + String(repeating: "9", count: 100_000),
        "help " + String(repeating: "x", count: 100_000),
        "show order " + String(repeating: "9", count: 100_000),
        "advance " + String(repeating: "1", count: 100_000) + "s",
        "'" + String(repeating: "q", count: 100_000),
        String(repeating: "é", count: 100_000),
        // Control characters and invalid UTF-8.
        "order\u{0}alice prod-1",
        "\u{07}",
        "\u{1B}[A",
        "step\u{7F}",
        "run\u{1B}",
        "order alice prod-1\u{08}",
        "\u{9B}31m",
        invalidUTF8,
        String(decoding: [0xC3, 0x28], as: UTF8.self),
        String(decoding: [0xED, 0xA0, 0x80], as: UTF8.self),
        "order " + String(decoding: [0xFF], as: UTF8.self) + " prod-1",
        "\u{FEFF}order alice prod-1",
        "\u{200B}",
        // Emoji.
        "🙂",
        "order 🙂 prod-1",
        "order alice 🙂",
        "order alice prod-1x🙂",
        "show order 🙂",
        "crash 💥",
        "👩‍👩‍👧‍👦 order",
        // Quotes.
        "\"",
        "'",
        "order \"alice prod-1",
        "order alice 'prod-1",
        "help \"",
        "\"\"",
        "order \"al ice\" prod-1",
        // Numbers past Int64 and out of range.
        "step 99999999999999999999",
        "step 9223372036854775808",
        "step -9223372036854775809",
        "seed 999999999999999999999",
        "seed 18446744073709551616",
        "seed -1",
        "stock prod-1 99999999999999999999",
        "stock prod-1 -1",
        "advance 99999999999999999999",
        "advance 99999999999999999999s",
        "advance 10001d",
        "order alice prod-1x99999999999999999999",
        "order alice prod-1x9223372036854775807",
        "fail payment 99999999999999999999%",
        "fail payment 101%",
        "delay 99999999999999999999 next",
        "set publish-interval 99999999999999999999ms",
        "drop evt-99999999999999999999",
        "show order ord-99999999999999999999",
        // Negative and zero quantities.
        "order a prod-1x0",
        "order a prod-1x-3",
        "order a prod-1x-0",
        "order a prod-1 prod-2x0",
        "order a prod-1x00",
        "stock prod-2 -5",
        "step 0",
        "delay 0ms next",
        // Unknown ids and impossible requests.
        "show order ord-99",
        "show saga saga-99",
        "trace ord-99",
        "log ord-99",
        "drop evt-99",
        "duplicate evt-99",
        "delay 30s evt-99",
        "restart orders",
        "restart inventory",
        "crash payment",
        "heal",
        "unsubscribe inventory payment.failed",
        "subscribe rewards order.created",
        "subscribe rewards inventory.released",
        "stock prod-99 1",
        "order alice prod-99",
        "help nothing",
        "show nothing",
        "crash nothing",
        "pattern outbox on rewards",
        "publish rewards",
        // Lessons are not available in a bare session.
        "lesson 99",
        "chapter 99",
    ]

    @Test(arguments: blank)
    func blankLinesAnswerNothingAndChangeNothing(_ line: String) {
        var session = Self.busySession()
        let world = session.world
        let script = session.script
        let reply = session.execute(line)
        #expect(!reply.isError)
        #expect(reply.text.isEmpty)
        #expect(session.world == world)
        #expect(session.script == script)
    }

    @Test(arguments: hostile)
    func hostileLineGivesOneErrorLineAndChangesNothing(_ line: String) {
        var session = Self.busySession()
        let world = session.world
        let script = session.script
        let reply = session.execute(line)
        let shown = line.count > 60 ? String(line.prefix(60)) + "..." : line
        #expect(reply.isError, "`\(shown)` was accepted: \(reply.text.prefix(200))")
        #expect(reply.text.hasPrefix("error: "), "`\(shown)` -> \(reply.text.prefix(200))")
        #expect(!reply.text.contains("\n"), "`\(shown)` gave a multi-line error")
        #expect(reply.effect == nil)
        #expect(session.world == world, "`\(shown)` changed the world")
        #expect(session.script == script, "`\(shown)` was added to the script")
    }

    @Test func theWholeCorpusInOneSessionLeavesItIntact() {
        var session = Self.busySession()
        let world = session.world
        for line in Self.hostile + Self.blank { _ = session.execute(line) }
        #expect(session.world == world)
        // And the session still works afterwards.
        let restarted = session.execute("restart payment")
        let ran = session.execute("run")
        #expect(!restarted.isError)
        #expect(!ran.isError)
        #expect(session.world.orders.orders.allSatisfy { $0.status == .confirmed })
    }

    @Test func longParsedWordsAreShortenedInErrors() {
        for line in Self.hostile where line.count > 1_000 && !line.hasPrefix("show order") {
            var session = Self.busySession()
            let reply = session.execute(line)
            #expect(reply.text.count <= 300, "`\(line.prefix(40))...` gave a \(reply.text.count)-character error")
        }
    }

    /// The parser shortens long words with `quoted`, but ids checked against the world are
    /// echoed whole: `show order <100 000 digits>` answers with a 100 016-character line.
    @Test(arguments: ["show order ", "show saga ", "trace ", "log "])
    func longUnknownIdsAreShortenedInErrors(_ prefix: String) {
        var session = Self.busySession()
        let reply = session.execute(prefix + String(repeating: "9", count: 100_000))
        #expect(reply.isError)
        #expect(reply.text.count <= 300)
    }

    @Test func invalidUTF8IsDecodedWithReplacementCharacters() {
        #expect(Self.invalidUTF8.unicodeScalars.contains("\u{FFFD}"))
        var session = Session()
        let reply = session.execute(Self.invalidUTF8)
        #expect(reply.isError)
        #expect(reply.text.hasPrefix("error: unknown command"))
    }

    @Test func unicodeCustomerNamesAreAccepted() {
        var session = Session()
        let reply = session.execute("order zoë prod-1")
        #expect(!reply.isError)
        #expect(session.world.orders.order("ord-1")?.customer == "zoë")
    }

    /// `order "" prod-1` passes the customer check (an empty string satisfies `allSatisfy`),
    /// and the order is saved with no customer at all.
    @Test
    func emptyCustomerIsRejected() {
        var session = Session()
        let world = session.world
        let reply = session.execute("order \"\" prod-1")
        #expect(reply.isError)
        #expect(session.world == world)
    }

    /// `advance` accepts durations up to 10 000 days, but advancing performs every publisher
    /// poll on the way (three per 30 s of virtual time, each re-evaluating every invariant):
    /// 10 000 days is about 86 million agenda items, tens of minutes of a frozen REPL.
    @Test(.timeLimit(.minutes(1)))
    func advancingTheLongestAcceptedDurationFinishes() {
        var session = Session()
        let reply = session.execute("advance 10000d")
        #expect(!reply.isError)
    }
}
