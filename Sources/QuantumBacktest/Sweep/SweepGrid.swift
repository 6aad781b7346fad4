import QuantumCore

/// A grid of strategy parameters to search: `fast=10..30:5,slow=40..80:10` is every (fast, slow) pair of the ranges.
public struct SweepGrid: Hashable, Sendable {
    /// A parameter of the EMA-cross strategy that a sweep can vary.
    public enum Parameter: String, Hashable, Sendable, CaseIterable {
        case fast, slow, atr
        case stopATR = "stop_atr"
        case targetATR = "target_atr"

        /// Whether the parameter is a whole number of bars.
        var isPeriod: Bool { self == .fast || self == .slow || self == .atr }

        func apply(_ value: Double, to configuration: inout EMACross.Configuration) {
            switch self {
            case .fast: configuration.fast = Int(value)
            case .slow: configuration.slow = Int(value)
            case .atr: configuration.atrPeriod = Int(value)
            case .stopATR: configuration.stopATR = value
            case .targetATR: configuration.targetATR = value
            }
        }
    }

    /// One axis: a parameter and its values, in order.
    public struct Axis: Hashable, Sendable {
        public var parameter: Parameter
        public var values: [Double]
    }

    /// The largest grid a sweep runs.
    public static let maximumPoints = 10_000

    public var axes: [Axis]

    /// Parses `name=low..high:step` (or `name=v1|v2|v3`) axes separated by commas.
    public init(parsing text: String) throws(BacktestError) {
        var axes: [Axis] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
                throw BacktestError(.configuration, "sweep axis '\(part)' is not name=low..high:step or name=a|b|c")
            }
            guard let parameter = Parameter(rawValue: pieces[0]) else {
                throw BacktestError(.configuration, "sweep parameter '\(pieces[0])' is unknown; allowed: "
                                    + Parameter.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if axes.contains(where: { $0.parameter == parameter }) { throw BacktestError(.configuration, "sweep parameter '\(parameter.rawValue)' appears twice") }
            let values = try Self.values(pieces[1], parameter: parameter)
            axes.append(Axis(parameter: parameter, values: values))
        }
        guard !axes.isEmpty else { throw BacktestError(.configuration, "the sweep names no parameter") }
        let count = axes.reduce(1) { $0 * $1.values.count }
        guard count <= Self.maximumPoints else {
            throw BacktestError(.configuration, "the sweep has \(count) points; at most \(Self.maximumPoints) are run")
        }
        self.axes = axes
    }

    /// Every point of the grid applied to `base`, first axis slowest.
    public func configurations(from base: EMACross.Configuration) -> [EMACross.Configuration] {
        var points = [base]
        for axis in axes {
            points = points.flatMap { point in
                axis.values.map { value in
                    var next = point
                    axis.parameter.apply(value, to: &next)
                    return next
                }
            }
        }
        return points
    }

    static func values(_ text: String, parameter: Parameter) throws(BacktestError) -> [Double] {
        func number(_ piece: Substring) throws(BacktestError) -> Double {
            guard let value = Double(piece.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0 else {
                throw BacktestError(.configuration, "sweep value '\(piece)' of \(parameter.rawValue) is not a positive number")
            }
            if parameter.isPeriod, value.rounded() != value {
                throw BacktestError(.configuration, "sweep value '\(piece)' of \(parameter.rawValue) is not a whole number of bars")
            }
            return value
        }
        if text.contains("|") { return try text.split(separator: "|").map { piece throws(BacktestError) in try number(piece) } }
        let rangeAndStep = text.split(separator: ":", maxSplits: 1)
        let bounds = rangeAndStep[0].components(separatedBy: "..")
        guard bounds.count == 2 else {
            if rangeAndStep.count == 1 { return [try number(rangeAndStep[0])] }
            throw BacktestError(.configuration, "sweep range '\(text)' of \(parameter.rawValue) is not low..high:step")
        }
        let low = try number(Substring(bounds[0])), high = try number(Substring(bounds[1]))
        let step = rangeAndStep.count == 2 ? try number(rangeAndStep[1]) : (parameter.isPeriod ? 1 : 0.5)
        guard low <= high else { throw BacktestError(.configuration, "sweep range '\(text)' of \(parameter.rawValue) runs backwards") }
        let count = Int(((high - low) / step + 1e-9).rounded(.down)) + 1
        guard count <= Self.maximumPoints else { throw BacktestError(.configuration, "sweep range '\(text)' has \(count) values") }
        return (0..<count).map { low + Double($0) * step }
    }
}
