import Foundation

/// Parses the `GET /fapi/v1/exchangeInfo` document into `SymbolRules`.
public enum ExchangeInfo {
    /// Rules of every symbol in the document, keyed by symbol.
    ///
    /// Throws `ExchangeInfoError` naming the symbol and filter field on any malformed value, never defaults.
    public static func parse(_ data: Data) throws -> [Symbol: SymbolRules] {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw ExchangeInfoError(symbol: nil, field: "document", message: "not an exchangeInfo document: \(error)")
        }
        var rules: [Symbol: SymbolRules] = [:]
        for entry in document.symbols {
            let parsed = try entry.rules()
            rules[parsed.symbol] = parsed
        }
        return rules
    }

    struct Document: Decodable {
        var symbols: [SymbolEntry]
    }

    struct SymbolEntry: Decodable {
        var symbol: String
        var status: String
        var pricePrecision: Int
        var quantityPrecision: Int
        var filters: [Filter]

        func rules() throws -> SymbolRules {
            guard let name = Symbol(rawValue: symbol) else {
                throw ExchangeInfoError(symbol: symbol, field: "symbol", message: "invalid symbol")
            }
            func filter(_ type: String) -> Filter? { filters.first { $0.filterType == type } }
            func required(_ type: String) throws -> Filter {
                guard let found = filter(type) else {
                    throw ExchangeInfoError(symbol: symbol, field: type, message: "filter missing")
                }
                return found
            }
            func value<U>(_ filter: Filter, _ key: KeyPath<Filter, String?>, _ field: String) throws -> FixedPoint<U> {
                guard let text = filter[keyPath: key] else {
                    throw ExchangeInfoError(symbol: symbol, field: "\(filter.filterType).\(field)", message: "missing")
                }
                do { return try FixedPoint<U>(parsing: text) } catch {
                    throw ExchangeInfoError(symbol: symbol, field: "\(filter.filterType).\(field)", message: "\(error)")
                }
            }
            func lot(_ filter: Filter) throws -> SymbolRules.LotRule {
                SymbolRules.LotRule(
                    minQuantity: try value(filter, \.minQty, "minQty"),
                    maxQuantity: try value(filter, \.maxQty, "maxQty"),
                    stepSize: try value(filter, \.stepSize, "stepSize"))
            }
            guard (0...8).contains(pricePrecision), (0...8).contains(quantityPrecision) else {
                throw ExchangeInfoError(symbol: symbol, field: "precision", message: "precision outside 0…8")
            }
            let priceFilter = try required("PRICE_FILTER")
            let lotFilter = try required("LOT_SIZE")
            let percent = filter("PERCENT_PRICE")
            return SymbolRules(
                symbol: name, status: status,
                pricePrecision: pricePrecision, quantityPrecision: quantityPrecision,
                tickSize: try value(priceFilter, \.tickSize, "tickSize"),
                minPrice: try value(priceFilter, \.minPrice, "minPrice"),
                maxPrice: try value(priceFilter, \.maxPrice, "maxPrice"),
                lot: try lot(lotFilter),
                marketLot: try filter("MARKET_LOT_SIZE").map(lot),
                minNotional: try filter("MIN_NOTIONAL").map { try value($0, \.notional, "notional") } ?? .zero,
                multiplierUp: try percent.map { try value($0, \.multiplierUp, "multiplierUp") },
                multiplierDown: try percent.map { try value($0, \.multiplierDown, "multiplierDown") })
        }
    }

    struct Filter: Decodable {
        var filterType: String
        var minPrice: String?
        var maxPrice: String?
        var tickSize: String?
        var minQty: String?
        var maxQty: String?
        var stepSize: String?
        var notional: String?
        var multiplierUp: String?
        var multiplierDown: String?
    }
}

/// A malformed exchangeInfo document, naming the symbol and field.
public struct ExchangeInfoError: Error, Hashable, Sendable, CustomStringConvertible {
    public var symbol: String?
    public var field: String
    public var message: String

    public var description: String { "exchangeInfo \(symbol ?? "-") \(field): \(message)" }
}
