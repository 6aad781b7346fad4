import QuantumCore

/// Runs a grid of strategy configurations over the same bars, on every core, and ranks them.
public enum SweepRun {
    /// What to rank the grid's points by (highest first).
    public enum Ranking: String, Hashable, Sendable, CaseIterable {
        case netPnL = "net_pnl"
        case sharpe
        case profitFactor = "profit_factor"
        case maxDrawdown = "max_drawdown"

        func key(_ statistics: BacktestStatistics) -> Double {
            switch self {
            case .netPnL: Double(statistics.netPnL) ?? -.infinity
            case .sharpe: statistics.sharpe ?? -.infinity
            case .profitFactor: statistics.profitFactor ?? (statistics.trades > 0 ? .infinity : -.infinity)
            case .maxDrawdown: -statistics.maxDrawdown
            }
        }
    }

    /// One point of the grid and its figures.
    public struct Point: Sendable {
        public var strategy: EMACross.Configuration
        public var statistics: BacktestStatistics
    }

    /// Every valid point of `grid` over `series`, ranked; points whose parameters cannot work (fast ≥ slow) are counted.
    public static func run(
        _ base: BacktestConfiguration, grid: SweepGrid, series: [Symbol: BarColumns], ranking: Ranking, jobs: Int
    ) async throws(BacktestError) -> (points: [Point], skipped: Int) {
        var valid: [EMACross.Configuration] = []
        var skipped = 0
        for candidate in grid.configurations(from: base.strategy) {
            if (try? candidate.validated()) != nil { valid.append(candidate) } else { skipped += 1 }
        }
        let points: [Point]
        do {
            points = try await withThrowingTaskGroup(of: (Int, Point).self) { group in
                var next = 0
                var collected: [(Int, Point)] = []
                func submit() {
                    let index = next, strategy = valid[index]
                    next += 1
                    group.addTask {
                        var configuration = base
                        configuration.strategy = strategy
                        let result = try Backtest.run(configuration, series: series)
                        return (index, Point(strategy: strategy, statistics: BacktestStatistics(result)))
                    }
                }
                while next < min(max(jobs, 1), valid.count) { submit() }
                while let point = try await group.next() {
                    collected.append(point)
                    if next < valid.count { submit() }
                }
                return collected.sorted { $0.0 < $1.0 }.map(\.1)
            }
        } catch let error as BacktestError {
            throw error
        } catch {
            throw BacktestError(.configuration, "the sweep stopped: \(error)")
        }
        let ranked = points.enumerated().sorted { a, b in
            let left = ranking.key(a.element.statistics), right = ranking.key(b.element.statistics)
            return left != right ? left > right : a.offset < b.offset
        }.map(\.element)
        return (ranked, skipped)
    }
}
