import QuantumCore

/// The harvest decider for one open position: ladder scale-outs and stop tightening (seed-system §3.5, DESIGN §3).
///
/// Pure, in exact money: quantities are floored to the market step and stops rounded to the tick
/// away from the price. Rungs already in the position's `rungsTaken` (persisted by the executor,
/// so they survive restarts) are never proposed again (FM-32), and a stop is proposed only when it
/// is strictly tighter than the recorded one and still on the protective side of the mark.
public struct Harvest: Sendable {
    /// Trail the stop at a fixed distance in R behind the mark, once the whole ladder is taken.
    public struct Trailing: Hashable, Sendable {
        /// The distance from the mark in units of the position's initial risk.
        public var distanceR: Double

        public init(distanceR: Double) {
            self.distanceR = distanceR
        }
    }

    public struct Configuration: Hashable, Sendable {
        public var ladder = HarvestLadder.standard
        /// Whether the ladder's rungs are taken at all (a strategy that exits whole, at its stop or target, takes none).
        public var takesRungs = true
        /// Divide each rung's R by √leverage (the original's March variant).
        public var leverageScaled = false
        /// Move the stop to break-even plus a margin at an R; `nil` turns it off.
        public var profitLock: ProfitLock? = ProfitLock()
        /// Trail the stop after the last rung; `nil` (the default) turns it off.
        public var trailing: Trailing?
        /// Round-trip cost per unit of entry price, deducted in R.
        public var costRate: Ratio = .zero

        public init() {}

        /// Problems with the configuration, empty if it is usable.
        public func validate() -> [String] {
            var problems = ladder.validate()
            if let trailing, !(trailing.distanceR.isFinite && trailing.distanceR > 0) {
                problems.append("harvest trailing distance must be a positive R")
            }
            if let profitLock {
                if !(profitLock.lockAtR.isFinite && profitLock.lockAtR > 0) { problems.append("harvest profit lock R must be positive") }
                if profitLock.breakEvenPlus.isNegative || profitLock.breakEvenPlus.units >= Ratio.one {
                    problems.append("harvest break-even plus must be in [0, 1)")
                }
            }
            if costRate.isNegative || costRate.units >= Ratio.one { problems.append("harvest cost_rate must be in [0, 1)") }
            return problems
        }
    }

    /// One thing to do now.
    public enum Action: Hashable, Sendable {
        /// Take a ladder rung: reduce by `quantity` (already floored to the step).
        case reduce(rung: Int, quantity: Quantity, r: Double)
        /// A rung is reached but its reduce rounds to nothing: send nothing; `rungs` is the full taken set after it.
        case markTaken(rungs: [Int])
        /// Move the protective stop (reason `.profitLock` or `.trailingStop`); strictly tighter than the recorded one.
        case moveStop(Price, reason: ExitReason, r: Double)
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The ladder as it applies to `position` (scaled by its leverage if configured).
    public func ladder(for position: PositionRecord) -> HarvestLadder {
        configuration.leverageScaled ? configuration.ladder.leverageScaled(position.leverage) : configuration.ladder
    }

    /// What to do for `position` at `mark` under the symbol's `rules`: at most one ladder action, then at most one stop move.
    public func decide(position: PositionRecord, mark: Price, rules: SymbolRules) throws(MoneyError) -> [Action] {
        let c = configuration
        let direction = position.direction
        guard let r = RMultiple.compute(direction: direction, entry: position.entryPrice, mark: mark, riskPerUnit: position.initialRisk,
                                        costRate: c.costRate), r.isFinite else { return [] }
        let ladder = self.ladder(for: position)
        var actions: [Action] = []
        let step = rules.marketLot.stepSize.isPositive ? rules.marketLot.stepSize : rules.lot.stepSize
        switch c.takesRungs ? try ladder.decide(r: r, quantity: position.quantity, peakQuantity: position.peakQuantity, rungsTaken: position.rungsTaken,
                                 stepSize: step) : nil {
        case .take(let rung, let quantity, let taken):
            // A reduce below the venue's minimum could never fill: as good as nothing.
            actions.append(quantity < rules.marketLot.minQuantity ? .markTaken(rungs: taken) : .reduce(rung: rung, quantity: quantity, r: r))
        case .markTaken(let taken):
            actions.append(.markTaken(rungs: taken))
        case nil:
            break
        }
        if let stop = try stopProposal(position: position, mark: mark, r: r, ladder: ladder, tickSize: rules.tickSize) {
            actions.append(.moveStop(stop.price, reason: stop.reason, r: r))
        }
        return actions
    }

    /// The tightest of the profit lock and the trail, if it tightens the recorded stop and stays outside the market.
    func stopProposal(position: PositionRecord, mark: Price, r: Double, ladder: HarvestLadder,
                      tickSize: Price) throws(MoneyError) -> (price: Price, reason: ExitReason)? {
        let direction = position.direction
        var candidates: [(price: Price, reason: ExitReason)] = []
        if let lock = configuration.profitLock,
           let level = try lock.proposal(direction: direction, entry: position.entryPrice, currentStop: position.stopLoss, r: r,
                                         tickSize: tickSize) {
            candidates.append((level, .profitLock))
        }
        let ladderDone = position.rungsTaken.contains { $0 >= ladder.rungs.count }
        if let trailing = configuration.trailing, ladderDone, let level = try trail(trailing, position: position, mark: mark, tickSize: tickSize) {
            candidates.append((level, .trailingStop))
        }
        let tighter: (Price, Price) -> Bool = direction == .long ? { $0 > $1 } : { $0 < $1 }
        guard let best = candidates.max(by: { tighter($1.price, $0.price) }) else { return nil }
        if let current = position.stopLoss, !tighter(best.price, current) { return nil }
        // A stop at or through the mark would trigger at once (Binance -2021): never propose one.
        guard best.price.isPositive, tighter(mark, best.price) else { return nil }
        return best
    }

    /// The trailing level: `distanceR × initialRisk` behind the mark, rounded to the tick away from the price.
    func trail(_ trailing: Trailing, position: PositionRecord, mark: Price, tickSize: Price) throws(MoneyError) -> Price? {
        guard trailing.distanceR.isFinite, trailing.distanceR > 0 else { return nil }
        let distance = try position.initialRisk.fraction(try Ratio(approximating: trailing.distanceR), rounding: .up)
        switch position.direction {
        case .long:
            let raw = try mark - distance
            return tickSize.isPositive ? try raw.rounded(toStep: tickSize, .down) : raw
        case .short:
            let raw = try mark + distance
            return tickSize.isPositive ? try raw.rounded(toStep: tickSize, .up) : raw
        }
    }
}
