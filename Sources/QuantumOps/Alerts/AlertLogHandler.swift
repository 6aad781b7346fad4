import Logging
import QuantumCore

/// A log handler that writes lines through `inner` and hands error and critical lines (and the notices that
/// resolve them) to `sink` as alerts: the alert path needs no call site of its own.
///
/// Its own level may be lower than `inner`'s (a resolution is a notice on a console that shows warnings):
/// `inner` still only gets the lines its level lets through.
public struct AlertLogHandler: LogHandler {
    public var inner: any LogHandler
    /// This handler's level: alerts and resolutions below it are not seen.
    public var logLevel: Logger.Level = .notice
    public let sink: @Sendable (Alert) -> Void
    public let clock: any EpochClock

    public init(inner: any LogHandler, clock: any EpochClock = SystemEpochClock(), sink: @escaping @Sendable (Alert) -> Void) {
        self.inner = inner
        self.clock = clock
        self.sink = sink
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        if event.level >= inner.logLevel { inner.log(event: event) }
        let all = inner.metadata.merging(event.metadata ?? [:]) { $1 }
        let resolves = all["resolves"].map { "\($0)" }
        guard event.level >= .error || resolves != nil else { return }
        let service = all["service"].map { "\($0)" }
        var details: [String: String] = [:]
        for (key, value) in all where !["alert", "resolves"].contains(key) { details[key] = "\(value)" }
        let severity: Alert.Severity = event.level >= .critical ? .critical : event.level >= .error ? .error : .resolved
        let key = all["alert"].map { "\($0)" } ?? resolves ?? "\(service ?? event.source):\(event.message)"
        sink(Alert(key: key, severity: severity, message: "\(event.message)", service: service, details: details, time: clock.now()))
    }
}
