import Foundation

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
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            return nil
        } catch {
            return FileError(message: "cannot write \(path): \(error.localizedDescription)")
        }
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
