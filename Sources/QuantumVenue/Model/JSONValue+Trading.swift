import QuantumCore

/// Reads of trading fields whose spelling varies between Binance endpoints.
extension JSONValue {
    /// A leverage sent as `"20"` (positionRisk) or `20` (symbolConfig, leverage replies); `nil` when absent.
    public func optionalLeverage(_ key: String) throws(WireDecodingError) -> Leverage? {
        guard let text = try optionalString(key) else { return nil }
        guard let value = Int(text).flatMap(Leverage.init(rawValue:)) else {
            throw WireDecodingError(field: key, message: "'\(text)' is not a leverage")
        }
        return value
    }

    /// A margin type spelled `CROSSED`/`ISOLATED` or `cross`/`isolated`; `nil` when absent.
    public func optionalMarginType(_ key: String) throws(WireDecodingError) -> MarginType? {
        guard let text = try optionalString(key) else { return nil }
        guard let value = MarginType(binance: text) else { throw WireDecodingError(field: key, message: "unknown value '\(text)'") }
        return value
    }
}
