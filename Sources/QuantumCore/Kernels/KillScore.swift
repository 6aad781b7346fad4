import Foundation

/// The kill score K: how likely a position's edge has collapsed (seed-system §3.5).
///
/// Components, each from market state and the position's age:
/// * regime flip `rf` = 1 if `p_trend < trendMin` and `p_chop + p_mr > 0.5`, else 0;
/// * sigma spike `ss` = clamp(sigma / sigmaRef − 1, 0, sigmaSpikeCap);
/// * trend-strength drop `td` = clamp(tsRef − ts, 0, tsDropCap);
/// * age penalty `ap` = clamp(age / maxAge, 0, 1).
///
/// `z = w_rf·rf + w_ss·ss + w_td·td + w_ap·ap` and `K = 1 / (1 + e^(−z))`. A position is closed
/// when K ≥ threshold. Note K ≥ 0.5 even at z = 0, so a threshold at or below 0.5 closes everything;
/// `Configuration.validate()` refuses that (the original's policy threshold 0.55 made a regime flip
/// alone always close).
public struct KillScore: Sendable {
    /// Weights, reference levels and threshold; defaults are the original code's.
    public struct Configuration: Hashable, Sendable {
        public var regimeFlipWeight = 1.0
        public var sigmaSpikeWeight = 0.5
        public var trendDropWeight = 0.5
        public var ageWeight = 0.3
        public var threshold = 0.6
        public var trendMin = 0.3
        public var sigmaRef = 0.01
        public var sigmaSpikeCap = 2.0
        public var tsRef = 0.3
        public var tsDropCap = 0.5
        public var maxAge: Duration = .seconds(86_400)

        public init() {}

        /// The original's AI-policy weights (0.8 / 0.6 / 0.4 / 0.2, threshold 0.55).
        public static var seedPolicy: Configuration {
            var c = Configuration()
            c.regimeFlipWeight = 0.8
            c.sigmaSpikeWeight = 0.6
            c.trendDropWeight = 0.4
            c.ageWeight = 0.2
            c.threshold = 0.55
            return c
        }

        /// Problems with the configuration, empty if it is usable.
        public func validate() -> [String] {
            var problems: [String] = []
            for (name, w) in [("regime_flip", regimeFlipWeight), ("sigma_spike", sigmaSpikeWeight), ("ts_drop", trendDropWeight), ("age", ageWeight)]
            where !(w.isFinite && w >= 0) { problems.append("kill weight \(name) must be a finite number ≥ 0") }
            if !(threshold > 0.5 && threshold < 1) { problems.append("kill threshold must be in (0.5, 1): K is at least 0.5 for any position") }
            if !(sigmaRef > 0) { problems.append("kill sigma_ref must be positive") }
            if maxAge <= .zero { problems.append("kill max_age must be positive") }
            return problems
        }
    }

    /// Raw components (unweighted), as the original logged them.
    public struct Components: Hashable, Sendable {
        public var regimeFlip: Double
        public var sigmaSpike: Double
        public var trendStrengthDrop: Double
        public var agePenalty: Double

        public init(regimeFlip: Double, sigmaSpike: Double, trendStrengthDrop: Double, agePenalty: Double) {
            self.regimeFlip = regimeFlip
            self.sigmaSpike = sigmaSpike
            self.trendStrengthDrop = trendStrengthDrop
            self.agePenalty = agePenalty
        }
    }

    /// The score and the decision.
    public struct Evaluation: Hashable, Sendable {
        public var components: Components
        public var z: Double
        public var score: Double
        public var shouldClose: Bool
        /// `kill_score_triggered` then each notable component, as the original's reason codes.
        public var reasonCodes: [String]

        public var audit: KillScoreAudit {
            KillScoreAudit(score: score, regimeFlip: components.regimeFlip, sigmaSpike: components.sigmaSpike,
                           trendStrengthDrop: components.trendStrengthDrop, agePenalty: components.agePenalty)
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The raw components for a market state and position age.
    public func components(state: MarketState, age: Duration) -> Components {
        let c = configuration
        let flip = state.pTrend < c.trendMin && state.pChop + state.pMR > 0.5 ? 1.0 : 0.0
        let spike = min(max(state.sigma / c.sigmaRef - 1, 0), c.sigmaSpikeCap)
        let drop = min(max(c.tsRef - state.ts, 0), c.tsDropCap)
        let ageSeconds = Double(age.wholeMilliseconds) / 1_000
        let penalty = min(max(ageSeconds / (Double(c.maxAge.wholeMilliseconds) / 1_000), 0), 1)
        return Components(regimeFlip: flip, sigmaSpike: spike, trendStrengthDrop: drop, agePenalty: penalty)
    }

    /// The weighted sum, sigmoid and close decision for given components.
    public func evaluate(_ components: Components) -> Evaluation {
        let c = configuration
        let z = c.regimeFlipWeight * components.regimeFlip + c.sigmaSpikeWeight * components.sigmaSpike
            + c.trendDropWeight * components.trendStrengthDrop + c.ageWeight * components.agePenalty
        let score = 1 / (1 + exp(-z))
        let close = score >= c.threshold
        var reasons: [String] = []
        if close {
            reasons.append("kill_score_triggered")
            if components.regimeFlip > 0 { reasons.append("regime_flip") }
            if components.sigmaSpike > 0.5 { reasons.append("sigma_spike") }
            if components.trendStrengthDrop > 0.2 { reasons.append("ts_drop") }
            if components.agePenalty > 0.5 { reasons.append("age_penalty") }
        }
        return Evaluation(components: components, z: z, score: score, shouldClose: close, reasonCodes: reasons)
    }

    /// Components and decision from market state and age.
    public func evaluate(state: MarketState, age: Duration) -> Evaluation {
        evaluate(components(state: state, age: age))
    }
}
