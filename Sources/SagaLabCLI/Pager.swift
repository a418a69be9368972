#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows long text one screen at a time. Handbook chapters and long traces scroll past a
/// terminal faster than a learner can read them, so when standard output is a terminal and
/// the text is taller than the window, `show` hands it to the user's `$PAGER` (run through
/// `/bin/sh -c`) or else `less -R` and waits for it to finish. Anywhere else (pipes, files,
/// short text, no pager installed) the text is printed as it is, so transcripts and
/// scripts never depend on a pager.
enum Pager {
    /// Prints `text`, through a pager when it would not fit on the terminal.
    static func show(_ text: String) {
        guard Terminal.stdoutIsTTY, lineCount(text) > Terminal.height - 1 else {
            printDirectly(text)
            return
        }
        fflush(nil)
        if !page(text) {
            printDirectly(text)
        }
    }

    private static func printDirectly(_ text: String) {
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }

    private static func lineCount(_ text: String) -> Int {
        var count = 0
        var lastWasNewline = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                count += 1
                lastWasNewline = true
            } else {
                lastWasNewline = false
            }
        }
        return lastWasNewline ? count : count + 1
    }

    /// The command line that runs the pager: `$PAGER` through the shell, else `less -R`
    /// when it is on the `PATH`, else nothing.
    private static func pagerArguments() -> [String]? {
        if let value = getenv("PAGER") {
            let pager = String(cString: value)
            if !pager.allSatisfy({ $0 == " " || $0 == "\t" }) {
                return ["/bin/sh", "-c", pager]
            }
        }
        guard let less = findInPath("less") else { return nil }
        return [less, "-R"]
    }

    private static func findInPath(_ program: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = "\(directory)/\(program)"
            if access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    /// Runs the pager with `text` on its standard input. Returns false when no pager could
    /// be started or the shell could not find the `$PAGER` command, so the caller prints
    /// the text itself.
    private static func page(_ text: String) -> Bool {
        guard let arguments = pagerArguments() else { return false }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return false }
        let readEnd = fds[0]
        let writeEnd = fds[1]

        let oldInterrupt = ignore(SIGINT)
        let oldBrokenPipe = ignore(SIGPIPE)
        defer {
            restore(SIGINT, oldInterrupt)
            restore(SIGPIPE, oldBrokenPipe)
        }

        guard let child = spawn(arguments, stdinFrom: readEnd, closing: writeEnd) else {
            close(readEnd)
            close(writeEnd)
            return false
        }
        close(readEnd)
        writeAll(text, to: writeEnd)
        close(writeEnd)

        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
        let exitedNormally = (status & 0x7f) == 0
        let exitCode = (status >> 8) & 0xff
        return !(exitedNormally && (exitCode == 126 || exitCode == 127))
    }

    private static func spawn(_ arguments: [String], stdinFrom readEnd: Int32, closing writeEnd: Int32) -> pid_t? {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        guard posix_spawn_file_actions_init(&actions) == 0 else { return nil }
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard posix_spawnattr_init(&attributes) == 0 else { return nil }
        defer { posix_spawnattr_destroy(&attributes) }

        posix_spawn_file_actions_adddup2(&actions, readEnd, STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)

        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGINT)
        sigaddset(&defaultSignals, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        #if canImport(Darwin)
        let environment = _NSGetEnviron().pointee
        #else
        let environment = environ
        #endif
        var child: pid_t = 0
        let result = argv.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return EINVAL }
            return posix_spawn(&child, arguments[0], &actions, &attributes, base, environment)
        }
        return result == 0 ? child : nil
    }

    private static func writeAll(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        if bytes.last != UInt8(ascii: "\n") {
            bytes.append(UInt8(ascii: "\n"))
        }
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, base + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written == -1 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    private static func ignore(_ signal: Int32) -> sigaction {
        var ignored = sigaction()
        var previous = sigaction()
        sigemptyset(&ignored.sa_mask)
        #if canImport(Glibc)
        ignored.__sigaction_handler.sa_handler = SIG_IGN
        #else
        ignored.__sigaction_u.__sa_handler = SIG_IGN
        #endif
        sigaction(signal, &ignored, &previous)
        return previous
    }

    private static func restore(_ signal: Int32, _ action: sigaction) {
        var action = action
        sigaction(signal, &action, nil)
    }
}
