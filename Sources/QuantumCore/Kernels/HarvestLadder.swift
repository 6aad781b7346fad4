/// The take-profit ladder: scale out in tranches as R rises, each rung taken at most once per epoch.
///
/// Rungs are cumulative fractions of the position's **peak** size: with the default 2R → 25 %,
/// 4R → 50 %, 6R → 75 %, reaching 4R means 50 % of the peak has been taken in total. The reduce
/// quantity is what brings the live size down to `peak × (1 − fraction)`, floored to the step; if
/// R jumps past several rungs at once, the highest is taken and the skipped ones are marked taken
/// too. Remembering taken rungs (in the position record) is what stops the original's decay
/// 50 % → 25 % → 12.5 % (FM-32).
public struct HarvestLadder: Hashable, Sendable {
    /// One rung: at `r` or more, `cumulativeFraction` of the peak size has been taken in total.
    public struct Rung: Hashable, Sendable {
        public var r: Double
        public var cumulativeFraction: Ratio

        public init(r: Double, cumulativeFraction: Ratio) {
            self.r = r
            self.cumulativeFraction = cumulativeFraction
        }
    }

    /// What to do now.
    public enum Decision: Hashable, Sendable {
        /// Reduce by `quantity` for `rung`; `rungsTaken` is the full set after this step.
        case take(rung: Int, quantity: Quantity, rungsTaken: [Int])
        /// The rung is reached but the reduce rounds to nothing: record it taken, send nothing.
        case markTaken(rungsTaken: [Int])
    }

    public var rungs: [Rung]

    /// `rungs` must have strictly increasing R and strictly increasing fractions in (0, 1].
    public init(rungs: [Rung]) {
        self.rungs = rungs
    }

    /// 2R/4R/6R taking 25/50/75 % of the peak.
    public static var standard: HarvestLadder {
        HarvestLadder(rungs: [
            Rung(r: 2, cumulativeFraction: Ratio(units: 25_000_000)),
            Rung(r: 4, cumulativeFraction: Ratio(units: 50_000_000)),
            Rung(r: 6, cumulativeFraction: Ratio(units: 75_000_000)),
        ])
    }

    /// The original's March variant: each rung's R divided by √max(leverage, 1).
    public func leverageScaled(_ leverage: Leverage) -> HarvestLadder {
        let divisor = Double(max(leverage.rawValue, 1)).squareRoot()
        return HarvestLadder(rungs: rungs.map { Rung(r: $0.r / divisor, cumulativeFraction: $0.cumulativeFraction) })
    }

    /// Problems with the rungs, empty if usable.
    public func validate() -> [String] {
        var problems: [String] = []
        if rungs.isEmpty { problems.append("the ladder needs at least one rung") }
        if rungs.count > 16 { problems.append("the ladder has at most 16 rungs") }
        for (i, rung) in rungs.enumerated() {
            if !(rung.r.isFinite && rung.r > 0) { problems.append("rung \(i + 1): R must be positive") }
            if !(rung.cumulativeFraction.isPositive && rung.cumulativeFraction <= Ratio(units: Ratio.one)) {
                problems.append("rung \(i + 1): fraction must be in (0, 1]")
            }
            if i > 0, !(rung.r > rungs[i - 1].r && rung.cumulativeFraction > rungs[i - 1].cumulativeFraction) {
                problems.append("rung \(i + 1): R and fraction must increase")
            }
        }
        return problems
    }

    /// The next step at the position's current R, or `nil` when no untaken rung is reached.
    public func decide(r: Double, quantity: Quantity, peakQuantity: Quantity, rungsTaken: [Int], stepSize: Quantity) throws(MoneyError) -> Decision? {
        guard r.isFinite else { return nil }
        let reached = rungs.indices.filter { rungs[$0].r <= r }.map { $0 + 1 }
        guard let highest = reached.last, !rungsTaken.contains(where: { $0 >= highest }) else { return nil }
        let taken = Array(Set(rungsTaken).union(reached)).sorted()
        let keepFraction = try Ratio(units: Ratio.one) - rungs[highest - 1].cumulativeFraction
        let keep = try peakQuantity.fraction(keepFraction, rounding: .up)
        let excess = try quantity - keep
        let reduce = excess.isPositive ? try excess.rounded(toStep: stepSize, .down) : .zero
        if !reduce.isPositive { return .markTaken(rungsTaken: taken) }
        return .take(rung: highest, quantity: reduce, rungsTaken: taken)
    }
}

/// Profit lock: once R reaches a level, move the stop to break-even plus a margin — only ever tightening.
///
/// Long: `entry × (1 + breakEvenPlus)` rounded up to the tick, proposed only above the current stop;
/// short: `entry × (1 − breakEvenPlus)` rounded down, proposed only below it.
public struct ProfitLock: Hashable, Sendable {
    public var lockAtR: Double
    public var breakEvenPlus: Ratio

    /// Defaults of the original: lock at 1.5R, break-even plus 0.2 %.
    public init(lockAtR: Double = 1.5, breakEvenPlus: Ratio = Ratio(units: 200_000)) {
        self.lockAtR = lockAtR
        self.breakEvenPlus = breakEvenPlus
    }

    /// The new stop to place, or `nil` if R is below the lock level or the stop would not tighten.
    public func proposal(direction: Direction, entry: Price, currentStop: Price?, r: Double, tickSize: Price) throws(MoneyError) -> Price? {
        guard r.isFinite, r >= lockAtR else { return nil }
        let one = Ratio(units: Ratio.one)
        switch direction {
        case .long:
            let raw = try entry.fraction(try one + breakEvenPlus, rounding: .up)
            let level = tickSize.isPositive ? try raw.rounded(toStep: tickSize, .up) : raw
            if let currentStop, level <= currentStop { return nil }
            return level
        case .short:
            let raw = try entry.fraction(try one - breakEvenPlus, rounding: .down)
            let level = tickSize.isPositive ? try raw.rounded(toStep: tickSize, .down) : raw
            if let currentStop, level >= currentStop { return nil }
            return level
        }
    }
}
