extension BreakCause {
    /// The note `explore` prints under a counterexample with this cause.
    public var text: String {
        switch self {
        case .markExpired(let service, let id, let markedAt, let at, let ttl):
            return "\(service.rawValue) handled \(id) again at \(VirtualTime.stamp(at)): its processed mark, "
                + "written at \(VirtualTime.stamp(markedAt)), had outlived processed-ttl (\(VirtualTime.duration(ttl))). "
                + "A consumer is idempotent only while it keeps its marks; no pattern helps, a longer TTL does"
        case .slowerThanTimeout(let participant, let slowness, let latencyMin, let timeout):
            return "\(participant.rawValue) answers no sooner than \(VirtualTime.duration(slowness + 2 * latencyMin)) "
                + "(slow \(VirtualTime.duration(slowness)), and latency-min \(VirtualTime.duration(latencyMin)) each way), "
                + "and the orchestrator waits \(VirtualTime.duration(timeout)): every call to it times out, whatever "
                + "the schedule. No pattern helps; a longer step-timeout does"
        case .slowerOnAverageThanTimeout(let participant, let slowness, let latencyMin, let latencyMax, let timeout):
            let slow = slowness > 0 ? ", slow \(VirtualTime.duration(slowness))" : ""
            let call = participant.map { "a call to \($0.rawValue) and its answer take" } ?? "a call and its answer take"
            return "\(call) \(VirtualTime.duration(latencyMin + latencyMax + slowness)) on average"
                + "\(participant == nil ? " on this network" : "") (latency \(VirtualTime.duration(latencyMin)) to "
                + "\(VirtualTime.duration(latencyMax)) each way\(slow)), "
                + "and the orchestrator waits \(VirtualTime.duration(timeout)): most calls time out and are tried again "
                + "until the retries run out, whatever the schedule. No pattern helps; a step-timeout longer than "
                + "twice latency-max does"
        case .handlerKeepsFailing(let service, let mode):
            return "the \(service.rawValue) handler throws on \(mode.description) (`fail \(service.rawValue) error`), "
                + "and a message still waits in a dead-letter queue after being sent back twice. No pattern removes "
                + "a failing handler; more retries or `fail \(service.rawValue) error off` do"
        }
    }
}
