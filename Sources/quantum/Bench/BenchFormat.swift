import Foundation
import QuantumCore

/// How benchmarks print durations and rates.
enum BenchFormat {
    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", duration.seconds)
    }

    static func rate(_ count: Int, _ duration: Duration) -> String {
        let seconds = duration.seconds
        return String(format: "%.0f", Double(count) / max(seconds, 1e-9))
    }
}
