extension FaultHappening {
    var text: String {
        switch self {
        case .crashedAt(let point): return "CRASHED at \(point.rawValue)"
        case .crashed: return "CRASHED (committed rows survive; it receives nothing until restarted)"
        case .restarted(let held, let rows):
            var parts = ["restarted"]
            if held > 0 { parts.append(held == 1 ? "1 queued delivery resumes" : "\(held) queued deliveries resume") }
            if rows > 0 { parts.append("its publisher will send \(rows) unpublished row\(rows == 1 ? "" : "s")") }
            return parts.joined(separator: "; ")
        case .publisherCrashed: return "CRASHED (its service runs on; outbox rows wait until it is restarted)"
        case .publisherRestarted(let rows):
            return "restarted" + (rows == 0 ? "" : "; it will send \(rows) unpublished row\(rows == 1 ? "" : "s")")
        case .partitioned: return "partitioned: cut off from the bus"
        case .healed(let services): return "healed: \(services.map(\.rawValue).joined(separator: ", ")) reconnected"
        case .deliversAgain(let e): return "delivers \(e.type.rawValue) \(e.id) again"
        case .droppedDeliveries(let count, let e):
            return "dropped \(count) deliver\(count == 1 ? "y" : "ies") of \(e.type.rawValue) \(e.id)"
        }
    }
}
