import SagaLab

/// The lessons that ship with the lab, carried inside the binary.
///
/// They live in `lessons/` at the top of the repository as Markdown a teacher writes
/// (chapter 15); SwiftPM embeds those very files here at build time, and they are read
/// the first time a lesson is asked for. A lesson's number is the one its file name
/// carries (`lesson-03-...md` is lesson 3). Adding one means adding its file and one line
/// below (a test fails if a file in `lessons/` is missing here).
public enum LessonCatalog {
    static let files: [(name: String, bytes: [UInt8])] = [
        ("lesson-01-dual-write.md", PackageResources.lesson_01_dual_write_md),
        ("lesson-02-outbox-publisher.md", PackageResources.lesson_02_outbox_publisher_md),
        ("lesson-03-idempotent-consumers.md", PackageResources.lesson_03_idempotent_consumers_md),
        ("lesson-04-compensation.md", PackageResources.lesson_04_compensation_md),
        ("lesson-05-saga-state.md", PackageResources.lesson_05_saga_state_md),
        ("lesson-06-streaming-analytics.md", PackageResources.lesson_06_streaming_analytics_md),
        ("lesson-07-failure-at-scale.md", PackageResources.lesson_07_failure_at_scale_md),
        ("lesson-08-orchestration.md", PackageResources.lesson_08_orchestration_md),
        ("lesson-09-retries-and-dead-letters.md", PackageResources.lesson_09_retries_and_dead_letters_md),
        ("lesson-10-idempotency-keys.md", PackageResources.lesson_10_idempotency_keys_md),
        ("lesson-11-handler-race.md", PackageResources.lesson_11_handler_race_md),
        ("lesson-12-undo-arrives-first.md", PackageResources.lesson_12_undo_arrives_first_md),
        ("lesson-13-minimal-schedules.md", PackageResources.lesson_13_minimal_schedules_md),
        ("lesson-14-rebuild-a-projection.md", PackageResources.lesson_14_rebuild_a_projection_md),
        ("lesson-15-time-travel.md", PackageResources.lesson_15_time_travel_md),
        ("lesson-16-kafka-shop.md", PackageResources.lesson_16_kafka_shop_md),
        ("lesson-17-to-the-bridge.md", PackageResources.lesson_17_to_the_bridge_md),
    ]

    /// The file names embedded, for the test that compares them with `lessons/`.
    public static var fileNames: [String] { files.map(\.name) }

    /// Each embedded file read as a lesson, or the error that stops it (a test requires none).
    public static let parsed: [Result<Lesson, LessonFormatError>] = files.map(read)

    /// Every lesson that reads, in number order.
    public static let all: [Lesson] = parsed.compactMap { try? $0.get() }

    /// A lesson by number, reading only its own file: playing one lesson (`sagalab run
    /// lesson-N`) need not parse the other sixteen.
    public static func lesson(_ number: Int) -> Lesson? {
        files.first { self.number(of: $0.name) == number }.flatMap { try? read($0).get() }
    }

    /// The lesson after this one, if any: the next file in number order that reads.
    static func after(_ lesson: Lesson) -> Lesson? {
        guard let number = lesson.number else { return nil }
        for file in files where (self.number(of: file.name) ?? 0) > number {
            if let next = try? read(file).get() { return next }
        }
        return nil
    }

    /// The number a lesson file's name carries: 3 for `lesson-03-...md`.
    static func number(of name: String) -> Int? { Int(name.dropFirst("lesson-".count).prefix(while: \.isNumber)) }

    static func read(_ file: (name: String, bytes: [UInt8])) -> Result<Lesson, LessonFormatError> {
        Result { try LessonFile.parse(String(decoding: file.bytes, as: UTF8.self), source: "lessons/\(file.name)", number: number(of: file.name)) }
            .mapError { $0 as? LessonFormatError ?? LessonFormatError(file: file.name, line: 1, message: "\($0)") }
    }
}
