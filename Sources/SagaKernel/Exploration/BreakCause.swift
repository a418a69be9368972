/// Why a counterexample's world was bound to break, when the reason lies in how the world
/// was set up rather than in a pattern left off: a processed mark that expired before its
/// event came back, a participant or a network slower than the orchestrator's patience, a
/// handler made to keep failing.
///
/// Every one is read from the broken world itself (its trace, its settings, its dead
/// letters), never from the script that built it, so `explore` names it only where it
/// happened. It tells the learner that switching a pattern on will not help, and which
/// setting would.
public enum BreakCause: Hashable, Sendable {
    /// `service` found the mark of `id`, written at `markedAt`, older than `ttl`, and handled
    /// the event (or the call) again at `at`.
    case markExpired(service: ServiceName, id: ProcessedKey, markedAt: Millis, at: Millis, ttl: Millis)
    /// A call to `participant` timed out, and it answers no sooner than the orchestrator waits:
    /// it is `slow` by `slowness`, on top of two trips of at least `latencyMin`, against `timeout`.
    case slowerThanTimeout(participant: ServiceName, slowness: Millis, latencyMin: Millis, timeout: Millis)
    /// A call timed out, and most calls must: a trip each way takes from `latencyMin` to
    /// `latencyMax`, so the typical call with its answer (`latencyMin + latencyMax`, plus the
    /// participant's `slowness`) takes at least `timeout`. `participant` is nil when the
    /// network alone is that slow, for every participant alike.
    case slowerOnAverageThanTimeout(participant: ServiceName?, slowness: Millis, latencyMin: Millis, latencyMax: Millis,
                                    timeout: Millis)
    /// `service`'s handler was set to throw (`fail SERVICE error`), and dead letters remain
    /// after the liveness phase sent them back.
    case handlerKeepsFailing(service: ServiceName, mode: HandlerErrorMode)
}

extension World {
    /// The causes of `BreakCause` that this world shows, in the order they happened. The
    /// world is one a counterexample's replay left, with its trace kept.
    func breakCauses() -> [BreakCause] {
        var causes: [BreakCause] = []
        guard trace.keepsEntries else { return causes }
        var expired = false
        var slow: Set<ServiceName> = []
        var networkNamed = false
        for entry in trace {
            switch entry.what {
            case .message(.markExpired(let id, let markedAt, let ttl)) where !expired:
                guard let service = entry.service else { continue }
                expired = true
                causes.append(.markExpired(service: service, id: id, markedAt: markedAt, at: entry.time, ttl: ttl))
            case .saga(.noAnswer(let task, _, let within)):
                let participant = task.participant
                let slowness = self.slowness[participant] ?? 0
                let (fastest, typical) = (slowness + 2 * settings.latencyMin, slowness + settings.latencyMin + settings.latencyMax)
                guard typical >= within, slow.insert(participant).inserted else { continue }
                if slowness > 0 && fastest >= within {
                    causes.append(.slowerThanTimeout(participant: participant, slowness: slowness,
                                                     latencyMin: settings.latencyMin, timeout: within))
                } else if slowness > 0 || !networkNamed {
                    networkNamed = networkNamed || slowness == 0
                    causes.append(.slowerOnAverageThanTimeout(participant: slowness > 0 ? participant : nil, slowness: slowness,
                                                              latencyMin: settings.latencyMin,
                                                              latencyMax: settings.latencyMax, timeout: within))
                }
            default:
                continue
            }
        }
        // Handler errors strike a consumer's deliveries only, which wait in its own queue.
        for service in ServiceName.allCases where !node(service).deadLetters.isEmpty {
            switch node(service).handlerError {
            case .always, .percent: causes.append(.handlerKeepsFailing(service: service, mode: node(service).handlerError))
            case .off, .next: continue
            }
        }
        return causes
    }
}
