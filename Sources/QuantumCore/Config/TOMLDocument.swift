import Foundation

/// One `key = value` of a TOML file, with its full dotted key and the line it is on.
public struct TOMLEntry: Hashable, Sendable {
    /// The full dotted path, `symbols.BTCUSDT.step`; a part that is not a bare key is quoted: `a."b c"`.
    public var key: String
    /// The value.
    public var value: TOMLValue
    /// The 1-based line of the key.
    public var line: Int

    /// An entry of `key` with `value` on `line`.
    public init(key: String, value: TOMLValue, line: Int) {
        self.key = key
        self.value = value
        self.line = line
    }
}

/// One `[table]` header of a TOML file, with its full dotted name and the line it is on.
public struct TOMLTable: Hashable, Sendable {
    /// The full dotted name, `symbols.XRPUSDT`, written as entry keys are.
    public var name: String
    /// The 1-based line of the header.
    public var line: Int

    /// A table `name` whose header is on `line`.
    public init(name: String, line: Int) {
        self.name = name
        self.line = line
    }
}

/// A TOML file of the supported subset, read strictly: its entries flattened to dotted keys, in file order.
///
/// The subset: comments, `[table]` headers, bare/quoted/dotted keys, single-line basic and literal strings, decimal
/// integers, finite floats, booleans, arrays and one-line inline tables (flattened into dotted entries). Arrays of
/// tables, multi-line strings, dates and times, and hex/octal/binary integers are refused as `unsupported`.
public struct TOMLDocument: Hashable, Sendable {
    /// The name of the file, used in errors.
    public let file: String
    /// Every `key = value`, in file order; inline tables are flattened into one entry per value.
    public let entries: [TOMLEntry]
    /// Every `[table]` header, in file order, for refusing unknown tables.
    public let tables: [TOMLTable]

    /// Reads `text` as TOML, naming it `file` in errors.
    public static func parse(_ text: String, file: String) throws(TOMLError) -> TOMLDocument {
        var reader = TOMLReader(scanner: TOMLScanner(text: text, file: file))
        try reader.read()
        return TOMLDocument(file: file, entries: reader.entries, tables: reader.tables)
    }

