import QuantumCore

/// A symbol's whole leverage schedule: its tiers in order, and the lookups the exchange needs.
///
/// Tier n covers position notionals in `(floor_n, cap_n]` (tier 1 from 0): a position exactly at a
/// cap may still use that tier's leverage, matching Binance's check that the position notional
/// stays within `maxNotionalValue` (error -2027). Notionals are taken by magnitude, so a short's
/// negative notional looks up like a long's.
public struct LeverageBrackets: Hashable, Sendable {
    public let symbol: Symbol
    /// The tiers, tier 1 first.
    public let brackets: [LeverageBracket]

    /// Checks that the tiers form one schedule: numbered 1…n, tier 1 starting at 0, each starting at
    /// the previous cap and ending above its floor, leverage not rising and rates not falling.
    public init(symbol: Symbol, brackets: [LeverageBracket]) throws(LeverageBracketError) {
        func fail(_ index: Int, _ field: String, _ detail: String) -> LeverageBracketError {
            LeverageBracketError(.inconsistentBrackets, symbol: symbol.rawValue, field: "brackets[\(index)].\(field)", detail)
        }
        guard !brackets.isEmpty else {
            throw LeverageBracketError(.inconsistentBrackets, symbol: symbol.rawValue, field: "brackets", "no brackets")
        }
        for (index, tier) in brackets.enumerated() {
            if tier.bracket != index + 1 { throw fail(index, "bracket", "is \(tier.bracket), expected \(index + 1)") }
            if tier.notionalCap <= tier.notionalFloor {
                throw fail(index, "notionalCap", "\(tier.notionalCap) is not above the floor \(tier.notionalFloor)")
            }
            if !tier.maintMarginRatio.isPositive || tier.maintMarginRatio.units > Ratio.one {
                throw fail(index, "maintMarginRatio", "\(tier.maintMarginRatio) is outside (0, 1]")
            }
            if tier.cum.isNegative { throw fail(index, "cum", "\(tier.cum) is negative") }
            guard index > 0 else {
                if !tier.notionalFloor.isZero { throw fail(index, "notionalFloor", "tier 1 starts at \(tier.notionalFloor), not 0") }
                continue
            }
            let previous = brackets[index - 1]
            if tier.notionalFloor != previous.notionalCap {
                throw fail(index, "notionalFloor", "\(tier.notionalFloor) is not the previous cap \(previous.notionalCap)")
            }
            if tier.initialLeverage > previous.initialLeverage {
                throw fail(index, "initialLeverage", "\(tier.initialLeverage) is above the previous tier's \(previous.initialLeverage)")
            }
            if tier.maintMarginRatio < previous.maintMarginRatio {
                throw fail(index, "maintMarginRatio", "\(tier.maintMarginRatio) is below the previous tier's \(previous.maintMarginRatio)")
            }
        }
        self.symbol = symbol
        self.brackets = brackets
    }

    /// The symbol's highest leverage (tier 1's); Binance refuses a higher one (-4028).
    public var maxLeverage: Leverage { brackets[0].initialLeverage }

    /// The largest notional the schedule covers (the last cap).
    public var maxNotional: Notional { brackets[brackets.count - 1].notionalCap }

    /// The tier of a position notional; `nil` beyond the last cap.
    public func bracket(forNotional notional: Notional) -> LeverageBracket? {
        let size = Self.size(notional)
        return brackets.first { size <= $0.notionalCap }
    }

    /// The highest leverage a position of this notional may use; `nil` beyond the last cap.
    public func maxLeverage(forNotional notional: Notional) -> Leverage? {
        bracket(forNotional: notional)?.initialLeverage
    }

    /// The largest position notional allowed at `leverage` (Binance's `maxNotionalValue`, the -2027
    /// check): the cap of the last tier whose leverage is at least `leverage`; `nil` when the leverage
    /// is above the symbol's maximum.
    public func maxNotional(at leverage: Leverage) -> Notional? {
        brackets.last { $0.initialLeverage >= leverage }?.notionalCap
    }

    /// Maintenance margin of a position notional: `|notional| × mmr − cum` of its tier, rounded up.
    ///
    /// A position grown past the last cap (by price moves) keeps the last tier's rate.
    public func maintenanceMargin(forNotional notional: Notional) throws(MoneyError) -> Notional {
        let tier = bracket(forNotional: notional) ?? brackets[brackets.count - 1]
        return try tier.maintenanceMargin(forNotional: notional)
    }

    private static func size(_ notional: Notional) -> Notional {
        notional.isNegative ? Notional(units: notional.units == .min ? .max : -notional.units) : notional
    }
}
