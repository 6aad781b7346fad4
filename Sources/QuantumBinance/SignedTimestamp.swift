import QuantumCore
import Synchronization

/// The timestamp a request was signed with, written by the sender once the request is signed.
///
/// Signing happens after the rate-limit wait, so the caller cannot know the timestamp in advance;
/// the submission resolver needs it to tell when a lost request can no longer be accepted.
final class SignedTimestamp: Sendable {
    private let value = Mutex<EpochMillis?>(nil)

    /// The timestamp signed, `nil` if the request never got that far.
    var timestamp: EpochMillis? { value.withLock { $0 } }

    func record(_ timestamp: EpochMillis) {
        value.withLock { $0 = timestamp }
    }
}
