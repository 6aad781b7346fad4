/// A symbol's market-state hash (`quantum:marketstate:{SYMBOL}`): its mark price and when it was read, and the regime
/// state at the last closed bar once there is one.
///
/// Written by market-state, read by the intent-bridge, the executor's risk guard, exit-brain and harvest, and the
/// operations snapshot: one codec for all of them. Reading is lenient (a field that is absent or does not parse reads
/// as nil) because every reader decides for itself what it can do without.
public struct MarketStateHash: Hashable, Sendable {
    public var price: Price?
    /// When the price was written, on the writer's clock.
    public var asOf: EpochMillis?
    /// The close time of the last closed bar whose state is in the hash.
    public var barCloseTime: EpochMillis?
    /// The regime state at that bar; nil before the estimator has one or if a field is missing or not finite.
    public var state: MarketState?

    public init(price: Price?, asOf: EpochMillis?, barCloseTime: EpochMillis? = nil, state: MarketState? = nil) {
        self.price = price
        self.asOf = asOf
        self.barCloseTime = barCloseTime
        self.state = state
    }

    /// Reads a stored hash.
    public init(fields: [String: String]) {
        func number(_ name: String) -> Double? { fields[name].flatMap { Double($0) }.flatMap { $0.isFinite ? $0 : nil } }
        func time(_ name: String) -> EpochMillis? { fields[name].flatMap { Int64($0) }.map { EpochMillis(rawValue: $0) } }
        price = fields["price"].flatMap { try? Price(parsing: $0) }
        asOf = time("as_of")
        barCloseTime = time("bar_close_time")
        if let sigma = number("sigma"), let mu = number("mu"), let ts = number("ts_strength"), let pTrend = number("p_trend"),
           let pMR = number("p_mr"), let pChop = number("p_chop"), let bars = fields["bars"].flatMap({ Int($0) }) {
            state = MarketState(sigma: sigma, mu: mu, ts: ts, pTrend: pTrend, pMR: pMR, pChop: pChop, bars: bars)
        } else {
            state = nil
        }
    }

    /// The fields to store (`setFields` merges them: a price-only write keeps the last bar's state).
    public var fields: [String: String] {
        var fields: [String: String] = [:]
        if let price { fields["price"] = price.description }
        if let asOf { fields["as_of"] = String(asOf.rawValue) }
        if let barCloseTime { fields["bar_close_time"] = String(barCloseTime.rawValue) }
        if let state { fields.merge(Self.fields(of: state)) { $1 } }
        return fields
    }

    /// The regime fields of a state, as the hash and the `marketstate` stream carry them.
    public static func fields(of state: MarketState) -> [String: String] {
        ["sigma": String(state.sigma), "mu": String(state.mu), "ts_strength": String(state.ts), "p_trend": String(state.pTrend),
         "p_mr": String(state.pMR), "p_chop": String(state.pChop), "bars": String(state.bars)]
    }
}
