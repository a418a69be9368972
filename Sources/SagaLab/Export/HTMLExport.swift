/// `export html`: one self-contained page that draws the run as a Lamport diagram, lanes
/// per service with each message an arrow from where it was sent to where it arrived, as
/// Maelstrom's timeline and ShiViz draw theirs.
///
/// The lanes, rows and arrows are an SVG written here, so the page shows the run even with
/// scripts off; a small script adds the rest: hovering or clicking a row or an arrow shows
/// the entry's details, and a slider moves through the steps, dimming what had not happened
/// yet and showing every database after that step (`StepHistory`). The step where an
/// invariant first broke is flagged on the diagram and on the slider. Nothing is fetched:
/// no script, style or font comes from the network.
///
/// Stable names for tools and tests: `#lane-SERVICE` (`.lane`, `data-service`) for each
/// lane, `#entry-N` (`.entry`, `data-index`, `data-step`, `data-kind`) for each trace entry,
/// `#arrow-N` (`.arrow`, `data-from`, `data-to`, `data-event`) for each message, `#break`
/// for the first broken invariant, `#db-SERVICE` for each database in the panel, and
/// `data-ready="yes"` on `body` once the script has run.
public enum HTMLExport {
    /// The page, with how many entries and steps it draws.
    public static func render(_ run: ExportedRun) -> (text: String, entries: Int, steps: Int) {
        let page = Page(run)
        return (page.text(), page.entries.count, page.history.steps.count - 1)
    }

    /// Geometry, in SVG units.
    enum Layout {
        static let rowHeight = 20
        static let top = 44
        static let laneGap = 96
        static let firstLane = 124
        static var lastLane: Int { firstLane + (ServiceName.allCases.count - 1) * laneGap }
        static var labelX: Int { lastLane + 52 }
        /// Wide enough for the labels, narrow enough to sit beside the panel in 1400 pixels.
        static var width: Int { labelX + 380 }
        static let labelCharacters = 52
    }

    struct Page {
        let run: ExportedRun
        let entries: ArraySlice<Timeline.Entry>
        let history: StepHistory
        let firstBreak: Int?
        /// The first entry of a counterexample's schedule, when it is drawn.
        let scheduleStart: Int?

        init(_ run: ExportedRun) {
            self.run = run
            history = run.history
            // Only the entries drawn: a long run's page costs no more than its first entries.
            let drawn = Timeline(run.world.trace.prefix(run.history.recorded), world: run.world).entries[...]
            entries = drawn
            firstBreak = drawn.first { $0.entry.kind == .invariant }?.index
            scheduleStart = run.counterexample.map(\.firstEntry).flatMap { $0 < drawn.count ? $0 : nil }
        }

        func laneX(_ service: ServiceName) -> Int { Layout.firstLane + service.index * Layout.laneGap }

        /// The middle of entry `index`'s row; a counterexample's schedule starts one row lower.
        func y(_ index: Int) -> Int {
            let gap = scheduleStart.map { index >= $0 ? 1 : 0 } ?? 0
            return Layout.top + (index + gap) * Layout.rowHeight + Layout.rowHeight / 2
        }

        var height: Int { y(max(0, entries.count - 1)) + Layout.rowHeight * 2 }

        func text() -> String {
            let title = run.counterexample.map { "SagaLab counterexample: \($0.title)" } ?? "SagaLab timeline, seed \(run.world.seed)"
            var out = """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>\(html(title))</title>
                <style>
                \(HTMLExport.style)
                </style>
                </head>

                """
            let lastStep = history.steps.count - 1
            let breakStep = firstBreak.flatMap(history.step(of:))
            out += "<body data-entries=\"\(entries.count)\" data-arrows=\"\(entries.filter { $0.arrow != nil }.count)\""
                + " data-steps=\"\(lastStep)\" data-step=\"\(lastStep)\" data-break-step=\"\(breakStep.map(String.init) ?? "")\""
                + " data-ready=\"no\">\n"
            out += header(breakStep: breakStep)
            out += "<div id=\"layout\">\n<div id=\"diagram\">\n" + svg() + "</div>\n" + panel(breakStep: breakStep) + "</div>\n"
            out += footer()
            out += "<script type=\"application/json\" id=\"sagalab-data\">" + data(breakStep: breakStep).written(forHTML: true, compact: true)
                + "</script>\n"
            out += "<script>\n\(HTMLExport.script)\n</script>\n</body>\n</html>\n"
            return out
        }

