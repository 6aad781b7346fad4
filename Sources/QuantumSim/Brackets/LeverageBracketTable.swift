import Foundation
import QuantumCore

/// Every symbol's leverage schedule, read from Binance's `GET /fapi/v1/leverageBracket` JSON.
///
/// The format of `../shared/data/binance_um_reference/leverage_brackets_20241024.json`:
/// `[{"symbol":"BTCUSDT","brackets":[{"bracket":1,"initialLeverage":125,"notionalCap":50000,
/// "notionalFloor":0,"maintMarginRatio":0.004,"cum":0}, …]}, …]`. Numbers are read from their
/// decimal digits (never through `Double`), so `0.0065` is exactly 0.0065; strings are accepted too.
/// A cap too large for the fixed-point range (Binance writes 2⁶³ − 1 for "no cap") is kept as
/// `Notional(units: .max)`, see `LeverageBracket.isUncapped`.
public struct LeverageBracketTable: Hashable, Sendable {
    /// The schedules by symbol.
    public let schedules: [Symbol: LeverageBrackets]

    /// A table of schedules; a symbol given twice is an error.
    public init(_ schedules: [LeverageBrackets]) throws(LeverageBracketError) {
        var table: [Symbol: LeverageBrackets] = [:]
        for schedule in schedules {
            guard table.updateValue(schedule, forKey: schedule.symbol) == nil else {
                throw LeverageBracketError(.invalidSymbol, symbol: schedule.symbol.rawValue, field: "symbol", "given twice")
            }
        }
        self.schedules = table
    }

    /// The schedule of `symbol`, if listed.
    public subscript(symbol: Symbol) -> LeverageBrackets? { schedules[symbol] }

    /// The listed symbols, sorted.
    public var symbols: [Symbol] { schedules.keys.sorted() }

    /// Parses a leverageBracket document (an array of symbols, or one symbol's object).
    public static func parse(_ data: Data) throws(LeverageBracketError) -> LeverageBracketTable {
        var schedules: [LeverageBrackets] = []
        for (index, entry) in try LeverageBracketJSON.entries(data).enumerated() {
            guard let name = entry.symbol else {
                throw LeverageBracketError(.invalidSymbol, symbol: nil, field: "[\(index)].symbol", "missing or not a string")
            }
            guard let symbol = Symbol(rawValue: name) else {
                throw LeverageBracketError(.invalidSymbol, symbol: name, field: "symbol", "not a valid symbol")
            }
            guard let raw = entry.brackets else {
                throw LeverageBracketError(.invalidField, symbol: name, field: "brackets", "missing or not an array of objects")
            }
            var tiers: [LeverageBracket] = []
            for (position, tier) in raw.enumerated() {
                tiers.append(try LeverageBracketJSON.tier(tier, index: position, symbol: name))
            }
            schedules.append(try LeverageBrackets(symbol: symbol, brackets: tiers))
        }
        return try LeverageBracketTable(schedules)
    }

    /// Reads and parses a leverageBracket file.
    public static func load(contentsOf url: URL) throws(LeverageBracketError) -> LeverageBracketTable {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw LeverageBracketError(.unreadable, symbol: nil, field: nil, "cannot read \(url.path): \(error.localizedDescription)")
        }
        return try parse(data)
    }
}
