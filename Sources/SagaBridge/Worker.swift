import CLibPQ
import SagaKernel
#if canImport(Glibc)
import Glibc
#endif

/// A worker process of the bridge: the `sagalab` binary started as one service's consumer
/// (the orders consumer also answers the orders API) or as one service's outbox
/// publisher. It shares nothing with the other processes but PostgreSQL, sleeps on
/// LISTEN until a NOTIFY or a short poll wakes it, and dies with the bridge.
public enum Worker {
    public enum Role: String, CaseIterable, Sendable {
        case consumer
        case publisher
    }

    /// How often an idle worker looks again without a NOTIFY: for deliveries whose
    /// visibility timeout ran out and for a partition that healed.
    static let pollMilliseconds: Int32 = 250

    /// Runs until the process is killed, or its bridge or server is gone; returns the line
    /// that says why it stopped.
    public static func run(role: Role, service: ServiceName, conninfo: String, clock: ShopClock, visibilityTimeout: Int) -> String {
        _ = sagalab_die_with_parent()
        let parent = getppid()
        signal(SIGINT, SIG_IGN)
        let db: Connection
        let lab: Connection
        do {
            db = try Connection(conninfo)
            lab = try Connection(conninfo)
            for connection in [db, lab] { try connection.execute("SET ROLE \(Schema.role(service))") }
        } catch {
            return "\(service.rawValue) \(role.rawValue): \(error)"
        }
        let isPublisher = role == .publisher
        let recorder = TraceRecorder(db: lab, service: service, byPublisher: isPublisher)
        let crashPoints = CrashPoints(lab: lab, process: isPublisher ? service.publisherName : service.rawValue, recorder: recorder)
        let channel = isPublisher ? "outbox_\(service.rawValue)" : "queue_\(service.rawValue)"
        _ = try? lab.execute("LISTEN \(channel)")
        if service == .orders && !isPublisher { _ = try? lab.execute("LISTEN requests") }
        var cutOff = false
        // Besides the death signal: a worker whose bridge or server is gone has nothing to do.
        while getppid() == parent && db.isHealthy && lab.isHealthy {
            do {
                let worked: Bool
                if isPublisher {
                    worked = try Publisher(service: service, db: db, lab: lab, recorder: recorder, crashPoints: crashPoints).publishWaiting()
                } else {
                    worked = try consumeOnce(service, db: db, lab: lab, clock: clock, visibilityTimeout: visibilityTimeout,
                                             recorder: recorder, crashPoints: crashPoints)
                }
                if cutOff {
                    cutOff = false
                    recorder.record(.recorded(.note, text: "reaches the bus again"))
                }
                if worked { continue }
            } catch let error as DatabaseError where error.isPermissionDenied {
                if !cutOff {
                    cutOff = true
                    recorder.record(.recorded(.park, text: "cannot reach the bus (\(error.message)); tries again"))
                }
            } catch {
                recorder.record(.recorded(.redeliver, text: "error: \(error); rolled back, not acknowledged"))
            }
            _ = lab.waitForNotification(milliseconds: pollMilliseconds)
        }
        return "\(service.rawValue) \(role.rawValue): the bridge or its server is gone"
    }

    /// The orders API first, then one delivery; false when neither had anything.
    static func consumeOnce(
        _ service: ServiceName, db: Connection, lab: Connection, clock: ShopClock, visibilityTimeout: Int,
        recorder: TraceRecorder, crashPoints: CrashPoints
    ) throws -> Bool {
        if service == .orders,
           try OrdersDesk(db: db, clock: clock, recorder: recorder, crashPoints: crashPoints).answerNext() {
            return true
        }
        let consumer = Consumer(service: service, db: db, lab: lab, clock: clock, visibilityTimeout: visibilityTimeout,
                                recorder: recorder, crashPoints: crashPoints)
        guard let delivery = try consumer.take() else { return false }
        try consumer.handle(delivery)
        return true
    }
}