        func header(breakStep: Int?) -> String {
            let world = run.world
            let arrows = entries.filter { $0.arrow != nil }.count
            var facts = ["seed \(world.seed)", "\(entries.count) trace entries", "\(arrows) messages",
                         "\(history.steps.count - 1) steps", "virtual time \(VirtualTime.stamp(world.now))",
                         "mode \(world.mode.rawValue)", "flow \(world.flow.rawValue)"]
            if entries.count < world.trace.count { facts.append("the first \(entries.count) of \(world.trace.count) entries drawn") }
            var out = "<header>\n<h1>\(html(run.counterexample == nil ? "SagaLab timeline" : "SagaLab counterexample"))</h1>\n"
            out += "<p id=\"summary\">\(html(facts.joined(separator: " \u{B7} ")))</p>\n"
            if let index = firstBreak, let entry = entries.first(where: { $0.index == index }) {
                out += "<p id=\"verdict\" class=\"broken\">FAIL at step \(breakStep.map(String.init) ?? "?")"
                    + " (\(VirtualTime.stamp(entry.entry.time))): \(html(entry.text))</p>\n"
            } else {
                out += "<p id=\"verdict\" class=\"held\">No invariant broke in the trace drawn here.</p>\n"
            }
            if let example = run.counterexample {
                out += "<div id=\"counterexample\"><p>explore found a schedule that breaks <b>\(html(example.title))</b>"
                    + (example.evidence.isEmpty ? "" : ": \(html(example.evidence))") + "</p>\n"
                if !example.schedule.isEmpty {
                    out += "<ol class=\"schedule\">" + example.schedule.map { "<li><code>\(html($0))</code></li>" }.joined() + "</ol>\n"
                }
                if !example.settling.isEmpty {
                    out += "<p>then every fault is healed and the world runs to the end: "
                        + example.settling.map { "<code>\(html($0))</code>" }.joined(separator: ", ") + "</p>\n"
                }
                out += "</div>\n"
            }
            if !history.isReplayed {
                out += "<p class=\"note\">This run could not be replayed step by step: every step shows the databases as they are at the end.</p>\n"
            }
            return out + "</header>\n"
        }

        func svg() -> String {
            let width = Layout.width
            let height = height
            var out = "<svg id=\"timeline\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\""
                + " aria-label=\"the trace as lanes per service with arrows for messages\">\n"
            out += """
                <defs>
                <marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" class="head"/></marker>
                <marker id="head-repeat" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" class="head-repeat"/></marker>
                </defs>

                """
            out += "<g id=\"lanes\">\n"
            out += "<text class=\"lane-name time-head\" x=\"6\" y=\"22\">time</text>\n"
            for service in ServiceName.allCases {
                let x = laneX(service)
                out += "<g class=\"lane-group\"><text class=\"lane-name\" x=\"\(x)\" y=\"22\">\(service.rawValue)</text>"
                    + "<line class=\"lane\" id=\"lane-\(service.rawValue)\" data-service=\"\(service.rawValue)\""
                    + " x1=\"\(x)\" y1=\"\(Layout.top - 12)\" x2=\"\(x)\" y2=\"\(height - 10)\"/></g>\n"
            }
            out += "</g>\n<g id=\"rows\">\n"
            var lastTime: Millis?
            for item in entries {
                out += row(item, showTime: item.entry.time != lastTime)
                lastTime = item.entry.time
            }
            out += "</g>\n"
            if let start = scheduleStart {
                let lineY = y(start) - Layout.rowHeight
                out += "<g id=\"schedule-start\"><line x1=\"0\" y1=\"\(lineY)\" x2=\"\(width)\" y2=\"\(lineY)\"/>"
                    + "<text x=\"\(Layout.labelX)\" y=\"\(lineY + 4)\">explore's schedule starts here</text></g>\n"
            }
            out += "<g id=\"arrows\">\n"
            for item in entries { if let arrow = item.arrow { out += self.arrow(item, arrow) } }
            out += "</g>\n"
            if let index = firstBreak {
                let y = y(index)
                out += "<g id=\"break\" data-index=\"\(index)\"><path d=\"M\(Layout.firstLane - 62),\(y - 7) L\(Layout.firstLane - 50),\(y) "
                    + "L\(Layout.firstLane - 62),\(y + 7) z\"/><title>the first invariant that broke</title></g>\n"
            }
            let lastY = entries.last.map { y($0.index) + Layout.rowHeight / 2 } ?? Layout.top
            out += "<line id=\"now-line\" x1=\"0\" y1=\"\(lastY)\" x2=\"\(width)\" y2=\"\(lastY)\"/>\n"
            return out + "</svg>\n"
        }

