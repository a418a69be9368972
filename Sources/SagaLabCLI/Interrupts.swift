#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C while a command runs. The SIGINT handler only sets a flag; the running command
/// asks for it between whole steps (through `CommandWatch.shouldStop`) and stops there,
/// so Ctrl-C never kills sagalab and never leaves the world half way through a step.
/// At the prompt libedit reads Ctrl-C as a key (see `LineEditor`); plain line reading
/// goes on reading, because the handler is installed with BSD `signal` semantics, which
/// restart an interrupted `read`.
enum Interrupts {
    /// Installs the handler. Call it before the first command.
    static func install() {
        interruptFlag = 0
        signal(SIGINT) { _ in interruptFlag = 1 }
    }

    /// Forgets a Ctrl-C pressed before now: call it before reading a line and before a command.
    static func reset() {
        interruptFlag = 0
    }

    /// Whether Ctrl-C was pressed since the last `reset`.
    static var requested: Bool { interruptFlag != 0 }
}

/// Set by the SIGINT handler and by nothing else but `Interrupts`: a `sig_atomic_t` is
/// all a signal handler may safely write.
nonisolated(unsafe) private var interruptFlag: sig_atomic_t = 0
