/// Latencies of repeated operations, summarised as percentiles (benchmarks report distributions, not averages).
struct LatencySample {
    private(set) var nanoseconds: [Int64] = []

    mutating func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        nanoseconds.append(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    mutating func merge(_ other: LatencySample) { nanoseconds += other.nanoseconds }

    var count: Int { nanoseconds.count }

    /// The latency at a percentile (0…100), in microseconds.
    func percentile(_ p: Double) -> Double {
        guard !nanoseconds.isEmpty else { return 0 }
        let sorted = nanoseconds.sorted()
        let index = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return Double(sorted[index]) / 1_000
    }

    /// `p50 … µs  p90 …  p99 …  max …`.
    var summary: String {
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        return "p50 \(f(percentile(50))) µs  p90 \(f(percentile(90))) µs  p99 \(f(percentile(99))) µs  max \(f(percentile(100))) µs"
    }
}
