import QuantumCore

/// The typed end of an order submission: what the executor records.
public enum SubmissionOutcome: Hashable, Sendable {
    /// On the exchange and not (fully) filled: resting, partially filled, or ended unfilled (IOC, expired).
    case accepted(VenueOrder)
    /// Completely filled.
    case filled(VenueOrder)
    /// Refused by the exchange (its code in the error): nothing exists.
    case rejected(VenueError)
    /// Still unknown after the bounded queries: the order may exist; resolve it again before anything else.
    case resolving(VenueError)

    /// Maps a resolution of a plain order.
    public init(_ resolution: Resolution<VenueOrder>) {
        switch resolution {
        case .placed(let order): self = order.status == .filled ? .filled(order) : .accepted(order)
        case .rejected(let error): self = .rejected(error)
        case .unresolved(let error): self = .resolving(error)
        }
    }

    /// The order, when the exchange has it.
    public var order: VenueOrder? {
        switch self {
        case .accepted(let order), .filled(let order): order
        case .rejected, .resolving: nil
        }
    }
}

/// A submission's outcome with the work it took (for metrics and tests).
public struct Submission<Outcome: Hashable & Sendable>: Hashable, Sendable {
    public var outcome: Outcome
    /// Sends made (1 unless a resend was proven safe).
    public var sends: Int
    /// Queries by client order id made to resolve ambiguity.
    public var queries: Int

    public init(outcome: Outcome, sends: Int, queries: Int) {
        self.outcome = outcome
        self.sends = sends
        self.queries = queries
    }
}
