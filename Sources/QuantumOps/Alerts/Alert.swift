import QuantumCore

/// Something an operator must hear about: an error or critical log line, or the notice that resolves one.
public struct Alert: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable {
        case error, critical
        /// The condition behind an earlier alert with the same key has ended.
        case resolved
    }

    /// What makes two alerts the same condition: the line's `alert` (or `resolves`) metadata, else its service and message.
    public var key: String
    public var severity: Severity
    public var message: String
    public var service: String?
    /// Other metadata of the line, for the receiver.
    public var details: [String: String]
    public var time: EpochMillis

    public init(key: String, severity: Severity, message: String, service: String? = nil, details: [String: String] = [:], time: EpochMillis) {
        self.key = key
        self.severity = severity
        self.message = message
        self.service = service
        self.details = details
        self.time = time
    }
}
