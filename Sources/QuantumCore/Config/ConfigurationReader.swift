/// Reads typed, range-checked values out of a TOML document and refuses every key nobody read.
///
/// Each getter marks its key as known; `finish()` then reports the first entry no getter asked for (a typo such as
/// `fats = 20`), listing the keys its table allows. Every error names the file, line, key, value and what is allowed.
public struct ConfigurationReader: Sendable {
    public let document: TOMLDocument
    private var known: [String: [String]] = [:]
    private var read: Set<String> = []

    public init(_ document: TOMLDocument) {
        self.document = document
    }

    /// The file's name, for messages.
    public var file: String { document.file }

    /// The value of `key`, marking it known in its table.
    mutating func value(_ key: String) -> TOMLEntry? {
        let table = key.split(separator: ".").dropLast().joined(separator: ".")
        known[table, default: []].append(String(key.split(separator: ".").last ?? ""))
        read.insert(key)
        return document.entry(key)
    }

    /// A whole number in `range`.
    public mutating func integer(_ key: String, in range: ClosedRange<Int64>) throws(ConfigurationError) -> Int64? {
        guard let entry = value(key) else { return nil }
        guard case .integer(let number) = entry.value else { throw wrongType(entry, expected: "an integer") }
        guard range.contains(number) else { throw outOfRange(entry, allowed: "\(range.lowerBound)…\(range.upperBound)") }
        return number
    }

    /// A number (integer or float) in `range`.
    public mutating func number(_ key: String, in range: ClosedRange<Double>) throws(ConfigurationError) -> Double? {
        guard let entry = value(key) else { return nil }
        let number: Double
        switch entry.value {
        case .integer(let whole): number = Double(whole)
        case .float(let fraction): number = fraction
        default: throw wrongType(entry, expected: "a number")
        }
        guard range.contains(number) else { throw outOfRange(entry, allowed: "\(range.lowerBound)…\(range.upperBound)") }
        return number
    }

    /// A boolean (`true` or `false`).
    public mutating func boolean(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let entry = value(key) else { return nil }
        guard case .boolean(let flag) = entry.value else { throw wrongType(entry, expected: "true or false") }
        return flag
    }

    /// A string, one of `allowed` when given.
    public mutating func string(_ key: String, allowed: [String]? = nil) throws(ConfigurationError) -> String? {
        guard let entry = value(key) else { return nil }
        guard case .string(let text) = entry.value else { throw wrongType(entry, expected: "a string") }
        if let allowed, !allowed.contains(text) { throw outOfRange(entry, allowed: allowed.map { "\"\($0)\"" }.joined(separator: ", ")) }
        return text
    }

    /// An exact decimal (`"0.001"`, `1000`, or `0.0005`) strictly above `minimum` and at most `maximum`.
    ///
    /// Strings are exact; a TOML float is read from its shortest decimal form, which is the text written for any
    /// decimal of up to 15 significant digits.
    public mutating func decimal<Unit>(
        _ key: String, above minimum: FixedPoint<Unit>, atMost maximum: FixedPoint<Unit>
    ) throws(ConfigurationError) -> FixedPoint<Unit>? {
        guard let entry = value(key) else { return nil }
        let text: String
        switch entry.value {
        case .string(let string): text = string
        case .integer(let whole): text = String(whole)
        case .float(let fraction): text = "\(fraction)"
        default: throw wrongType(entry, expected: "a decimal number (\"0.001\")")
        }
        let amount: FixedPoint<Unit>
        do { amount = try FixedPoint<Unit>(parsing: text) } catch {
            throw ConfigurationError(.wrongType, file: file, line: entry.line, key: entry.key,
                                     "\(entry.key) = \(entry.value) is not an exact decimal of at most 8 places (\(error.message))")
        }
        guard amount > minimum, amount <= maximum else {
            throw outOfRange(entry, allowed: "above \(minimum) and at most \(maximum)")
        }
        return amount
    }

    /// The names of the sub-tables of `table` (`symbols` → `BTCUSDT`, `ETHUSDT`), in file order.
    public func subtables(of table: String) -> [(name: String, line: Int)] {
        var seen: [(String, Int)] = []
        for entry in document.entries(under: table) {
            let rest = entry.key.dropFirst(table.count + 1)
            let parts = rest.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, !seen.contains(where: { $0.0 == parts[0] }) else { continue }
            seen.append((parts[0], entry.line))
        }
        return seen
    }

    /// Refuses the first entry no getter read, and any table not in `tables` (sub-tables of those included).
    public func finish(tables: Set<String>) throws(ConfigurationError) {
        for table in document.tables {
            let top = String(table.name.split(separator: ".").first ?? "")
            guard tables.contains(top) else {
                throw ConfigurationError(.unknownKey, file: file, line: table.line, key: table.name,
                                         "unknown table [\(table.name)]; allowed: " + tables.sorted().map { "[\($0)]" }.joined(separator: ", "))
            }
        }
        for entry in document.entries where !read.contains(entry.key) {
            let table = entry.key.split(separator: ".").dropLast().joined(separator: ".")
            let allowed = (known[table] ?? []).uniqued().joined(separator: ", ")
            throw ConfigurationError(.unknownKey, file: file, line: entry.line, key: entry.key,
                                     "unknown key \(entry.key) = \(entry.value)" + (allowed.isEmpty ? "" : "; allowed here: \(allowed)"))
        }
    }

    func wrongType(_ entry: TOMLEntry, expected: String) -> ConfigurationError {
        ConfigurationError(.wrongType, file: file, line: entry.line, key: entry.key,
                           "\(entry.key) = \(entry.value) is \(entry.value.typeName == "integer" ? "an" : "a") \(entry.value.typeName); expected \(expected)")
    }

    func outOfRange(_ entry: TOMLEntry, allowed: String) -> ConfigurationError {
        ConfigurationError(.outOfRange, file: file, line: entry.line, key: entry.key, "\(entry.key) = \(entry.value) is not allowed; allowed: \(allowed)")
    }
}

extension Array where Element: Hashable {
    /// The elements without repeats, first occurrence kept.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
