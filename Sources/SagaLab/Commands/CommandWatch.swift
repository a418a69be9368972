/// How the host watches a long command (`run`, `advance`, `step N`, `compare`) and stops it.
///
/// The library never touches signals or clocks. The terminal program passes `shouldStop`,
/// true once Ctrl-C was pressed, and `progress`, which draws a line when enough wall time
/// has passed; transcript checks, lesson replays and tests pass `.none`. A command asks
/// `shouldStop` only between whole steps, so a stopped command leaves the world exactly
/// as `step` that many times would, and it hands `progress` a snapshot every
/// `progressInterval` steps, which keeps watching too cheap to measure.
public struct CommandWatch {
    public var shouldStop: () -> Bool
    /// What the host does with a report of progress; nil when nobody looks, and then no
    /// report is made (`progress(_:)`).
    public var onProgress: ((CommandProgress) -> Void)?
    /// Seconds on the host's clock, for rates such as `explore`'s states per second. Nil
    /// (the default) keeps every reply the same from run to run.
    public var clock: (() -> Double)?
    /// The memory the lab may hold while `explore` or a long command runs. Nil (the default)
    /// sets no ceiling.
    public var memory: MemoryCeiling?
    /// Why the host could not write a file at `path` (`replacing` one that exists or not),
    /// asked by `export` before it makes the file's contents: the export of a long run
    /// takes a minute and gigabytes, and should not be made only to be refused. The library
    /// touches no file; nil (the default) leaves the question to the host's write.
    public var cannotWrite: ((_ path: String, _ replacing: Bool) -> String?)?

    /// Steps between two calls of `progress`.
    public static let progressInterval = 256

    public init(shouldStop: @escaping () -> Bool = { false }, progress: ((CommandProgress) -> Void)? = nil,
                clock: (() -> Double)? = nil, memory: MemoryCeiling? = nil,
                cannotWrite: ((_ path: String, _ replacing: Bool) -> String?)? = nil) {
        self.shouldStop = shouldStop
        onProgress = progress
        self.clock = clock
        self.memory = memory
        self.cannotWrite = cannotWrite
    }

    /// Nothing stops the command and nobody watches it.
    public static var none: CommandWatch { CommandWatch() }

    /// Hands the host a report of progress, made only when the host looks: a report holds
    /// a copy of the world, and `explore` words its search in it every 256 states.
    public func progress(_ report: @autoclosure () -> CommandProgress) {
        onProgress?(report())
    }
}

/// How far a watched command went.
struct Stride: Equatable {
    var steps: Int
    /// True when the watch stopped the command before it was done.
    var stopped: Bool
    /// What the world held when the memory ceiling stopped it (nil: Ctrl-C, or not stopped).
    var outgrew: MemoryCeiling.Excess? = nil
}

extension CommandWatch {
    /// Stretches of `progressInterval` steps between two looks at the memory a long command
    /// holds: a look reads the process's size from the system, and a world grows by about
    /// a megabyte in that many stretches.
    static let stretchesBetweenMemoryChecks = 32

    /// The memory past the ceiling, asked after stretch `stretch` (from 1); nil the rest of the time.
    func outgrown(afterStretch stretch: Int) -> MemoryCeiling.Excess? {
        guard stretch % CommandWatch.stretchesBetweenMemoryChecks == 0 else { return nil }
        return memory?.check()
    }
}

/// The question a watched command asks before each step of one stretch: pause after
/// `progressInterval` steps so that progress can be reported, or stop because the host
/// says so. The host is asked once before each step, however the stretches fall.
struct StretchCheck {
    enum Reason { case stopped, progress }
    private(set) var reason: Reason?
    private var asked = 0

    mutating func shouldPause(_ watch: CommandWatch) -> Bool {
        if asked == CommandWatch.progressInterval {
            reason = .progress
            return true
        }
        if watch.shouldStop() {
            reason = .stopped
            return true
        }
        asked += 1
        return false
    }
}

/// The long commands under a watch, in stretches of `progressInterval` steps. A stretch
/// that pauses for progress ends between two steps, and the next one carries on from
/// there, so the world comes out as one uninterrupted command would leave it.
extension World {
    mutating func run(watch: CommandWatch) -> Stride {
        var steps = 0
        for stretch in 1... {
            var check = StretchCheck()
            steps += run(until: { check.shouldPause(watch) })
            guard check.reason == .progress else { return Stride(steps: steps, stopped: check.reason == .stopped) }
            if let excess = watch.outgrown(afterStretch: stretch) { return Stride(steps: steps, stopped: true, outgrew: excess) }
            watch.progress(CommandProgress(steps: steps, world: self))
        }
        return Stride(steps: steps, stopped: false)
    }

    mutating func advance(by duration: Millis, watch: CommandWatch) -> Stride {
        let target = now + duration
        var steps = 0
        for stretch in 1... {
            var check = StretchCheck()
            steps += advance(by: target - now, until: { check.shouldPause(watch) })
            guard check.reason == .progress else { return Stride(steps: steps, stopped: check.reason == .stopped) }
            if let excess = watch.outgrown(afterStretch: stretch) { return Stride(steps: steps, stopped: true, outgrew: excess) }
            watch.progress(CommandProgress(steps: steps, target: target, world: self))
        }
        return Stride(steps: steps, stopped: false)
    }

    mutating func step(_ count: Int, watch: CommandWatch) -> Stride {
        var steps = 0
        while steps < count {
            if watch.shouldStop() { return Stride(steps: steps, stopped: true) }
            guard step() else { break }
            steps += 1
            if steps % CommandWatch.progressInterval == 0 {
                if let excess = watch.outgrown(afterStretch: steps / CommandWatch.progressInterval) {
                    return Stride(steps: steps, stopped: true, outgrew: excess)
                }
                watch.progress(CommandProgress(steps: steps, totalSteps: count, world: self))
            }
        }
        return Stride(steps: steps, stopped: false)
    }
}
