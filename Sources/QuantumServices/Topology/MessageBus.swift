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

    /// Creates (if absent, at the tail) the consumer groups that must see every entry `stream` will get
    /// (`OrderPathGroups`): a producer calls it before its first append, so nothing it publishes while its consumer is
    /// still starting is skipped.
    public func prepareConsumers(of stream: String) async throws {
        for group in OrderPathGroups.groups(of: stream) { try await log.createGroup(stream, group: group, start: .tail) }
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
