import QuantumCore

/// The ambiguity-safe submission of one order, as a pure state machine (invariant 2).
///
/// Driven by a thin I/O shell: it says `send`, `query` or `finish`, the shell does it and reports
/// back. On any ambiguous outcome (timeout, connection loss, 5xx, unreadable reply) the next step
/// is always a query by client order id — never a resend. A resend (same id) happens only when the
/// exchange *proves* the order absent: it answers "no such order" and the venue's clock has passed
/// the last send's timestamp + recvWindow, after which Binance refuses that request (-1021), so it
/// can no longer appear. Peers that resend on timeout, or match orders by time, fill twice
/// (peers.md §3); this cannot.
public struct SubmissionResolver<Placed: Hashable & Sendable>: Sendable {
    public typealias Configuration = SubmissionPolicy

    /// What the shell must do next.
    public enum Action: Hashable, Sendable {
        /// Sign and send the order now (with the same client order id every time).
        case send
        /// Query the order by client order id after `delay`.
        case query(after: Duration)
        /// Wait `delay`, then send again (after a definite non-execution: 429, -1021).
        case resend(after: Duration)
        case finish(Resolution<Placed>)
    }

    /// What happened to the shell's last step.
    public enum Event: Sendable {
        /// The send's outcome; `timestamp` is the signed timestamp and `recvWindow` the one sent.
        case sent(Result<Placed, VenueError>, timestamp: EpochMillis, recvWindow: Duration)
        /// The query found the order.
        case found(Placed)
        /// The query answered "no such order" (-2013) at venue time `now`.
        case absent(now: EpochMillis)
        /// The query itself failed.
        case queryFailed(VenueError)
    }

    public let configuration: Configuration
    /// The latest instant at which an earlier send could still be accepted by the venue.
    public private(set) var acceptanceDeadline: EpochMillis?
    public private(set) var sends = 0
    public private(set) var queries = 0
    private var resends = 0
    private var backoff: Duration
    private var lastError: VenueError?
    private var finished = false

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.backoff = configuration.initialBackoff
    }

    /// The first action: send.
    public mutating func start() -> Action {
        sends += 1
        return .send
    }

    /// The next action after `event`.
    public mutating func event(_ event: Event) -> Action {
        precondition(!finished, "SubmissionResolver used after it finished")
        switch event {
        case .sent(.success(let placed), _, _):
            return finish(.placed(placed))
        case .sent(.failure(let error), let timestamp, let recvWindow):
            lastError = error
            if error.isAmbiguous || error.binanceCode == -4116 {
                // This send may exist (or arrive later): no absence counts as proof before its window closes.
                let deadline = timestamp.advanced(by: recvWindow + configuration.safetyMargin)
                acceptanceDeadline = max(acceptanceDeadline ?? deadline, deadline)
            }
            return afterFailedSend(error)
        case .found(let placed):
            return finish(.placed(placed))
        case .absent(let now):
            if let deadline = acceptanceDeadline, now < deadline {
                // Not proof yet: the lost request may still reach the matching engine. Ask again after it cannot.
                return nextQuery(notBefore: deadline.duration(since: now))
            }
            guard resends < configuration.maximumResends else {
                return finish(.unresolved(VenueError(.transport, "the order is absent but the resend budget is spent: \(lastError?.description ?? "")")))
            }
            resends += 1
            sends += 1
            backoff = configuration.initialBackoff
            return .send
        case .queryFailed(let error):
            lastError = error
            if error.code == .banned || error.code == .halted || error.code == .authentication {
                return finish(.unresolved(error))
            }
            return nextQuery(notBefore: error.retryAfter ?? .zero)
        }
    }

    private mutating func afterFailedSend(_ error: VenueError) -> Action {
        if error.isAmbiguous { return nextQuery(notBefore: .zero, immediately: true) }
        switch (error.code, error.binanceCode) {
        case (_, -4116):
            // "clientOrderId is duplicated": an open order with our id exists — an earlier send of ours arrived.
            return nextQuery(notBefore: .zero, immediately: true)
        case (.rateLimited, _), (.timestamp, _):
            // Refused before execution: a resend is safe (the shell resyncs the clock on -1021).
            guard resends < configuration.maximumResends else { return finish(.rejected(error)) }
            resends += 1
            sends += 1
            return .resend(after: error.retryAfter ?? .zero)
        default:
            // A definite rejection. Any earlier send was proven absent before this one went out.
            return finish(.rejected(error))
        }
    }

    private mutating func nextQuery(notBefore minimum: Duration, immediately: Bool = false) -> Action {
        guard queries < configuration.maximumQueries else {
            return finish(.unresolved(lastError ?? VenueError(.timeout, "the order could not be resolved")))
        }
        queries += 1
        let delay: Duration
        if immediately {
            delay = max(.zero, minimum)
        } else {
            delay = max(backoff, minimum)
            backoff = min(backoff * 2, configuration.maximumBackoff)
        }
        return .query(after: delay)
    }

    private mutating func finish(_ resolution: Resolution<Placed>) -> Action {
        finished = true
        return .finish(resolution)
    }
}

/// How a submission ended.
public enum Resolution<Placed: Hashable & Sendable>: Hashable, Sendable {
    /// The order exists on the exchange (this is its state).
    case placed(Placed)
    /// The exchange refused it: it does not exist.
    case rejected(VenueError)
    /// Still unknown after the query budget: keep the journal entry open and resolve later.
    case unresolved(VenueError)
}

/// How hard a submission tries before it reports "still resolving".
public struct SubmissionPolicy: Hashable, Sendable {
    /// Queries before giving up as "still resolving" (the journal keeps the order open).
    public var maximumQueries = 12
    /// Resends allowed after proven absences and definite non-executions (429, -1021).
    public var maximumResends = 2
    public var initialBackoff: Duration = .milliseconds(100)
    public var maximumBackoff: Duration = .seconds(2)
    /// Extra time past timestamp + recvWindow before an absence counts as proof (clock error).
    public var safetyMargin: Duration = .seconds(1)

    public init() {}
}
