import QuantumCore

/// The deterministic generator randomized tests use, so they replay exactly from a seed.
public typealias SeededGenerator = SplitMix64
