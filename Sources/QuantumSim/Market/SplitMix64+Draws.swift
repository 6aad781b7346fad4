import Foundation
import QuantumCore

/// Continuous draws for the synthetic market's random process.
extension SplitMix64 {
    /// A uniform number in `[0, 1)` with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal number (Box–Muller; one of the pair is used, so the stream stays simple).
    mutating func normal() -> Double {
        let u = max(unit(), 0x1p-53)
        let v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// An exponentially distributed number with the given mean.
    mutating func exponential(mean: Double) -> Double { -log(max(unit(), 0x1p-53)) * mean }
}
