/// One thing a schedule does to a world: perform a pending item, or inject a fault.
///
/// `explore` builds schedules out of these, and prints them back as the lab commands
/// that do the same (`pick N`, `crash inventory at after-effect`, `duplicate evt-3`), so
/// a counterexample is a script anyone can replay.
public enum ScheduleAction: Hashable, Sendable {
    /// Perform the pending item with this action (`pick N`).
    case pick(Agenda.Action)
    /// Crash a running service now.
    case crash(ServiceName)
    /// Perform the pending item with this action, with a crash of the service armed at
    /// a point inside it (`crash SERVICE at POINT`, then `pick N`).
    case crashDuring(Agenda.Action, ServiceName, CrashPoint)
    /// Bring a crashed service back. Part of every search, never counted as a fault.
    case restart(ServiceName)
    /// Crash a running publisher that is a process of its own (`publishers own-process`).
    case crashPublisher(ServiceName)
    /// Perform a publisher's poll with the publisher, a process of its own, armed to crash
    /// at `after-publish` (`crash orders-publisher at after-publish`, then `pick N`).
    case crashPublisherDuring(Agenda.Action, ServiceName)
    /// Bring a crashed publisher back. Part of every search, never counted as a fault.
    case restartPublisher(ServiceName)
    /// The bus delivers a published event again.
    case duplicate(EventId)
    /// Cut a service off the bus.
    case partition(ServiceName)
    /// End every partition. Part of every search, never counted as a fault.
    case heal
    /// The bus loses every delivery of an event in flight, for good.
    case drop(EventId)
    /// The bus holds an event's deliveries back by a duration.
    case delay(EventId, Millis)
    /// An operator sends a service's dead letters back (`redrive SERVICE`). Part of the
    /// liveness phase, never counted as a fault.
    case redrive(ServiceName)
    /// Run until nothing is left to do: how a schedule ends once its faults are healed.
    case run

    /// Whether it spends one of the schedule's faults.
    public var isFault: Bool {
        switch self {
        case .crash, .crashDuring, .crashPublisher, .crashPublisherDuring, .duplicate, .partition, .drop, .delay: return true
        case .pick, .restart, .restartPublisher, .heal, .redrive, .run: return false
        }
    }

    /// Whether it brings a crashed service or publisher back.
    var isRestart: Bool {
        switch self {
        case .restart, .restartPublisher: return true
        default: return false
        }
    }

    /// Whether a sibling that commutes with it can skip it (sleep sets): picks and
    /// faults, not the repairs every search tries.
    var canSleep: Bool {
        switch self {
        case .restart, .restartPublisher, .heal, .redrive, .run: return false
        default: return true
        }
    }

    /// A fault the bus promises never to commit: losing a message for good, or holding one
    /// back past the processed-events TTL. No pattern here can repair it.
    public var breaksPromise: Bool {
        switch self {
        case .drop: return true
        case .delay(_, let by): return by > World.exploredDelay
        default: return false
        }
    }
}

extension World {
    /// Does `action` to this world. False, leaving the world as it was, when it cannot be
    /// done here (nothing pending matches, the service is already down...).
    @discardableResult
    public mutating func perform(_ action: ScheduleAction) -> Bool {
        do {
            switch action {
            case .pick(let wanted):
                guard let item = pending.first(where: { $0.action == wanted }) else { return false }
                pick(item)
            case .crash(let service): try crashNow(service)
            case .crashDuring(let wanted, let service, let point):
                guard let item = pending.first(where: { $0.action == wanted }) else { return false }
                try arm(service, at: point)
                pick(item)
            case .restart(let service): try restart(service)
            case .crashPublisher(let service): try crashPublisher(service)
            case .crashPublisherDuring(let wanted, let service):
                guard let item = pending.first(where: { $0.action == wanted }) else { return false }
                try armPublisher(service, at: .afterPublish)
                pick(item)
            case .restartPublisher(let service): try restartPublisher(service)
            case .duplicate(let id): try messageFault(.duplicate, .event(id.description))
            case .partition(let service): try partition(service)
            case .heal: try heal()
            case .drop(let id): try messageFault(.drop, .event(id.description))
            case .delay(let id, let by): try messageFault(.delay(by), .event(id.description))
            case .redrive(let service): try redrive(service, id: nil)
            case .run: run()
            }
            return true
        } catch {
            return false
        }
    }

    /// The position (from 1) in `pending` of the item `action` picks, as `pick N` takes it.
    public func pickNumber(_ action: ScheduleAction) -> Int? {
        let wanted: Agenda.Action
        switch action {
        case .pick(let action), .crashDuring(let action, _, _), .crashPublisherDuring(let action, _): wanted = action
        default: return nil
        }
        return pending.firstIndex { $0.action == wanted }.map { $0 + 1 }
    }
}
