@testable import SagaBridge
import Testing

/// Reading a query's rows: a query that found nothing reads as no value instead of
/// trapping, which `pattern idempotency on` on the bridge relies on.
@Suite struct BridgeRowsTests {
    @Test func aRowPastTheLastReadsAsNil() {
        let empty = Rows(columns: ["event_id"], values: [], affected: 0)
        #expect(empty.int(0, "event_id") == nil)
        let one = Rows(columns: ["event_id"], values: [["7"]], affected: 0)
        #expect(one.int(0, "event_id") == 7)
        #expect(one.text(1, "event_id") == nil)
        #expect(one.text(0, "missing") == nil)
    }
}
