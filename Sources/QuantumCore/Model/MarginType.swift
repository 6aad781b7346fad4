/// Margin mode of a symbol's position.
public enum MarginType: String, Hashable, Sendable, CaseIterable {
    case cross = "CROSSED"
    case isolated = "ISOLATED"
}

extension MarginType {
    /// Parses Binance's spellings: `CROSSED`/`ISOLATED` (configuration) and `cross`/`isolated` (positions).
    public init?(binance text: String) {
        switch text.lowercased() {
        case "crossed", "cross": self = .cross
        case "isolated": self = .isolated
        default: return nil
        }
    }
}
