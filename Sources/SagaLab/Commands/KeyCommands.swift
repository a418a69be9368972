/// Parsing and completion of idempotency keys: the `key=K` word of `order` and
/// `pattern key-validation on|off`.
extension CommandParser {
    /// Splits the words after the customer into the `key=K` word, if any, and the items.
    static func orderKey(_ words: [String], usage: (String) -> WorldError) throws -> (key: String?, items: [String]) {
        let keyWords = words.filter(isKeyWord)
        guard keyWords.count <= 1 else {
            throw usage("key= appears \(keyWords.count) times; give one key")
        }
        guard let word = keyWords.first else { return (nil, words) }
        let key = String(word.dropFirst("key=".count))
        guard (1...64).contains(key.count), key.allSatisfy(isKeyCharacter) else {
            throw usage(key.isEmpty
                ? "key= needs a key: 1 to 64 letters, digits or - _ . :"
                : "idempotency keys are 1 to 64 letters, digits or - _ . :; not \(quoted(key))")
        }
        return (key, words.filter { !isKeyWord($0) })
    }

    static func isKeyWord(_ word: String) -> Bool { word.lowercased().hasPrefix("key=") }

    static func isKeyCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "-_.:".contains(c))
    }

    /// `pattern key-validation on|off`: the orders API's switch, with no SERVICE.
    static func keyValidation(_ args: [String], usage: (String) -> WorldError) throws -> Command {
        guard args.count == 2 else {
            throw usage(args.count < 2 ? "pattern key-validation needs on or off" : "key-validation belongs to the orders API alone; unexpected \(quoted(args[2]))")
        }
        switch args[1].lowercased() {
        case "on": return .keyValidation(true)
        case "off": return .keyValidation(false)
        default: throw usage("key-validation is on or off, not \(quoted(args[1]))")
        }
    }
}

extension Completion {
    /// After `order CUSTOMER`: `key=` and the keys already in the table, until a key is given.
    static func orderKeyWords(_ args: [String], _ world: World) -> [String] {
        guard !args.dropFirst().contains(where: CommandParser.isKeyWord) else { return [] }
        return ["key="] + world.orders.idempotency.records.map { "key=\($0.key)" }
    }
}