        func row(_ item: Timeline.Entry, showTime: Bool) -> String {
            let entry = item.entry
            let y = y(item.index)
            let top = y - Layout.rowHeight / 2
            var attributes = "class=\"entry kind-\(item.kindName)\(item.arrow == nil ? "" : " has-arrow")\" id=\"entry-\(item.index)\""
                + " data-index=\"\(item.index)\" data-step=\"\(history.step(of: item.index).map(String.init) ?? "")\""
                + " data-kind=\"\(item.kindName)\" data-happening=\"\(item.happening)\" data-who=\"\(item.who)\""
                + " data-time=\"\(VirtualTime.stamp(entry.time))\" data-ms=\"\(entry.time)\" data-y=\"\(y)\""
            if let from = entry.from { attributes += " data-from=\"\(from.rawValue)\"" }
            if let order = entry.orderId { attributes += " data-order=\"\(order)\"" }
            if let event = entry.eventId { attributes += " data-event=\"\(event)\"" }
            if let type = item.eventType { attributes += " data-event-type=\"\(type)\"" }
            var out = "<g \(attributes)><title>\(html("[\(VirtualTime.stamp(entry.time))] \(item.who): \(item.text)"))</title>"
            out += "<rect class=\"hit\" x=\"0\" y=\"\(top)\" width=\"\(Layout.width)\" height=\"\(Layout.rowHeight)\"/>"
            if showTime { out += "<text class=\"time\" x=\"6\" y=\"\(y + 4)\">\(VirtualTime.stamp(entry.time))</text>" }
            if let service = entry.service {
                let x = laneX(service)
                if entry.kind == .crash {
                    out += "<path class=\"mark cross\" d=\"M\(x - 6),\(y - 6) L\(x + 6),\(y + 6) M\(x + 6),\(y - 6) L\(x - 6),\(y + 6)\"/>"
                } else if item.arrow == nil {
                    out += "<circle class=\"mark\" cx=\"\(x)\" cy=\"\(y)\" r=\"5\"/>"
                }
            } else {
                let left = Layout.firstLane - 44
                out += "<rect class=\"band\" x=\"\(left)\" y=\"\(y - 8)\" width=\"\(Layout.lastLane + 44 - left)\" height=\"16\" rx=\"3\"/>"
            }
            let words = (entry.kind == .invariant ? "FAIL " : "\(item.who): ") + item.text
            let label = words.count > Layout.labelCharacters ? String(words.prefix(Layout.labelCharacters - 3)) + "..." : words
            out += "<text class=\"label\" x=\"\(Layout.labelX)\" y=\"\(y + 4)\">\(html(label))</text></g>\n"
            return out
        }

        func arrow(_ item: Timeline.Entry, _ arrow: Timeline.Arrow) -> String {
            let toX = laneX(arrow.to)
            let fromX = laneX(arrow.from)
            let endY = y(item.index)
            let startY = arrow.sentAt.map(y) ?? endY
            let path: String
            if arrow.from == arrow.to {
                path = "M\(fromX),\(startY) C\(fromX + 48),\(startY) \(fromX + 48),\(endY) \(toX + 2),\(endY)"
            } else {
                path = "M\(fromX),\(startY) L\(toX),\(endY)"
            }
            var attributes = "class=\"arrow\(arrow.isRepeat ? " repeat" : "")\" id=\"arrow-\(item.index)\" data-index=\"\(item.index)\""
                + " data-from=\"\(arrow.from.rawValue)\" data-to=\"\(arrow.to.rawValue)\""
                + " data-step=\"\(history.step(of: item.index).map(String.init) ?? "")\""
            if let sent = arrow.sentAt { attributes += " data-sent=\"\(sent)\"" }
            if let event = item.entry.eventId { attributes += " data-event=\"\(event)\"" }
            if let type = item.eventType { attributes += " data-event-type=\"\(type)\"" }
            let marker = arrow.isRepeat ? "head-repeat" : "head"
            return "<g \(attributes)><title>\(html("\(arrow.from.rawValue) -> \(arrow.to.rawValue): \(item.text)"))</title>"
                + "<path class=\"grab\" d=\"\(path)\"/><path class=\"shaft\" d=\"\(path)\" marker-end=\"url(#\(marker))\"/></g>\n"
        }

