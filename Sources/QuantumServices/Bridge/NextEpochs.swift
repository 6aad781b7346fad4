import QuantumCore
import Synchronization

/// The next epoch of each symbol as the bridge last read it: the guess that lets the open attempt be read in the same
/// snapshot as the epoch (a wrong guess costs one more read, never a wrong answer).
final class NextEpochs: Sendable {
    private let table = Mutex<[Symbol: PositionEpoch]>([:])

    func next(_ symbol: Symbol) -> PositionEpoch { table.withLock { $0[symbol] ?? .first } }
    func saw(_ next: PositionEpoch, for symbol: Symbol) { table.withLock { $0[symbol] = next } }
}
