import Foundation
import Lessons

/// Reading and writing the few files sagalab uses: scripts, transcripts, saved sessions,
/// history and lesson progress. Failures come back as messages, never as crashes.
enum Files {
    static func read(_ path: String) -> Result<String, FileError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            return .failure(FileError(message: exists ? "cannot read \(path)" : "no such file: \(path)"))
        }
        return .success(String(decoding: data, as: UTF8.self))
    }

    static func write(_ text: String, to path: String) -> FileError? {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return FileError(message: "cannot write \(path): it is a directory")
        }
        // The nearest folder on the way that exists must be one: name the file in the way.
        var ancestor = url.deletingLastPathComponent()
        while ancestor.path != "/", !ancestor.path.isEmpty {
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { return FileError(message: "cannot write \(path): \(ancestor.path) is a file, not a directory") }
                break
            }
            ancestor = ancestor.deletingLastPathComponent()
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
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

    static var home: String { environment("HOME") ?? NSHomeDirectory() }

    static var historyPath: String { environment("SAGALAB_HISTORY") ?? home + "/.sagalab_history" }
    static var progressPath: String { environment("SAGALAB_PROGRESS") ?? home + "/.sagalab/progress" }
}

struct FileError: Error {
    var message: String
}

/// Standard error, for the lines that are not the session's output.
enum StandardError {
    static func print(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
