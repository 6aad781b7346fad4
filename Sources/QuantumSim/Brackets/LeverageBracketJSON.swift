import Foundation
import QuantumCore

/// The raw shape of `GET /fapi/v1/leverageBracket`, read without losing decimals or failing early,
/// so that validation can name the symbol and field at fault.
enum LeverageBracketJSON {
    /// A JSON scalar kept exactly: numbers through `Decimal` (parsed from the literal's digits, not a `Double`).
    enum Scalar: Decodable {
        case number(Decimal)
        case string(String)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Decimal.self) {
                self = .number(number)
            } else if let text = try? container.decode(String.self) {
                self = .string(text)
            } else {
                self = .other
            }
        }

        /// The value as plain decimal text (`Decimal` never writes an exponent).
        var text: String? {
            switch self {
            case .number(let value): return value.isFinite ? "\(value)" : nil
            case .string(let text): return text
            case .other: return nil
            }
        }
    }

    /// One symbol's entry: `{"symbol": …, "brackets": [...]}`; other keys (`notionalCoef`) are ignored.
    struct Entry: Decodable {
        var symbol: String?
        var brackets: [Tier]?

        enum CodingKeys: String, CodingKey { case symbol, brackets }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            symbol = try? container.decode(String.self, forKey: .symbol)
            brackets = try? container.decode([Tier].self, forKey: .brackets)
        }
    }

    /// One tier with every field optional, checked afterwards.
    struct Tier: Decodable {
        var bracket: Scalar?
        var initialLeverage: Scalar?
        var notionalCap: Scalar?
        var notionalFloor: Scalar?
        var maintMarginRatio: Scalar?
        var cum: Scalar?
    }

    /// The entries of a document: an array of entries, or one entry (the single-symbol answer).
    static func entries(_ data: Data) throws(LeverageBracketError) -> [Entry] {
        if let list = try? JSONDecoder().decode([Entry].self, from: data) { return list }
        if let single = try? JSONDecoder().decode(Entry.self, from: data), single.symbol != nil { return [single] }
        throw LeverageBracketError(.malformedDocument, symbol: nil, field: nil,
                                   "not a leverageBracket document (an array of {\"symbol\", \"brackets\"})")
    }

    /// A checked tier of `symbol` at `index`.
    static func tier(_ raw: Tier, index: Int, symbol: String) throws(LeverageBracketError) -> LeverageBracket {
        func invalid(_ field: String, _ detail: String) -> LeverageBracketError {
            LeverageBracketError(.invalidField, symbol: symbol, field: "brackets[\(index)].\(field)", detail)
        }
        func text(_ value: Scalar?, _ field: String) throws(LeverageBracketError) -> String {
            guard let value else { throw invalid(field, "missing") }
            guard let text = value.text else { throw invalid(field, "not a number") }
            return text
        }
        func integer(_ value: Scalar?, _ field: String) throws(LeverageBracketError) -> Int {
            let raw = try text(value, field)
            guard let number = Int(raw) else { throw invalid(field, "'\(raw)' is not a whole number") }
            return number
        }
        func amount<U>(_ value: Scalar?, _ field: String, uncappedOnOverflow: Bool = false) throws(LeverageBracketError) -> FixedPoint<U> {
            let raw = try text(value, field)
            do {
                return try FixedPoint<U>(parsing: raw)
            } catch where error.code == .overflow && uncappedOnOverflow && !raw.hasPrefix("-") {
                return FixedPoint<U>(units: .max)  // Binance's "no cap" sentinel, 2⁶³ − 1
            } catch {
                throw invalid(field, error.message)
            }
        }
        let leverageValue = try integer(raw.initialLeverage, "initialLeverage")
        guard let leverage = Leverage(rawValue: leverageValue) else { throw invalid("initialLeverage", "\(leverageValue) is outside 1…125") }
        let floor: Notional = try amount(raw.notionalFloor, "notionalFloor")
        if floor.isNegative { throw invalid("notionalFloor", "\(floor) is negative") }
        return LeverageBracket(
            bracket: try integer(raw.bracket, "bracket"),
            initialLeverage: leverage,
            notionalCap: try amount(raw.notionalCap, "notionalCap", uncappedOnOverflow: true),
            notionalFloor: floor,
            maintMarginRatio: try amount(raw.maintMarginRatio, "maintMarginRatio"),
            cum: try amount(raw.cum, "cum"))
    }
}
