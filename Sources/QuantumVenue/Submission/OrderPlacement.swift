import QuantumCore

/// What one send of an order did, as far as the reply tells: the executor's plan machine decides what follows.
public enum OrderPlacement: Hashable, Sendable {
    /// The exchange has the order (this is its state in the reply).
    case placed(VenueOrder)
    /// Refused by the exchange after reading it (its code in the error): nothing exists.
    case rejected(VenueError)
    /// Refused before it could execute (rate limit, timestamp, ban, the adapter halted): nothing exists, a later send is safe.
    case notSent(VenueError)
    /// No answer that settles it (timeout, connection loss, 5xx, 408, -1006, -1007, an unreadable reply, or -4116
    /// "clientOrderId is duplicated"): the order may exist, now or once the request lands; look it up before anything else.
    case unknown(VenueError)

    /// Classifies a failed send.
    public init(failure error: VenueError) {
        if error.isAmbiguous || error.binanceCode == -4116 {
            self = .unknown(error)
            return
        }
        switch error.code {
        case .rateLimited, .timestamp, .banned, .halted:
            self = .notSent(error)
        default:
            self = .rejected(error)
        }
    }
}
