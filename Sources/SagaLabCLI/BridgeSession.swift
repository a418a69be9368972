import CEditLine
import SagaBridge
import SagaLab

/// The bridge's REPL and its script player: the same prompt, echo and line editing as the
/// lab's, over a `Bridge` instead of a world. The bridge is closed (workers stopped,
/// throwaway cluster removed) however the loop ends.
enum BridgeSession {
    /// Opens the bridge, runs `body` with it, closes it; the exit status of `body`, or 1
    /// when the bridge could not open.
    static func open(database: String?, _ body: (Bridge) -> Int32) -> Int32 {
        let interactive = Terminal.isInteractive
        if interactive { print("starting PostgreSQL and the shop's processes...") }
        let started = ShopClock.epochMilliseconds
        let bridge: Bridge
        do {
            bridge = try Bridge.open(database: database)
        } catch {
            StandardError.print("sagalab bridge: error: \(error)")
            return 1
        }
        defer { bridge.close() }
        bridge.style = interactive && Files.environment("NO_COLOR") == nil ? Style.rich : Style.plain
        bridge.width = interactive ? Terminal.width : 80
        if interactive {
            let ready = ShopClock.epochMilliseconds - started
            print(TextWrap.fit("SagaLab bridge: the shop on \(bridge.location), ready in \(ready) ms.", width: bridge.width))
            print(TextWrap.fit("`help` lists what the bridge carries over; Ctrl-C stops `run` waiting; Ctrl-D leaves "
                + "and removes the cluster.", width: bridge.width))
        }
        Interrupts.install()
        return body(bridge)
    }

    /// The loop; like the lab's, it goes on past a rejected line, and with piped input
    /// its exit status is 1 when any line was rejected.
    static func loop(_ bridge: Bridge) -> Int32 {
        let prompt = bridge.style.paint("bridge>", .bold, .magenta) + " "
        let editor = LineEditor(programName: "sagalab", historyPath: Files.historyPath) { _ in [] }
        var rejected = false
        var status: Int32 { rejected && !Terminal.stdinIsTTY ? 1 : 0 }
        while true {
            let line: String
            Interrupts.reset()
            if let editor {
                switch editor.readLine(prompt: prompt) {
                case .line(let text): line = text
                case .interrupted: continue
                case .endOfInput:
                    if Interrupts.requested { continue }
                    return status
                }
                if !line.allSatisfy(\.isWhitespace) { editor.addHistory(line) }
                bridge.width = Terminal.width
            } else {
                guard let text = readLine(strippingNewline: true) else { return status }
                line = text
                sagalab_write_stdout(Transcript.echo(line) + "\n")
            }
            let answer = bridge.execute(line) { Interrupts.requested }
            // Written at once even into a pipe: the shop goes on working between commands.
            if !answer.text.isEmpty { sagalab_write_stdout(answer.text + "\n") }
            if answer.isError { rejected = true }
            if answer.quit { return status }
        }
    }

    /// `sagalab run FILE --bridge`: each line echoed after the prompt, then its answer.
    static func play(_ path: String) -> Int32 {
        guard let text = Files.readForRun(path) else { return 1 }
        return open(database: nil) { bridge in
            for line in Script.lines(text) {
                print(Transcript.echo(line.text))
                let answer = bridge.execute(line.text) { Interrupts.requested }
                if answer.isError {
                    // As the lab's scripts: the first rejected line stops it, named.
                    let message = answer.text.replacingOccurrences(of: "\n  ", with: " ")
                    let reason = message.hasPrefix("error: ") ? String(message.dropFirst(7)) : message
                    StandardError.print(TextWrap.fit("\(path):\(line.number): error: \(reason)", width: 80))
                    return 1
                }
                if !answer.text.isEmpty { print(answer.text) }
                if answer.quit { break }
                if Interrupts.requested { return ScriptRunner.interruptedStatus }
            }
            return 0
        }
    }
}