        func panel(breakStep: Int?) -> String {
            let last = history.steps.count - 1
            var out = "<aside id=\"panel\">\n<section id=\"controls\">\n<h2>Steps</h2>\n<div class=\"stepper\">"
            out += "<button id=\"first\" title=\"the start\">|&lt;</button><button id=\"prev\" title=\"one step back (left arrow)\">&lt;</button>"
            out += "<div class=\"track\"><input type=\"range\" id=\"slider\" min=\"0\" max=\"\(last)\" step=\"1\" value=\"\(last)\""
                + " aria-label=\"step\"><div id=\"ticks\">"
            if let breakStep, last > 0 {
                let percent = breakStep * 1000 / last
                out += "<span class=\"tick\" style=\"left: \(percent / 10).\(percent % 10)%\" title=\"an invariant broke at step \(breakStep)\"></span>"
            }
            out += "</div></div><button id=\"next\" title=\"one step on (right arrow)\">&gt;</button>"
                + "<button id=\"last\" title=\"the end\">&gt;|</button></div>\n"
            out += "<p id=\"step-info\">step \(last) of \(last)</p>\n"
            if breakStep != nil { out += "<button id=\"goto-break\">go to the step where an invariant broke</button>\n" }
            out += "</section>\n<section id=\"details\">\n<h2>Selected</h2>\n<div id=\"details-body\"><p class=\"hint\">"
                + "Hover over or click an arrow or a row of the timeline.</p></div>\n</section>\n"
            out += "<section id=\"databases\">\n<h2>Databases after step <span id=\"db-step\">\(last)</span></h2>\n"
            let state = history.steps.last?.state ?? DatabaseState.lines(run.world)
            for (index, service) in ServiceName.allCases.enumerated() {
                out += "<div class=\"db\" id=\"db-\(service.rawValue)\" data-service=\"\(service.rawValue)\"><h3>\(service.rawValue)</h3><ul>"
                out += (index < state.count ? state[index] : []).map { "<li>\(html($0))</li>" }.joined()
                out += "</ul></div>\n"
            }
            return out + "</section>\n</aside>\n"
        }

        func footer() -> String {
            "<footer><p>Drawn by SagaLab's <code>export html</code>. The page draws at most the first "
                + "\(ExportLimits.entries) trace entries, keeps every database after each of their steps (replaying the session), "
                + "and lists at most \(ExportLimits.linesPerService) lines per database. It needs no network.</p></footer>\n"
        }

        /// The slider's data: each step's entries and time, and each database's lines where
        /// they changed (null: as in the step before), the lines kept once in `strings`.
        func data(breakStep: Int?) -> JSONValue {
            var strings: [String] = []
            var number: [String: Int] = [:]
            var previous: [[String]] = []
            var steps: [JSONValue] = []
            for step in history.steps {
                var state: [JSONValue] = []
                for (index, lines) in step.state.enumerated() {
                    if index < previous.count, previous[index] == lines {
                        state.append(.null)
                        continue
                    }
                    state.append(.array(lines.map { line in
                        if let known = number[line] { return .int(known) }
                        number[line] = strings.count
                        strings.append(line)
                        return .int(strings.count - 1)
                    }))
                }
                previous = step.state
                steps.append(.object([("first", .int(step.entries.lowerBound)), ("end", .int(step.entries.upperBound)),
                                      ("time", .string(VirtualTime.stamp(step.time))), ("state", .array(state))]))
            }
            return .object([
                ("services", .array(ServiceName.allCases.map { .string($0.rawValue) })),
                ("top", .int(Layout.top)),
                ("breakStep", .number(breakStep)),
                ("strings", .array(strings.map(JSONValue.string))),
                ("steps", .array(steps)),
            ])
        }
    }

    /// Text for HTML: `&`, `<`, `>` and quotes as entities.
    static func html(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
