import QuantumCore

/// A JSON document built in a fixed member order, the way Binance writes its replies.
///
/// Binance sends every decimal as a string and ids and times as numbers, and clients that parse
/// by position (klines arrays) or compare bodies care about order; a `Dictionary` would lose it,
/// and `JSONEncoder` would turn fixed-point values into floats. So replies are built from this.
public indirect enum JSONValue: Hashable, Sendable {
    case object([Member])
    case array([JSONValue])
    case string(String)
    case integer(Int64)
    /// A number written verbatim (leverage-bracket ratios, which Binance sends as JSON numbers).
    case number(String)
    case bool(Bool)
    case null

    /// One `"key": value` pair of an object.
    public struct Member: Hashable, Sendable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// A decimal as Binance sends it: a JSON string, `decimals` places (trailing zeros kept).
    public static func decimal<Unit>(_ value: FixedPoint<Unit>, decimals: Int = 8) -> JSONValue {
        .string(value.formatted(decimals: decimals))
    }

    /// A decimal as a JSON string with trailing zeros removed (`"0.001"`, `"100"`).
    public static func plain<Unit>(_ value: FixedPoint<Unit>) -> JSONValue {
        .string(value.description)
    }

    /// A time in ms as a JSON number.
    public static func time(_ time: EpochMillis) -> JSONValue { .integer(time.rawValue) }

    /// The member of an object with this key, if any.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The compact JSON text.
    public var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    /// The compact JSON text as UTF-8 bytes.
    public var bytes: [UInt8] { Array(text.utf8) }

    func write(into out: inout String) {
        switch self {
        case .object(let members):
            out.append("{")
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(",") }
                Self.writeString(member.key, into: &out)
                out.append(":")
                member.value.write(into: &out)
            }
            out.append("}")
        case .array(let values):
            out.append("[")
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(",") }
                value.write(into: &out)
            }
            out.append("]")
        case .string(let string): Self.writeString(string, into: &out)
        case .integer(let value): out.append(String(value))
        case .number(let text): out.append(text)
        case .bool(let value): out.append(value ? "true" : "false")
        case .null: out.append("null")
        }
    }

    static func writeString(_ string: String, into out: inout String) {
        out.append("\"")
        // Almost every string (symbols, numbers, ids) needs no escape: appended whole.
        if !string.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) {
            out.append(string)
            out.append("\"")
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// An object in the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { Member($0.0, $0.1) })
    }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
