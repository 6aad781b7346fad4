import QuantumCore

/// A symbol's leverage and margin type on the account (`GET /fapi/v1/symbolConfig`, `POST /fapi/v1/leverage`).
public struct SymbolConfiguration: Hashable, Sendable {
    public var symbol: Symbol
    public var leverage: Leverage
    /// `nil` in a `POST /fapi/v1/leverage` reply, which does not say.
    public var marginType: MarginType?
    /// The largest position notional the leverage allows.
    public var maxNotional: Notional

    public init(symbol: Symbol, leverage: Leverage, marginType: MarginType?, maxNotional: Notional) {
        self.symbol = symbol
        self.leverage = leverage
        self.marginType = marginType
        self.maxNotional = maxNotional
    }
}

extension SymbolConfiguration {
    /// Decodes a symbolConfig row or a leverage reply.
    public init(binance json: JSONValue) throws(WireDecodingError) {
        guard let leverage = try json.optionalLeverage("leverage") else {
            throw WireDecodingError(field: "leverage", message: "missing")
        }
        self.init(symbol: try json.symbol("symbol"), leverage: leverage, marginType: try json.optionalMarginType("marginType"),
                  maxNotional: try json.valuation("maxNotionalValue"))
    }
}
