import QuantumCore

extension VenueAlgoOrder {
    /// Decodes an `ALGO_UPDATE` frame's `o` object (short field names).
    public init(binanceUpdate event: JSONValue) throws(WireDecodingError) {
        do {
            let o = try event.member("o")
            self.init(
                algoID: try o.integer("aid"), clientAlgoID: try o.string("caid"), symbol: try o.symbol("s"), side: try o.enumeration("S"),
                typeName: try o.string("o"), status: try o.enumeration("X"), triggerPrice: try o.decimal("tp"),
                closePosition: try o.boolean("cp", default: false), quantity: try o.optionalDecimal("q") ?? .zero,
                actualOrderID: try o.optionalInteger("ai"), updateTime: try event.time("E"))
        } catch {
            throw error.within("o")
        }
    }
}
