import SagaKernel

/// The learner's settings as every process reads them from `lab.settings`: how each
/// consumer guards against duplicates (`pattern idempotency`) and how long its handler
/// works (`slow`). A process reads them for each delivery, so a change applies to the
/// next delivery, in every process of the service at once.
struct LabSettings {
    var values: [String: String] = [:]

    static func read(_ lab: Connection) -> LabSettings {
        var settings = LabSettings()
        guard let rows = try? lab.execute("SELECT name, value FROM lab.settings") else { return settings }
        for i in 0..<rows.count {
            if let name = rows.text(i, "name"), let value = rows.text(i, "value") { settings.values[name] = value }
        }
        return settings
    }

    func idempotency(_ service: ServiceName) -> IdempotencyMode {
        values["idempotency.\(service.rawValue)"].flatMap(IdempotencyMode.init(rawValue:)) ?? .on
    }

    /// Milliseconds the handler works between its check and its effect.
    func slowness(_ service: ServiceName) -> Int {
        values["slow.\(service.rawValue)"].flatMap { Int($0) } ?? 0
    }

    static func write(_ lab: Connection, _ name: String, _ value: String?) throws {
        if let value {
            try lab.execute("INSERT INTO lab.settings VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2", [name, value])
        } else {
            try lab.execute("DELETE FROM lab.settings WHERE name = $1", [name])
        }
    }
}
