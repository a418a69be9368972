import SagaLab

/// One handbook chapter: its number, file name, title and Markdown text.
public struct Chapter: Sendable, Equatable {
    public var number: Int
    /// The file name without `.md`, e.g. `02-transactional-outbox`.
    public var slug: String
    public var title: String
    public var markdown: String
}

/// The handbook, carried inside the binary.
///
/// The chapters live in `handbook/` at the top of the repository, readable on their own;
/// SwiftPM embeds those very files into this module at build time, so the installed
/// `sagalab` works from any directory. The text is decoded the first time a chapter is
/// asked for, never at start-up. Adding a chapter means adding its file and one line below
/// (a test fails if a file in `handbook/` is missing here).
public enum Handbook {
    static let files: [(name: String, bytes: [UInt8])] = [
        ("00-using-the-lab.md", PackageResources._0_using_the_lab_md),
        ("01-the-dual-write.md", PackageResources._1_the_dual_write_md),
        ("02-transactional-outbox.md", PackageResources._2_transactional_outbox_md),
        ("03-idempotent-consumers.md", PackageResources._3_idempotent_consumers_md),
        ("04-compensation.md", PackageResources._4_compensation_md),
        ("05-saga-state.md", PackageResources._5_saga_state_md),
        ("06-streaming-analytics.md", PackageResources._6_streaming_analytics_md),
        ("07-failure-at-scale.md", PackageResources._7_failure_at_scale_md),
        ("08-choreography-versus-orchestration.md", PackageResources._8_choreography_versus_orchestration_md),
        ("09-retries-and-dead-letters.md", PackageResources._9_retries_and_dead_letters_md),
        ("10-api-idempotency-keys.md", PackageResources._0_api_idempotency_keys_md),
        ("11-races-and-exploring.md", PackageResources._1_races_and_exploring_md),
        ("12-event-store-and-replay.md", PackageResources._2_event_store_and_replay_md),
        ("13-time-travel.md", PackageResources._3_time_travel_md),
        ("14-pictures-of-a-run.md", PackageResources._4_pictures_of_a_run_md),
        ("15-writing-a-lesson.md", PackageResources._5_writing_a_lesson_md),
        ("16-the-bridge.md", PackageResources._6_the_bridge_md),
    ]

    /// Every chapter in number order; a chapter's number is the one its file name starts with.
    public static let chapters: [Chapter] = files.enumerated().map { index, file in
        let text = String(decoding: file.bytes, as: UTF8.self)
        let slug = String(file.name.dropLast(3))
        let number = Int(slug.prefix(while: \.isNumber)) ?? index
        let heading = firstHeading(text).map { String($0.dropFirst(2)) } ?? slug
        let title = heading.hasPrefix("\(number). ") ? String(heading.dropFirst("\(number). ".count)) : heading
        return Chapter(number: number, slug: slug, title: title, markdown: text)
    }

    /// The first line that starts with `# `, found without splitting the whole chapter into lines.
    static func firstHeading(_ text: String) -> Substring? {
        var rest = text[...]
        while !rest.isEmpty {
            let end = rest.firstIndex(of: "\n") ?? rest.endIndex
            if rest[..<end].hasPrefix("# ") { return rest[..<end] }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        return nil
    }

    /// The file names embedded, for the test that compares them with `handbook/`.
    public static var fileNames: [String] { files.map(\.name) }

    /// A chapter by number (`2`), slug (`02-transactional-outbox`) or a word of its title or slug (`outbox`).
    public static func find(_ query: String) -> Chapter? {
        let q = query.lowercased()
        if let n = Int(q) { return chapters.first { $0.number == n } }
        if let exact = chapters.first(where: { $0.slug == q }) { return exact }
        return chapters.first { $0.slug.contains(q) || $0.title.lowercased().contains(q) }
    }

    /// Short names for completion: the slug without its number.
    public static var topics: [String] {
        chapters.map { String($0.slug.drop(while: { $0.isNumber || $0 == "-" })) }
    }

    /// Every word of every topic, for near-miss suggestions (`outbx` → `outbox`).
    public static var topicWords: [String] {
        topics + topics.flatMap { $0.split(separator: "-").map(String.init) }.filter { $0.count > 3 }
    }

    /// The list `chapter` prints without an argument.
    public static func contents(style: Style) -> String {
        var lines = [style.paint("The SagaLab handbook", .bold)]
        for chapter in chapters {
            lines.append("  \(chapter.number). \(chapter.title)")
        }
        lines.append("`chapter N` or `chapter TOPIC` (e.g. `chapter outbox`) reads one.")
        return lines.joined(separator: "\n")
    }
}
