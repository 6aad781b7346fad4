import QuantumBus
import QuantumCore

/// Typed publishing onto the event log: every entry leaves in the canonical encoding (invariant 8).
public struct MessageBus: Sendable {
    public let log: any EventLog
    /// Streams are trimmed to about this many entries (trimming never outruns a consumer group).
    public var retention: Int?

    public init(log: any EventLog, retention: Int? = 100_000) {
        self.log = log
        self.retention = retention
    }

    /// Appends a message to a stream.
    @discardableResult
    public func publish<M: BusMessage>(_ message: M, to stream: String) async throws -> EntryID {
        try await log.append(stream, fields: message.encoded(), maxLength: retention)
    }

    /// Appends raw fields (events that are not a `BusMessage`: market state, reconciliation, rejections).
    @discardableResult
    public func publish(fields: [String: String], to stream: String) async throws -> EntryID {
        try await log.append(stream, fields: fields, maxLength: retention)
    }
}
