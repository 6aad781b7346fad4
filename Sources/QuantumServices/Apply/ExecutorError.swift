import QuantumCore

/// An executor failure that is not a plan's outcome (those are results): corrupt state, a venue that cannot be reached at start.
public struct ExecutorError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        case journalCorrupt = "journal_corrupt"
        case stateCorrupt = "state_corrupt"
        case venueUnavailable = "venue_unavailable"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
