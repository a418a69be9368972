import Foundation
import Lessons
@testable import SagaLab
import Testing

/// Every line the lab prints fits the terminal: 80 columns in pipes, or wider.
@Suite struct WidthTests {
    static let transcripts = Repository.files(in: "Tests/Transcripts", ending: ".txt")
        + Repository.files(in: "Tests/Transcripts/lessons", ending: ".txt")

    static func overlong(_ url: URL, width: Int) -> [String] {
        var bench = Workbench(seed: 1, style: .plain, width: width)
        var found: [String] = []
        for entry in Transcript(parsing: Repository.read(url)).entries {
            let text = bench.execute(entry.input).text
            for line in text.split(separator: "\n") where displayWidth(String(line)) > width {
                found.append("\(entry.input): \(line)")
            }
        }
        return found
    }

    @Test("every transcript's output fits 80 columns", arguments: transcripts)
    func fitsEighty(_ url: URL) {
        let found = Self.overlong(url, width: 80)
        #expect(found.isEmpty, "\(found.prefix(5).joined(separator: "\n"))")
    }

    @Test("every transcript's output fits 160 columns", arguments: transcripts)
    func fitsWider(_ url: URL) {
        let found = Self.overlong(url, width: 160)
        #expect(found.isEmpty, "\(found.prefix(5).joined(separator: "\n"))")
    }

