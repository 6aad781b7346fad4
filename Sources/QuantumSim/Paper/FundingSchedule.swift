import Foundation
import QuantumCore

/// Funding rates per symbol at Binance's 8-hourly settlements (00:00, 08:00, 16:00 UTC).
///
/// Rates come from recorded data (`funding_8h/*.csv`) where a settlement is recorded, else a set
/// default rate. Recorded funding times carry a few ms of jitter, so a record counts for the
/// settlement whose minute it falls in.
public struct FundingSchedule: Hashable, Sendable {
    /// Binance's funding interval.
    public static let interval: Int64 = 8 * 3_600_000

    /// The rate used where nothing is recorded (0.01 %, Binance's base rate).
    public var defaultRate: Ratio
    /// Recorded rates: symbol → settlement time (aligned to the interval) → rate.
    public private(set) var recorded: [Symbol: [EpochMillis: Ratio]]

    public init(defaultRate: Ratio = Ratio(units: 10_000), recorded: [Symbol: [EpochMillis: Ratio]] = [:]) {
        self.defaultRate = defaultRate
        self.recorded = [:]
        for (symbol, rates) in recorded {
            for (time, rate) in rates { self.recorded[symbol, default: [:]][Self.settlement(containing: time)] = rate }
        }
    }

    /// The settlement a recorded time belongs to (the interval boundary at or before it, within a minute).
    static func settlement(containing time: EpochMillis) -> EpochMillis {
        settlement(atOrBefore: EpochMillis(time.rawValue + 60_000))
    }

    /// The settlement at or before `time` (the 8-hour grid floor).
    static func settlement(atOrBefore time: EpochMillis) -> EpochMillis {
        EpochMillis(time.rawValue - ((time.rawValue % interval) + interval) % interval)
    }

    /// The first settlement strictly after `time`.
    public static func nextSettlement(after time: EpochMillis) -> EpochMillis {
        EpochMillis(settlement(atOrBefore: time).rawValue + interval)
    }

    /// The rate of a symbol at a settlement.
    public func rate(_ symbol: Symbol, at settlement: EpochMillis) -> Ratio {
        recorded[symbol]?[settlement] ?? defaultRate
    }

    /// Adds the rates of a `symbol,funding_time,funding_rate` file.
    public mutating func load(contentsOf url: URL) throws(FundingScheduleError) {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw FundingScheduleError(line: 0, message: "cannot read \(url.path): \(error.localizedDescription)")
        }
        try load(csv: text)
    }

    /// Adds the rates of a `symbol,funding_time,funding_rate` text.
    public mutating func load(csv text: String) throws(FundingScheduleError) {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init).makeIterator()
        guard let header = lines.next(), header.trimmingCharacters(in: .whitespaces) == "symbol,funding_time,funding_rate" else {
            throw FundingScheduleError(line: 1, message: "expected the header symbol,funding_time,funding_rate")
        }
        var number = 1
        while let line = lines.next() {
            number += 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3, let symbol = Symbol(rawValue: fields[0]), let time = Int64(fields[1]),
                  let rate = try? Ratio(parsing: fields[2]) else {
                throw FundingScheduleError(line: number, message: "expected SYMBOL,ms,rate but found \(line)")
            }
            recorded[symbol, default: [:]][Self.settlement(containing: EpochMillis(time))] = rate
        }
    }
}

/// A funding file that could not be read, with its line.
public struct FundingScheduleError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public var description: String { "funding data line \(line): \(message)" }
}

extension FundingSchedule {
    /// The schedule with every recorded settlement moved by `offset` ms (to follow a time-shifted replay).
    ///
    /// Settlements stay on Binance's 8-hour grid: a shifted time is snapped to the settlement it falls in.
    public func shifted(by offset: Int64) -> FundingSchedule {
        var moved: [Symbol: [EpochMillis: Ratio]] = [:]
        for (symbol, rates) in recorded {
            for (time, rate) in rates {
                moved[symbol, default: [:]][Self.settlement(atOrBefore: EpochMillis(time.rawValue + offset))] = rate
            }
        }
        var schedule = FundingSchedule(defaultRate: defaultRate)
        schedule.recorded = moved
        return schedule
    }
}
