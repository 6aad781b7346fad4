import Foundation
import QuantumCore
import QuantumTestSupport
import Testing

/// Bar builders and real-kline loading shared by the strategy tests.
enum StrategyFixtures {
    /// 2025-01-01 00:00 UTC, aligned to every interval up to a day.
    static let start: Int64 = 1_735_689_600_000

    /// Contiguous bars with the given closes: each opens at the previous close and has a `wick`
    /// above and below its body.
    static func bars(closes: [Double], interval: KlineInterval = .oneMinute, wick: Double = 0.5) throws -> [Bar] {
        var bars: [Bar] = []
        for (i, close) in closes.enumerated() {
            let open = i == 0 ? close : closes[i - 1]
            let openTime = EpochMillis(start + Int64(i) * interval.milliseconds)
            bars.append(Bar(
                openTime: openTime, closeTime: interval.closeTime(forOpen: openTime),
                open: try Price(approximating: open), high: try Price(approximating: max(open, close) + wick),
                low: try Price(approximating: min(open, close) - wick), close: try Price(approximating: close),
                volume: Quantity(units: Quantity.one)
            ))
        }
        return bars
    }

    static func price(_ text: String) -> Price { Price(text)! }

    // MARK: - Real klines

    static let btcMayPath = "binance_um_futures/klines_1m/BTCUSDT_1m_20250504-20250603.csv"
    static let xrpMayPath = "binance_um_futures/klines_1m/XRPUSDT_1m_20250504-20250603.csv"

    /// Whether the real 1-minute klines are present (`../shared/data`); data tests are skipped otherwise.
    static var hasKlines: Bool {
        FileManager.default.fileExists(atPath: SharedData.directory.appendingPathComponent(btcMayPath).path)
            && FileManager.default.fileExists(atPath: SharedData.directory.appendingPathComponent(xrpMayPath).path)
    }

    /// A 1-minute kline CSV (`open_time,open,high,low,close,volume`) as bars, at most `limit` rows.
    static func klines(_ relativePath: String, limit: Int = .max) throws -> [Bar] {
        let text = try String(contentsOf: try SharedData.file(relativePath), encoding: .utf8)
        var bars: [Bar] = []
        for line in text.split(separator: "\n").dropFirst() {
            if bars.count >= limit { break }
            let c = line.split(separator: ",").map(String.init)
            guard c.count == 6, let open = Int64(c[0]) else { throw CSVError(line: String(line)) }
            let openTime = EpochMillis(open)
            bars.append(Bar(
                openTime: openTime, closeTime: KlineInterval.oneMinute.closeTime(forOpen: openTime),
                open: try Price(parsing: c[1]), high: try Price(parsing: c[2]), low: try Price(parsing: c[3]),
                close: try Price(parsing: c[4]), volume: try Quantity(parsing: c[5])
            ))
        }
        return bars
    }

    struct CSVError: Error { var line: String }

    /// Runs `strategy` over windows of `window` bars ending at every `stride`-th bar and returns
    /// each signal with the window's last bar, after checking that the signal is well-formed.
    static func signals(
        of strategy: some Strategy, over bars: [Bar], window: Int, stride step: Int = 1,
        confidence: ClosedRange<Double>
    ) -> [StrategySignal] {
        var found: [StrategySignal] = []
        for end in Swift.stride(from: window, through: bars.count, by: step) {
            let slice = Array(bars[(end - window)..<end])
            guard let signal = strategy.evaluate(slice) else { continue }
            expectWellFormed(signal, for: strategy, reference: slice[slice.count - 1].close, confidence: confidence)
            found.append(signal)
        }
        return found
    }

    /// Stop and target on their sides of the reference, strictly; confidence within bounds.
    static func expectWellFormed(
        _ signal: StrategySignal, for strategy: some Strategy, reference: Price, confidence: ClosedRange<Double>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(signal.referencePrice == reference, sourceLocation: sourceLocation)
        #expect(signal.strategy == strategy.name, sourceLocation: sourceLocation)
        #expect(signal.isFallback == strategy.isFallback, sourceLocation: sourceLocation)
        #expect(confidence.contains(signal.confidence), "confidence \(signal.confidence)", sourceLocation: sourceLocation)
        #expect(signal.stopLoss.isPositive && signal.takeProfit.isPositive, sourceLocation: sourceLocation)
        switch signal.direction {
        case .long:
            #expect(signal.stopLoss < reference && reference < signal.takeProfit, "\(signal)", sourceLocation: sourceLocation)
        case .short:
            #expect(signal.takeProfit < reference && reference < signal.stopLoss, "\(signal)", sourceLocation: sourceLocation)
        }
        #expect(!signal.rationale.isEmpty, sourceLocation: sourceLocation)
    }
}
