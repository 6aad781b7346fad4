/// A Binance USDⓈ-M symbol such as `BTCUSDT`.
///
/// Binance lists symbols outside `^[A-Z]{3,10}USDT$` (`1000CHEEMSUSDT`, `币安人生USDT`), so any
/// non-empty text of at most 32 characters without whitespace, control characters or separators
/// (`:`, `|`, `,`) is accepted; anything else is refused.
public struct Symbol: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let rawValue: String

    public init?(rawValue: String) {
        guard !rawValue.isEmpty, rawValue.count <= 32,
              rawValue.unicodeScalars.allSatisfy({ scalar in
                  !scalar.properties.isWhitespace && scalar.value >= 0x21 && scalar.value != 0x7F
                      && !":|,".unicodeScalars.contains(scalar)
              })
        else { return nil }
        self.rawValue = rawValue
    }

    /// A symbol from a literal known to be valid (tests, defaults); traps on an invalid literal.
    public init(_ literal: StaticString) {
        guard let symbol = Symbol(rawValue: "\(literal)") else { preconditionFailure("invalid symbol literal \(literal)") }
        self = symbol
    }

    public static func < (lhs: Symbol, rhs: Symbol) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let symbol = Symbol(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid symbol '\(text)'"))
        }
        self = symbol
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
