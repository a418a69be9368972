import SagaLab

/// Lesson prose that stays true: placeholders a teacher writes in braces are filled from
/// the learner's own world and terminal when the text is shown, and the literal ids,
/// amounts and times left in an explanation can be listed, so that `sagalab check`
/// confirms them against the output and a lab off the lesson's path is not told them.
///
/// `{fail}` and `{pass}` are the marks the learner's terminal shows (`FAIL`/`ok` in plain
/// text, `✗`/`✓` on a terminal); `{now}` is the lab's clock; `{last-order}`,
/// `{last-order.total}` and `{last-order.status}` describe the newest order.
public enum Narration {
    public static let names = ["fail", "pass", "now", "last-order", "last-order.total", "last-order.status"]

    /// The text with every placeholder filled in. Code spans (`` `GET /orders/{id}` ``) are
    /// taken as written.
    public static func fill(_ text: String, world: World, style: Style) -> String {
        guard text.contains("{") else { return text }
        var out = ""
        for (segment, isCode) in segments(text) {
            guard !isCode else { out += segment; continue }
            var rest = Substring(segment)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                out += rest[..<open]
                let name = String(rest[rest.index(after: open)..<close])
                out += value(name, world: world, style: style) ?? String(rest[open...close])
                rest = rest[rest.index(after: close)...]
            }
            out += rest
        }
        return out
    }

    /// The text cut at its backticks: prose, then a code span with its backticks, and so on.
    static func segments(_ text: String) -> [(text: String, isCode: Bool)] {
        var out: [(String, Bool)] = []
        var current = ""
        var inCode = false
        for character in text {
            if character == "`" {
                if inCode { current.append(character) }
                out.append((current, inCode))
                current = inCode ? "" : "`"
                inCode.toggle()
            } else {
                current.append(character)
            }
        }
        out.append((current, inCode))
        return out
    }

    static func value(_ name: String, world: World, style: Style) -> String? {
        let order = world.orders.orders.last
        switch name {
        case "fail": return style.glyph("✗", "FAIL")
        case "pass": return style.glyph("✓", "ok")
        case "now": return VirtualTime.stamp(world.now)
        case "last-order": return order.map { "\($0.id)" } ?? "no order"
        case "last-order.total": return order.map { money($0.total) } ?? "$0.00"
        case "last-order.status": return order?.status.rawValue ?? "none"
        default: return nil
        }
    }

    /// The first `{name}` in the text that is not a placeholder, written with its braces.
    static func unknownPlaceholder(in text: String) -> String? {
        for (segment, isCode) in segments(text) where !isCode {
            var rest = Substring(segment)
            while let open = rest.firstIndex(of: "{") {
                guard let close = rest[open...].firstIndex(of: "}") else { return String(rest[open...]) }
                let name = String(rest[rest.index(after: open)..<close])
                if !names.contains(name) { return "{\(name)}" }
                rest = rest[rest.index(after: close)...]
            }
        }
        return nil
    }

    /// The ids (`ord-1`, `evt-4`, `ch-2`, `saga-1`, `exec-1`, `dl-1`), amounts (`$20.00`)
    /// and times (`01:30.037`, `02:30`) written literally in the text, in order.
    public static func literals(in text: String) -> [String] {
        let prefixes = ["ord-", "evt-", "ch-", "saga-", "exec-", "dl-"]
        let characters = Array(text)
        var found: [String] = []
        var index = 0
        func boundary(_ i: Int) -> Bool { i < 0 || !(characters[i].isLetter || characters[i].isNumber || characters[i] == "-") }
        while index < characters.count {
            let c = characters[index]
            if c == "$", index + 1 < characters.count, characters[index + 1].isNumber {
                var end = index + 1
                while end < characters.count, characters[end].isNumber
                    || ((characters[end] == "," || characters[end] == ".") && end + 1 < characters.count && characters[end + 1].isNumber) {
                    end += 1
                }
                found.append(String(characters[index..<end]))
                index = end
                continue
            }
            if boundary(index - 1), c.isLetter {
                let rest = String(characters[index..<min(characters.count, index + 6)])
                if let prefix = prefixes.first(where: { rest.hasPrefix($0) }) {
                    var end = index + prefix.count
                    while end < characters.count, characters[end].isNumber { end += 1 }
                    if end > index + prefix.count { found.append(String(characters[index..<end])) }
                    index = max(end, index + 1)
                    continue
                }
            }
            if boundary(index - 1), c.isNumber, index + 4 < characters.count, characters[index + 1].isNumber,
               characters[index + 2] == ":", characters[index + 3].isNumber, characters[index + 4].isNumber {
                var end = index + 5
                if end + 3 < characters.count, characters[end] == ".", characters[(end + 1)...(end + 3)].allSatisfy(\.isNumber) { end += 4 }
                found.append(String(characters[index..<end]))
                index = end
                continue
            }
            index += 1
        }
        return found
    }
}
