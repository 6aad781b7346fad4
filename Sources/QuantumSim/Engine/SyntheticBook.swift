import QuantumCore

/// An order book around the last price, for `depth`, `bookTicker` and their streams.
///
/// The engine fills at the top of this book with unlimited depth; the levels below the top are
/// shape only (one tick apart, quantity growing with distance) so clients that read a book get one.
public struct SyntheticBook: Hashable, Sendable {
    public struct Level: Hashable, Sendable {
        public var price: Price
        public var quantity: Quantity

        public init(price: Price, quantity: Quantity) {
            self.price = price
            self.quantity = quantity
        }
    }

    /// Best (highest) first.
    public var bids: [Level]
    /// Best (lowest) first.
    public var asks: [Level]

    public init(bids: [Level], asks: [Level]) {
        self.bids = bids
        self.asks = asks
    }
}

extension SimulatedExchange {
    /// The synthetic book of a symbol, `levels` deep on each side; `nil` before the symbol has a price.
    public func book(_ symbol: Symbol, levels: Int) -> SyntheticBook? {
        guard let top = bookTop(symbol), let rules = rules[symbol], levels > 0 else { return nil }
        let step = rules.lot.stepSize.isPositive ? rules.lot.stepSize : Quantity(units: 1)
        // The top level holds about 20× the minimum notional; each further level one more step-multiple.
        let baseSteps = max(1, (((try? rules.minNotional.quantity(at: top.ask, rounding: .up)) ?? step).units / step.units) * 20)
        var bids: [SyntheticBook.Level] = [], asks: [SyntheticBook.Level] = []
        for level in 0..<Int64(levels) {
            let quantity = Quantity(units: (baseSteps + level * baseSteps / 4) * step.units)
            if let offset = try? rules.tickSize * level {
                if let bid = try? top.bid - offset, bid.isPositive { bids.append(.init(price: bid, quantity: quantity)) }
                if let ask = try? top.ask + offset { asks.append(.init(price: ask, quantity: quantity)) }
            }
        }
        return SyntheticBook(bids: bids, asks: asks)
    }
}
