import Foundation
import Lessons
import SagaLab

/// Reading and writing the few files sagalab uses: scripts, transcripts, saved sessions,
/// history and lesson progress. Failures come back as messages, never as crashes.
///
/// A path the learner types may start with `~`, which means `$HOME`, as in a shell. What
/// the learner asks the lab to write (`save`, `export`) goes into a directory that exists,
/// never over a file that exists unless the command said `--force`: a missing directory
/// or a file in the way is one error line naming it.
enum Files {
    static func read(_ typed: String) -> Result<String, FileError> {
        let path = expandingTilde(typed)
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            return .failure(FileError(message: exists ? "cannot read \(path)" : "no such file: \(path)"))
        }
        return .success(String(decoding: data, as: UTF8.self))
    }

    /// The file's text for a command-line run, or nil after printing the reason on
    /// standard error (`sagalab: error: no such file: ...`).
    static func readForRun(_ typed: String) -> String? {
        switch read(typed) {
        case .success(let text): return text
        case .failure(let error):
            StandardError.print("sagalab: error: \(error.message)")
            return nil
        }
    }

    /// Why `write` would refuse the path before writing a byte: a directory or a file in
    /// the way, a file that exists (unless `replacing`), a missing directory (unless
    /// `creatingDirectories`). Nil when nothing stands in the way. `export` asks it before
    /// making a file that can take a minute to make.
    static func problem(writing typed: String, replacing: Bool, creatingDirectories: Bool = false) -> FileError? {
        let path = expandingTilde(typed)
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return FileError(message: "cannot write \(typed): it is a directory") }
            if !replacing { return FileError(message: "cannot write \(typed): the file exists; add --force to replace it") }
        }
        // The nearest folder on the way that exists must be one: name the file in the way.
        let parent = url.deletingLastPathComponent()
        var ancestor = parent
        while ancestor.path != "/", !ancestor.path.isEmpty {
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { return FileError(message: "cannot write \(typed): \(ancestor.path) is a file, not a directory") }
                break
            }
            ancestor = ancestor.deletingLastPathComponent()
        }
        if ancestor != parent && !creatingDirectories {
            // Named as typed (`~/notes`, `runs/today`), or in full when typed without one.
            let folder = typed.contains("/") ? String(typed[..<(typed.lastIndex(of: "/") ?? typed.endIndex)]) : parent.path
            return FileError(message: "cannot write \(typed): the directory \(folder) does not exist")
        }
        return nil
    }

    /// Writes `text` to the file `typed` names. `replacing` allows writing over a file that
    /// exists; `creatingDirectories` makes the missing directories on the way (the lab's own
    /// files, such as the progress file, only).
    static func write(_ text: String, to typed: String, replacing: Bool, creatingDirectories: Bool = false) -> FileError? {
        if let problem = problem(writing: typed, replacing: replacing, creatingDirectories: creatingDirectories) { return problem }
        let path = expandingTilde(typed)
        let url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent()
        do {
            if creatingDirectories {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            }
            // Written through the C library, so that a refusal comes with the system's own
            // reason ("Permission denied", "Invalid argument") for the learner to read.
            guard let file = fopen(path, "w") else {
                return FileError(message: "cannot write \(typed): \(String(cString: strerror(errno)))")
            }
            var contents = text
            let (written, count) = contents.withUTF8 { bytes in (fwrite(bytes.baseAddress, 1, bytes.count, file), bytes.count) }
            let writeError = written < count ? errno : 0
            let closeError = fclose(file) != 0 ? errno : 0
            if writeError != 0 || closeError != 0 {
                return FileError(message: "cannot write \(typed): \(String(cString: strerror(writeError != 0 ? writeError : closeError)))")
            }
            return nil
        } catch {
            return FileError(message: "cannot write \(path): \(reason(error))")
        }
    }

    /// Why a write failed, in the system's few words ("No such file or directory", "Is a
    /// directory") rather than Foundation's sentence about an operation.
    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        let posix = ns.domain == NSPOSIXErrorDomain ? ns
            : (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? $0 : nil }
        if let posix { return String(cString: strerror(Int32(posix.code))) }
        switch ns.code {
        case NSFileWriteNoPermissionError: return "Permission denied"
        case NSFileNoSuchFileError, NSFileWriteInvalidFileNameError: return "No such file or directory"
        case NSFileWriteOutOfSpaceError, NSFileWriteVolumeReadOnlyError: return "the disk refused it"
        default: return String(String.UnicodeScalarView(ns.localizedDescription.unicodeScalars.filter(\.isASCII)))
        }
    }

    /// Reads a lesson file for `lesson FILE.md`, with the message the learner sees when it cannot.
    static let lessonReader: @Sendable (String) -> Result<String, LessonFileUnreadable> = { path in
        read(path).mapError { LessonFileUnreadable($0.message) }
    }

    static func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// `$HOME`; the account's home from the password file only when HOME is unset.
    static var home: String { environment("HOME") ?? NSHomeDirectory() }

    /// `~` and `~/...` with `$HOME` in place of the tilde, as a shell reads them; any other
    /// path as it is.
    static func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        var home = home
        while home.count > 1, home.hasSuffix("/") { home.removeLast() }
        return home + path.dropFirst()
    }

    static var historyPath: String { environment("SAGALAB_HISTORY") ?? home + "/.sagalab_history" }
    static var progressPath: String { environment("SAGALAB_PROGRESS") ?? home + "/.sagalab/progress" }
}

struct FileError: Error {
    var message: String
}

/// Standard error, for the lines that are not the session's output.
enum StandardError {
    /// Writes `text` and a newline to standard error, each line fitted to 80 columns.
    static func print(_ text: String) {
        FileHandle.standardError.write(Data((TextWrap.fit(text, width: 80) + "\n").utf8))
    }
}