    @Test func aWideTableWrapsItsWidestColumn() {
        let table = Table(["id", "reason"], [["ord-1", "Inventory reservation failed: insufficient stock"], ["ord-2", ""]])
        let text = table.render(.plain, indent: "", width: 30)
        #expect(text == """
            id     reason
            -----  -----------------------
            ord-1  Inventory reservation
                   failed: insufficient
                   stock
            ord-2
            """)
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 30 })
    }

    @Test func aTableThatFitsIsUnchanged() {
        let table = Table(["a", "b"], [["one", "two three"]])
        #expect(table.render(.plain, indent: "", width: 80) == "a    b\n---  ---------\none  two three")
        #expect(table.render(.plain) == table.render(.plain, indent: "", width: 80))
    }

    @Test func aLongWordIsCutWhenSpacesAreNotEnough() {
        let table = Table(["step", "x"], [["reserve-inventory-and-more", "y"]])
        let lines = table.render(.plain, indent: "  ", width: 16).split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 16 })
        #expect(lines.count == 5)
        #expect(lines.dropFirst(2).map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? "" }
            .joined() == "reserve-inventory-and-more")
    }

    @Test func aLongWordBreaksAfterAHyphenBeforeItIsCut() {
        let table = Table(["id", "type", "error"], [["dl-1", "refund-payment", "ServiceUnavailable after 4 attempts"]])
        #expect(table.render(.plain, indent: "", width: 34) == """
            id    type      error
            ----  --------  ------------------
            dl-1  refund-   ServiceUnavailable
                  payment   after 4 attempts
            """)
        // Ids keep their short numbered tails, and words wrap at spaces while they can.
        #expect(Table.pieces("refund-payment") == ["refund-", "payment"])
        #expect(Table.pieces("ord-12") == ["ord-12"] && Table.pieces("exec-1") == ["exec-1"])
        #expect(Table.pieces("orders-publisher") == ["orders-", "publisher"])
        let ids = Table(["key", "state"], [["customer-order-001", "a long state that wraps"]])
        #expect(ids.render(.plain, indent: "", width: 32).contains("customer-order-001"))
    }

    @Test func anEventTypeBreaksAfterADotSoThatIdsStayWhole() {
        let table = Table(["event", "type", "order", "at"],
                          [["evt-100256", "inventory.reservation.failed", "ord-23683", "01:00.020"]])
        #expect(table.render(.plain, indent: "", width: 46) == """
            event       type          order      at
            ----------  ------------  ---------  ---------
            evt-100256  inventory.    ord-23683  01:00.020
                        reservation.
                        failed
            """)
        #expect(Table.pieces("inventory.reservation.failed") == ["inventory.", "reservation.", "failed"])
        #expect(Table.pieces("0:01:00.020") == ["0:01:00.020"] && Table.pieces("$1000.00") == ["$1000.00"])
    }

    @Test func theColumnThatWrapsLeastNarrowsFirst() {
        // Every row's time would wrap in a narrower last column; the one long key breaks instead.
        let rows = (1...6).map { ["evt-\($0)", "7d 0:00:30.00\($0)"] } + [["ord-7:reserve-inventory", "7d 0:00:30.139"]]
        let text = Table(["event", "expires at"], rows).render(.plain, indent: "", width: 32)
        #expect(text.split(separator: "\n").count == 2 + 7 + 1)
        #expect(text.hasSuffix("ord-7:reserve-    7d 0:00:30.139\ninventory"))
        // A sentence wraps at its spaces before an event type breaks after its dot.
        let events = Table(["type", "detail"], [["inventory.reserved", "Payment failed: card declined"],
                                                ["payment.completed", "$10.00"]])
        #expect(events.render(.plain, indent: "", width: 36).contains("inventory.reserved  Payment failed:"))
    }

    @Test func aTableTooWideAtItsNarrowestIsShownAsRecords() {
        let table = Table(["saga", "order", "mode", "status", "step", "age", "state"],
                          [["saga-1", "ord-1", "choreography", "CONFIRMED", "CONFIRMED", "1m30.040s", "settled"],
                           ["saga-2", "ord-2", "orchestration", "FAILED", "FAILED", "30.4s", "a long reason that wraps"]])
        let text = table.render(.plain, indent: "  ", width: 24)
        #expect(text == """
              saga    saga-1
              order   ord-1
              mode    choreography
              status  CONFIRMED
              step    CONFIRMED
              age     1m30.040s
              state   settled

              saga    saga-2
              order   ord-2
              mode    orchestration
              status  FAILED
              step    FAILED
              age     30.4s
              state   a long reason
                      that wraps
            """)
        #expect(table.render(.plain, indent: "  ", width: 80).hasPrefix("  saga    order  mode"))
    }

    @Test func aTableThatWouldCutWordsInManyRowsIsShownAsRecords() {
        let rows = (1...4).map { ["evt-\($0)", "inventory.reserved", "ord-\($0)", "inventory", "00:30.03\($0)", "once", ""] }
        let table = Table(["event", "type", "order", "from", "created", "published", "detail"], rows)
        // At 60 columns every row would lose letters of its time and its service.
        #expect(table.render(.plain, indent: "", width: 60).hasPrefix("event      evt-1\ntype       inventory.reserved\n"))
        #expect(table.render(.plain, indent: "", width: 80).hasPrefix("event  type"))
    }

    @Test func everyTableFitsItsWidth() {
        let alphabet = Array("ab-.: 01Z")
        for seed in UInt64(1)...400 {
            var r = SeededGenerator(seed: seed)
            func text(_ most: Int) -> String { String((0..<r.int(in: 0...most)).map { _ in alphabet[r.int(in: 0...(alphabet.count - 1))] }) }
            let columns = r.int(in: 1...9)
            let headers = (0..<columns).map { _ in text(12) }
            let rows = (0..<r.int(in: 0...6)).map { _ in (0..<columns).map { _ in text(40) } }
            let width = r.int(in: 40...120)
            let lines = Table(headers, rows).render(.plain, indent: "  ", width: width).split(separator: "\n")
            #expect(lines.allSatisfy { displayWidth(String($0)) <= width }, "seed \(seed) at width \(width)")
        }
    }

    /// Sentences wrap at the terminal's width when it is under 80 columns, in the views
    /// themselves: the last-resort fit then has nothing to break.
    @Test(arguments: ["design", "help order", "help crash", "explore faults=0", "export json exported-run.json"])
    func sentencesWrapToANarrowTerminalWhereTheyAreWritten(command: String) {
        var session = Session()
        session.width = 60
        _ = session.execute("order alice prod-1x2")
        let text = session.execute(command).text
        for line in text.split(separator: "\n") { #expect(displayWidth(String(line)) <= 60, "too wide: \(line)") }
    }

    @Test func widthComesFromTheStyle() {
        var style = Style.plain
        style.width = 30
        let table = Table(["id", "reason"], [["ord-1", "Inventory reservation failed: insufficient stock"]])
        #expect(table.render(style) == table.render(.plain, indent: "", width: 30))
    }

    @Test func errorsAndLogLinesWrapWithAHangingIndent() {
        let error = "error: " + Array(repeating: "word", count: 30).joined(separator: " ")
        let lines = TextWrap.fit(error, width: 40).split(separator: "\n").map(String.init)
        #expect(lines.count > 1)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  word") })
        let log = "[00:30.035] inventory: " + Array(repeating: "reserved", count: 12).joined(separator: " ")
        let wrapped = TextWrap.fit(log, width: 40).split(separator: "\n").map(String.init)
        #expect(wrapped.dropFirst().allSatisfy { $0.hasPrefix("            reserved") })
        #expect(TextWrap.fit("short", width: 40) == "short")
    }

    /// A word wider than the line (a long path in `wrote PATH: ...`) is cut where the line
    /// is full and carries on under the hanging indent; before, it stayed whole and overflowed.
    @Test func aWordWiderThanTheLineIsCutUnderTheHangingIndent() {
        let path = String(repeating: "x", count: 100) + ".mmd"
        let lines = TextWrap.fit("wrote " + path + ": a Mermaid sequence diagram", width: 40)
            .split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { displayWidth($0) <= 40 })
        #expect(lines.count == 5)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  ") })
        #expect(lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined().contains(path))
        let error = TextWrap.fit("error: " + String(repeating: "9", count: 90), width: 40).split(separator: "\n")
        #expect(error.count == 4)
        #expect(error.allSatisfy { displayWidth(String($0)) <= 40 })
    }

    @Test func aPipedSessionPrintsLogLinesAtEighty() {
        var bench = Workbench(seed: 1, style: .plain, width: 80)
        let text = bench.execute("order alice prod-1x2").text
        #expect(text.contains("\n            outbox row evt-1 order.created"))
    }
}
