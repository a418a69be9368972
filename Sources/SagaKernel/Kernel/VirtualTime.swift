/// Virtual milliseconds since the world began. The world has no wall clock: every
/// timestamp, delay and TTL is one of these, so the same commands give the same times.
public typealias Millis = Int

/// Reading and writing virtual times and durations as people type them.
public enum VirtualTime {
    public static let second: Millis = 1_000
    public static let minute: Millis = 60_000
    public static let hour: Millis = 3_600_000
    public static let day: Millis = 86_400_000

    /// A point in virtual time: `00:30.042` below an hour, `1:00:30.042` below a day, `8d 0:00:00.000` beyond.
    public static func stamp(_ t: Millis) -> String {
        guard t >= 0 else { return "-" + stamp(t == .min ? .max : -t) }
        let ms = t % 1000
        let totalSeconds = t / 1000
        let s = totalSeconds % 60
        let m = (totalSeconds / 60) % 60
        let h = (totalSeconds / 3600) % 24
        let d = totalSeconds / 86400
        // Written byte by byte into the string's own storage: every trace line shows a stamp.
        return String(unsafeUninitializedCapacity: 32) { buffer in
            var at = 0
            func put(_ byte: UInt8) {
                buffer[at] = byte
                at += 1
            }
            func digits(_ n: Int, width: Int) {
                var divisor = 1
                var count = 1
                while divisor * 10 <= n || count < width {
                    divisor *= 10
                    count += 1
                }
                var rest = n
                while divisor > 0 {
                    put(UInt8(48 + rest / divisor))
                    rest %= divisor
                    divisor /= 10
                }
            }
            if d > 0 {
                digits(d, width: 1)
                put(UInt8(ascii: "d"))
                put(UInt8(ascii: " "))
            }
            if d > 0 || h > 0 {
                digits(h, width: 1)
                put(UInt8(ascii: ":"))
            }
            digits(m, width: 2)
            put(UInt8(ascii: ":"))
            digits(s, width: 2)
            put(UInt8(ascii: "."))
            digits(ms, width: 3)
            return at
        }
    }

    /// A duration the way a person reads it: `250ms`, `30s`, `1m30.063s`, `7d`.
    public static func duration(_ t: Millis) -> String {
        if t == 0 { return "0s" }
        if t < second { return "\(t)ms" }
        var rest = t
        var out = ""
        for (unit, size) in [("d", day), ("h", hour), ("m", minute)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        let ms = rest % second
        if rest >= second || ms > 0 {
            out += "\(rest / second)" + (ms > 0 ? ".\(pad(ms, 3))" : "") + "s"
        }
        return out
    }

    /// A point in virtual time as `stamp` writes it, with the milliseconds optional:
    /// `02:00`, `00:30.042`, `1:05:00.079`, `8d 0:00:00.000`, or `8d` for the start of a
    /// day, up to the day of `latest`. Nil for anything else.
    public static func parseStamp(_ text: String) -> Millis? {
        let words = text.split(separator: " ")
        if let first = words.first, let days = dayCount(first), days <= latest / day {
            guard words.count == 2 else { return words.count == 1 ? days * day : nil }
            guard let rest = parseStamp(String(words[1])), rest < day, dayCount(words[1]) == nil else { return nil }
            return days * day + rest
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let clock = parts.first else { return nil }
        var ms = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...3).contains(fraction.count), fraction.allSatisfy(\.isASCII), let n = Int(fraction), n >= 0 else { return nil }
            ms = n * [100, 10, 1][fraction.count - 1]
        }
        let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(fields.count),
              fields.allSatisfy({ !$0.isEmpty && $0.count <= 9 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        let numbers = fields.compactMap { Int($0) }
        let (h, m, s) = numbers.count == 3 ? (numbers[0], numbers[1], numbers[2]) : (0, numbers[0], numbers[1])
        guard s < 60, numbers.count == 2 || m < 60 else { return nil }
        return ((h * 60 + m) * 60 + s) * 1000 + ms
    }

    /// The days of a stamp written past the first day: `8d` in `8d 0:00:00.000`.
    public static func dayCount(_ word: some StringProtocol) -> Int? {
        guard word.count >= 2, word.count <= 6, word.last == "d", word.dropLast().allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(word.dropLast())
    }

    /// The longest duration the lab reads: 10 000 days, far beyond any saga's timers.
    public static let longestDuration: Millis = 10_000 * day

    /// The last moment `advance` reaches: `99999d 23:59:59.999`, the latest stamp the lab
    /// reads (`goto`), and far short of the latest an event can carry (`Event.timeRange`).
    public static let latest: Millis = 100_000 * day - 1

    /// Why a text is not a duration.
    public enum DurationProblem: Error, Equatable, Sendable {
        /// Not written like `500ms`, `30s`, `5m`, `2h`, `7d` or `1m30s`.
        case malformed
        /// Well written, but longer than `longestDuration`.
        case tooLarge
    }

    /// Parses `500ms`, `30s`, `5m`, `2h`, `7d` and sums such as `1m30s`. A bare number is seconds.
    /// Returns nil for anything else, for negative values, and beyond `longestDuration`.
    public static func parseDuration(_ text: String) -> Millis? {
        try? readDuration(text).get()
    }

    /// Parses a duration as `parseDuration` does, telling a malformed text from one too large.
    public static func readDuration(_ text: String) -> Result<Millis, DurationProblem> {
        let chars = Array(text.lowercased())
        guard !chars.isEmpty else { return .failure(.malformed) }
        // Only digits and unit letters; a number too long for Int is too large, not malformed.
        guard chars.allSatisfy({ $0.isASCIIDigit || ["m", "s", "h", "d"].contains($0) }), chars.first?.isASCIIDigit == true
        else { return .failure(.malformed) }
        // A long text is refused unread: too large when it is one number and its unit.
        guard chars.count <= 40 else {
            return .failure(chars.prefix(while: \.isASCIIDigit).count >= chars.count - 2 ? .tooLarge : .malformed)
        }
        if chars.allSatisfy(\.isASCIIDigit) {
            guard let n = Int(String(chars)), n <= longestDuration / second else { return .failure(.tooLarge) }
            return .success(n * second)
        }
        var total = 0
        var tooLarge = false
        var i = 0
        while i < chars.count {
            var digits = ""
            while i < chars.count, chars[i].isASCIIDigit { digits.append(chars[i]); i += 1 }
            var unit = ""
            while i < chars.count, chars[i].isLetter { unit.append(chars[i]); i += 1 }
            guard !digits.isEmpty else { return .failure(.malformed) }
            let size: Millis
            switch unit {
            case "ms": size = 1
            case "s": size = second
            case "m": size = minute
            case "h": size = hour
            case "d": size = day
            default: return .failure(.malformed)
            }
            guard let n = Int(digits), n <= longestDuration / size else { tooLarge = true; continue }
            total += n * size
            if total > longestDuration { tooLarge = true }
        }
        return tooLarge ? .failure(.tooLarge) : .success(total)
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

extension Character {
    /// Whether the character is one of 0 to 9; `isNumber` also takes other scripts' digits and fractions.
    public var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
