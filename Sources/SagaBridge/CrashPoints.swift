import SagaKernel
#if canImport(Glibc)
import Glibc
#endif

/// The crashes the learner armed (`crash inventory at after-effect`), as the process that
/// reaches the point sees them: a row in `lab.armed_crashes`, taken once. The process
/// records the crash in the trace and exits on the spot, without a word to PostgreSQL: an
/// open transaction is rolled back by the server when the connection drops, as after any
/// real crash.
struct CrashPoints {
    /// The lab's connection, outside every business transaction.
    let lab: Connection
    /// The process name as commands name it: `inventory`, `orders-publisher`.
    let process: String
    let recorder: TraceRecorder

    func fire(_ point: CrashPoint, order: Int32? = nil) {
        let taken = try? lab.execute("""
            DELETE FROM lab.armed_crashes WHERE id =
              (SELECT id FROM lab.armed_crashes WHERE process = $1 AND point = $2 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING id
            """, [process, point.rawValue])
        guard let taken, taken.count > 0 else { return }
        recorder.record(.fault(.crashedAt(point)), order: order)
        _exit(137)
    }
}
