#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock time since the bridge's shop started, in milliseconds: what the trace's
/// stamps and the tables' times mean on real infrastructure, where every process reads
/// the same machine clock and nothing is virtual.
public struct ShopClock: Sendable {
    /// Milliseconds since the Unix epoch when the shop started.
    public let startedAt: Int

    public init(startedAt: Int) { self.startedAt = startedAt }

    /// The shop's time now.
    public var now: Int { ShopClock.epochMilliseconds - startedAt }

    public static var epochMilliseconds: Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }
}
