import Lessons
import SagaKernel
@testable import SagaLab
import Testing

/// `trace` and `log` filters on a world with two orders carried to the end.
@Suite struct TraceFilterTests {
    @Test(arguments: ["trace ord-3", "log ord-3", "show order ord-3", "export mermaid /tmp/never-written.mmd ord-3"])
    func anOrderThatIsNotThereGetsTheNearOne(_ line: String) {
        var session = TraceFilterTests.session()
        let reply = session.execute(line)
        #expect(reply.isError)
        #expect(reply.text.hasPrefix("error: no order 'ord-3' (did you mean 'ord-1'?)"), "\(reply.text)")
    }

    @Test func pastTenThousandOrdersAMistypedOneGetsNoSuggestion() {
        var session = Session()
        #expect(!session.execute("order user-1..10001 prod-1").isError)
        #expect(session.execute("trace ord-20000").text == "error: no order 'ord-20000'")
    }

    static func session() -> Session {
        var session = Session()
        for line in ["order alice prod-1x2", "order bob prod-2", "run quiet"] {
            let reply = session.execute(line)
            #expect(!reply.isError, "\(line): \(reply.text)")
        }
        return session
    }

    static func logLines(_ session: inout Session, _ line: String) -> [String] {
        let reply = session.execute(line)
        #expect(!reply.isError, "\(line): \(reply.text)")
        return reply.text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("[") }
    }

    @Test func anOrderAndServicesCombine() {
        var session = Self.session()
        let all = Self.logLines(&session, "log")
        let lines = Self.logLines(&session, "log ord-2 inventory payment")
        #expect(!lines.isEmpty)
        #expect(lines.count < all.count)
        for line in lines {
            let lane = line.contains("] inventory: ") || line.contains("] payment: ")
            #expect(lane, "\(line)")
        }
        let trace = session.world.trace.filter { $0.orderId?.description == "ord-2" && ($0.service == .inventory || $0.service == .payment) }
        #expect(lines.count == trace.count)
    }

    /// The request that created an order is logged before the order has its id; an
    /// order's log and diagram still start with it, and no other order's request.
    @Test func anOrderKeepsTheRequestThatCreatedIt() {
        var session = Self.session()
        let lines = Self.logLines(&session, "log ord-2")
        #expect(lines.first?.hasSuffix("orders: POST /orders bob prod-2") == true, "\(lines.first ?? "")")
        #expect(!lines.contains { $0.contains("POST /orders alice") })
        #expect(Self.logLines(&session, "log ord-1").first?.contains("POST /orders alice prod-1x2") == true)
        #expect(!Self.logLines(&session, "log ord-2 payment").contains { $0.contains("POST /orders") },
                "the orders lane is not shown")
        #expect(session.execute("trace ord-2").text.contains("POST /orders bob prod-2"))
    }

    @Test func aTimeRangeKeepsItsEntriesBothEndsIncluded() {
        var session = Self.session()
        let from = 60_000, to = 90_000
        let expected = session.world.trace.filter { $0.time >= from && $0.time <= to }.count
        #expect(expected > 0)
        #expect(Self.logLines(&session, "log from 01:00 to 01:30").count == expected)
        let after = session.world.trace.filter { $0.time >= from }.count
        #expect(Self.logLines(&session, "log from 01:00").count == after)
    }

    @Test func quietHidesAnalyticsAndRewards() {
        var session = Self.session()
        let lines = Self.logLines(&session, "log quiet")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { !$0.contains("] analytics: ") && !$0.contains("] rewards: ") })
        #expect(lines == Self.logLines(&session, "log -rewards -analytics"))
        let trace = session.execute("trace ord-1 quiet").text
        let header = trace.split(separator: "\n").prefix(2).joined(separator: " ")
        #expect(header.contains("orders") && header.contains("inventory") && header.contains("payment"))
        #expect(!header.contains("analytics") && !header.contains("rewards"))
    }

    @Test func pickedServicesAreTheOnlyLanes() {
        var session = Self.session()
        let text = session.execute("trace payment").text
        let rows = text.split(separator: "\n").map(String.init)
        #expect(rows.first == "          payment")
        // One lane: the label starts right after it.
        #expect(rows.dropFirst(2).allSatisfy { $0.count > 10 && ["|", ">", "*", "^", "<"].contains(Array($0)[10]) })
    }

    @Test func anEmptyResultSaysSoInOneLine() {
        var session = Self.session()
        let log = session.execute("log ord-1 from 10:00")
        #expect(!log.isError)
        #expect(log.text == "nothing logged for ord-1 from 10:00.000")
        let trace = session.execute("trace rewards to 00:01")
        #expect(trace.text == "nothing traced in rewards to 00:01.000")
        var fresh = Session()
        #expect(fresh.execute("log quiet").text == "nothing has happened yet")
    }

    @Test func oldFormsStillWork() {
        var session = Self.session()
        #expect(session.execute("trace ord-1").text == TraceDiagram(session.world, style: .plain).render(order: "ord-1"))
        #expect(session.execute("log ord-1").text == Views(session.world, style: .plain).log(order: "ord-1"))
        #expect(session.execute("log ord-9").text == "error: no order 'ord-9' (did you mean 'ord-1'?)")
    }

    @Test(arguments: ["log from", "trace alice", "log ord-1 ord-2", "trace from 02:00 to 01:00", "log quiet -orders -inventory -payment"])
    func badFiltersChangeNothing(_ line: String) {
        var session = Self.session()
        let before = session.world.trace.count
        let reply = session.execute(line)
        #expect(reply.isError)
        #expect(reply.text.contains("usage:"))
        #expect(!reply.text.contains("\n"))
        #expect(session.world.trace.count == before)
    }

    /// Ctrl-C while `log` or `trace` draws a long run: nothing is shown, nothing changes, and
    /// unstopped the same command draws every entry.
    @Test(arguments: ["log", "trace", "log quiet", "trace -analytics"])
    func ctrlCStopsALongDrawingWithNothingShown(_ line: String) {
        var session = Session()
        for setup in ["stock prod-1 1000"] + (1...400).map({ "order cust-\($0) prod-1" }) + ["run quiet"] {
            _ = session.execute(setup)
        }
        #expect(session.world.trace.count > 2 * TraceLines.stride)
        let before = session.world
        let script = session.script
        var asked = 0
        let reply = session.execute(line, watch: CommandWatch(shouldStop: {
            asked += 1
            return asked >= 2
        }))
        let command = String(line.prefix { $0 != " " })
        #expect(reply.isInterrupted)
        #expect(!reply.isError)
        #expect(reply.text == "\(command) interrupted; nothing shown: narrow it to an order, services or a time")
        #expect(asked == 2)
        #expect(session.world == before)
        #expect(session.script == script)
        let whole = session.execute(line, watch: CommandWatch(shouldStop: { false }))
        #expect(!whole.isInterrupted)
        #expect(whole.text.split(separator: "\n").count > TraceLines.stride)
    }
}