    /// Reads the TOML file at `path`, naming it by that path in errors.
    public static func load(path: String) throws(TOMLError) -> TOMLDocument {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TOMLError(.unreadable, file: path, line: 0, "cannot read the file: \(error.localizedDescription)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw TOMLError(.unreadable, file: path, line: 0, "the file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// The entry of the full dotted `key`, if the file has it.
    public func entry(_ key: String) -> TOMLEntry? {
        entries.first { $0.key == key }
    }

    /// The entries whose keys start with `prefix.`, in file order.
    public func entries(under prefix: String) -> [TOMLEntry] {
        entries.filter { $0.key.hasPrefix(prefix + ".") }
    }

    /// Key parts joined by dots, each bare when it can be and quoted otherwise: `symbols.BTCUSDT`, `a."b c"`.
    static func name(_ parts: some Sequence<String>) -> String {
        parts.map { part in
            !part.isEmpty && part.utf8.allSatisfy(TOMLByte.isBare) ? part : TOMLValue.quoted(part)
        }.joined(separator: ".")
    }
}

/// Reads a file line by line into entries and tables, refusing keys and tables defined twice.
struct TOMLReader {
    /// What a dotted name is, which decides whether a later header or dotted key may add to it.
    enum Kind {
        /// A key with a value.
        case value
        /// A table defined by its own `[header]`.
        case header
        /// A table named only as the prefix of a header (`a` of `[a.b]`); a later `[a]` may still define it.
        case implicit
        /// A table made by a dotted key (`a` of `a.b = 1`); later dotted keys of the same table may add to it.
        case dotted
        /// An inline table or a table inside one: closed once written.
        case inline
    }

    var scanner: TOMLScanner
    var entries: [TOMLEntry] = []
    var tables: [TOMLTable] = []
    private var defined: [String: (kind: Kind, line: Int)] = [:]
    private var table: [String] = []

    init(scanner: TOMLScanner) { self.scanner = scanner }

    mutating func read() throws(TOMLError) {
        while true {
            scanner.skipSpaces()
            try scanner.skipComment()
            if scanner.current == nil { return }
            if scanner.consumeNewline() { continue }
            if scanner.current == TOMLByte.openBracket { try header() } else { try keyValue() }
        }
    }

    private mutating func header() throws(TOMLError) {
        let line = scanner.line
        scanner.advance()
        guard scanner.current != TOMLByte.openBracket else { throw scanner.error(.unsupported, "arrays of tables ([[...]]) are not supported") }
        scanner.skipSpaces()
        let path = try scanner.key()
        scanner.skipSpaces()
        guard scanner.current == TOMLByte.closeBracket else {
            throw scanner.error(.syntax, "expected ']' to close the table header, found \(scanner.describe(scanner.current))")
        }
        scanner.advance()
        try scanner.endLine(after: "the table header")
        for end in 0..<(path.count - 1) {
            let name = TOMLDocument.name(path[...end])
            switch defined[name] {
            case nil: defined[name] = (.implicit, line)
            case let node? where node.kind == .value:
                throw scanner.error(.duplicateKey, "key '\(name)' is already a value (line \(node.line))", line: line)
            case let node? where node.kind == .inline:
                throw scanner.error(.duplicateKey, "table '\(name)' is an inline table (line \(node.line)) and cannot be extended", line: line)
            default: continue
            }
        }
        let name = TOMLDocument.name(path)
        switch defined[name] {
        case nil, (.implicit, _)?: break
        case (.value, let first)?: throw scanner.error(.duplicateKey, "key '\(name)' is already a value (line \(first))", line: line)
        case (_, let first)?: throw scanner.error(.duplicateKey, "table [\(name)] is defined twice (first on line \(first))", line: line)
        }
        defined[name] = (.header, line)
        tables.append(TOMLTable(name: name, line: line))
        table = path
    }

    private mutating func keyValue() throws(TOMLError) {
        let line = scanner.line
        let key = table + (try scanner.key())
        scanner.skipSpaces()
        guard scanner.current == TOMLByte.equals else {
            throw scanner.error(.syntax, "expected '=' after the key '\(TOMLDocument.name(key))', found \(scanner.describe(scanner.current))")
        }
        scanner.advance()
        scanner.skipSpaces()
        guard scanner.current == TOMLByte.openBrace else {
            let value = try scanner.value(depth: 0)
            try scanner.endLine(after: "the value")
            try define(key, value: value, opening: table.count, as: .dotted, line: line)
            return
        }
        let inline = try scanner.inlineTable(depth: 1)
        try scanner.endLine(after: "the inline table")
        try define(key, value: nil, opening: table.count, as: .dotted, line: line)
        for item in inline {
            try define(key + item.key, value: item.value, opening: key.count, as: .inline, line: item.line)
        }
    }

    /// Defines `path` as a value (or, for `nil`, an inline table), first passing through the tables from
    /// `path[..<opening]` on, which must be new or made the same way (`kind`).
    private mutating func define(_ path: [String], value: TOMLValue?, opening: Int, as kind: Kind, line: Int) throws(TOMLError) {
        for end in stride(from: opening, to: path.count - 1, by: 1) {
            let name = TOMLDocument.name(path[...end])
            guard let node = defined[name] else {
                defined[name] = (kind, line)
                continue
            }
            guard node.kind != kind else { continue }
            let detail = node.kind == .value
                ? "key '\(name)' is already a value (line \(node.line))"
                : "table '\(name)' (line \(node.line)) cannot be extended with dotted keys here"
            throw scanner.error(.duplicateKey, detail, line: line)
        }
        let name = TOMLDocument.name(path)
        if let node = defined[name] {
            let detail = node.kind == .value ? "duplicate key '\(name)'" : "key '\(name)' is already a table"
            throw scanner.error(.duplicateKey, "\(detail) (first on line \(node.line))", line: line)
        }
        if let value {
            defined[name] = (.value, line)
            entries.append(TOMLEntry(key: name, value: value, line: line))
        } else {
            defined[name] = (.inline, line)
        }
    }
}
