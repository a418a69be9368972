#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about the terminal SagaLab is attached to: whether standard input and output
/// are terminals, whether the terminal can take line editing, and its size. The REPL
/// uses these to choose between the libedit line editor and plain line reading, and the
/// pager and table renderers use the size, so every such decision asks one place instead
/// of probing file descriptors and environment variables ad hoc.
enum Terminal {
    /// Whether standard input is a terminal rather than a pipe or file.
    static var stdinIsTTY: Bool { isatty(STDIN_FILENO) == 1 }

    /// Whether standard output is a terminal rather than a pipe or file.
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Whether both ends are terminals and `TERM` names one that can move the cursor
    /// (unset, empty and `dumb` cannot).
    static var isInteractive: Bool {
        guard stdinIsTTY, stdoutIsTTY else { return false }
        guard let term = environment("TERM") else { return false }
        return !term.isEmpty && term != "dumb"
    }

    /// Columns of the terminal on standard output, else `$COLUMNS`, else 80.
    static var width: Int {
        if let size = windowSize(), size.ws_col > 0 { return Int(size.ws_col) }
        return positiveInteger(environment("COLUMNS")) ?? 80
    }

    /// Rows of the terminal on standard output, else `$LINES`, else 24.
    static var height: Int {
        if let size = windowSize(), size.ws_row > 0 { return Int(size.ws_row) }
        return positiveInteger(environment("LINES")) ?? 24
    }

    private static func windowSize() -> winsize? {
        var size = winsize()
        #if canImport(Glibc)
        let request = UInt(TIOCGWINSZ)
        #else
        let request = TIOCGWINSZ
        #endif
        guard ioctl(STDOUT_FILENO, request, &size) == 0 else { return nil }
        return size
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    private static func positiveInteger(_ text: String?) -> Int? {
        guard let text, let value = Int(text), value > 0 else { return nil }
        return value
    }
}

