import Foundation
import QuantumCore
import QuantumSim
import QuantumTestSupport

/// The real leverage brackets of 2024-10-24, parsed once, and small builders for hand-made tiers.
enum BracketFixtures {
    static let path = "binance_um_reference/leverage_brackets_20241024.json"

    /// All 349 symbols' schedules.
    static let table: LeverageBracketTable? = {
        guard let url = try? SharedData.file(path) else { return nil }
        return try? LeverageBracketTable.load(contentsOf: url)
    }()

    static func notional(_ text: String) -> Notional { Notional(text)! }
    static func ratio(_ text: String) -> Ratio { Ratio(text)! }
    static func leverage(_ value: Int) -> Leverage { Leverage(rawValue: value)! }

    /// A tier from plain values.
    static func tier(_ number: Int, _ leverage: Int, _ floor: String, _ cap: String, _ mmr: String, _ cum: String) -> LeverageBracket {
        LeverageBracket(bracket: number, initialLeverage: Self.leverage(leverage), notionalCap: notional(cap),
                        notionalFloor: notional(floor), maintMarginRatio: ratio(mmr), cum: notional(cum))
    }
}
