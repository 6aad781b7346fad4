import QuantumCore

extension SimulatedExchange {
    /// Uses Binance's leverage brackets: the maximum leverage per symbol (-4028), the maximum position at
    /// a leverage (-2027) and tiered maintenance margin (`notional × rate − cum`) for liquidation.
    ///
    /// Symbols without brackets keep no cap and the default maintenance rate.
    public mutating func useLeverageBrackets(_ table: LeverageBracketTable) {
        let fallback = configuration.defaultMaintenanceRate
        maxLeverage = { symbol in table[symbol]?.maxLeverage }
        // Above the symbol's maximum leverage no position is allowed at all (zero), unlike "no brackets" (nil).
        maxNotional = { symbol, leverage in table[symbol].map { $0.maxNotional(at: leverage) ?? .zero } }
        maintenanceMargin = { symbol, notional in
            if let brackets = table[symbol], let margin = try? brackets.maintenanceMargin(forNotional: notional) { return margin }
            return (try? notional.fraction(fallback, rounding: .up)) ?? notional
        }
    }
}
