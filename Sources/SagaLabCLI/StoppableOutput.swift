#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints a long reply on a terminal a block of lines at a time, so that Ctrl-C stops it.
///
/// A `run` of fifty thousand orders finishes its steps in a blink and then has half a
/// million lines to show; a terminal takes seconds to scroll through them, and a reply
/// printed in one call could not be stopped. Here the reply goes out in blocks, and a
/// Ctrl-C between two blocks ends the output with one line saying how much was left
/// unshown and where to find it. The world is not touched: the command has finished.
enum StoppableOutput {
    /// Lines written between two looks at Ctrl-C: a terminal scrolls a block in a few
    /// hundredths of a second.
    static let blockLines = 200

    /// Prints `text` and a newline; on Ctrl-C, stops at a line's end and says so. A
    /// Ctrl-C pressed after the command's last step, while its reply was being written
    /// out, counts: the caller forgets only one the command itself obeyed.
    static func print(_ text: String) {
        var utf8 = Array(text.utf8)
        utf8.append(UInt8(ascii: "\n"))
        var start = 0
        var lines = 0
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\n") {
                lines += 1
                if lines % blockLines == 0 {
                    emit(utf8, from: start, to: index + 1)
                    start = index + 1
                    if Interrupts.requested, start < utf8.count {
                        let left = utf8[start...].reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                        Swift.print("(stopped by Ctrl-C: \(left) more line\(left == 1 ? "" : "s") not shown)")
                        return
                    }
                }
            }
            index += 1
        }
        emit(utf8, from: start, to: utf8.count)
    }

    private static func emit(_ bytes: [UInt8], from start: Int, to end: Int) {
        guard start < end else { return }
        fflush(nil)
        bytes.withUnsafeBufferPointer { buffer in
            var offset = start
            while offset < end {
                let written = write(STDOUT_FILENO, buffer.baseAddress! + offset, end - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
