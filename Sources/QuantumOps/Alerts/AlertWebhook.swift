import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import QuantumCore
import QuantumServices
import ServiceLifecycle

/// Posts alerts to a webhook: JSON, or a payload Slack, Discord or Telegram accept as it is.
///
/// Alerts arrive from the `AlertLogHandler` through `submit` and pass the `AlertThrottle` (dedupe, rate
/// limit, resolved notices). A receiver that fails is retried once, then the alert is logged at warning
/// level (never error: the webhook's own trouble must not feed back into it).
public struct AlertWebhook: Service {
    public enum Format: String, Hashable, Sendable, CaseIterable {
        /// `{"key", "severity", "message", "service", "details", "time", "system"}`.
        case json
        /// `{"text": …}`: Slack incoming webhooks (and Mattermost, Rocket.Chat).
        case slack
        /// `{"content": …}`.
        case discord
        /// `{"chat_id": …, "text": …}` for the Bot API's sendMessage.
        case telegram
    }

    public struct Configuration: Sendable {
        public var url: String
        public var format: Format = .json
        /// Telegram's chat id (required for that format).
        public var telegramChatID: String?
        /// Names the system in every message (host, deployment).
        public var system = "quantum"
        public var throttle = AlertThrottle.Configuration()
        public var timeout: Duration = .seconds(5)

        public init(url: String) {
            self.url = url
        }
    }

    public let configuration: Configuration
    public let clock: any EpochClock
    public let logger: Logger
    private let inbox: AsyncStream<Alert>
    private let continuation: AsyncStream<Alert>.Continuation

    public init(configuration: Configuration, clock: any EpochClock = SystemEpochClock(), logger: Logger) {
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        (inbox, continuation) = AsyncStream.makeStream(of: Alert.self, bufferingPolicy: .bufferingNewest(1_000))
    }

    /// Queues an alert (never blocks: a log call must not wait on the network).
    public func submit(_ alert: Alert) {
        continuation.yield(alert)
    }

    public func run() async throws {
        let ticks = AsyncStream<Void> { continuation in
            let task = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    continuation.yield()
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        let inbox = self.inbox
        try await withThrowingDiscardingTaskGroup { group in
            var throttle = AlertThrottle(configuration: configuration.throttle)
            let (events, sink) = AsyncStream.makeStream(of: Alert?.self)
            group.addTask {
                for await alert in inbox { sink.yield(alert) }
                sink.finish()
            }
            group.addTask {
                for await _ in ticks { sink.yield(nil) }
            }
            // At shutdown the alerts already queued are still delivered, then the loop ends.
            group.addTask {
                try? await gracefulShutdown()
                continuation.finish()
            }
            for await event in events {
                let actions = event.map { throttle.event($0) } ?? throttle.tick(at: clock.now())
                for action in actions { await deliver(action) }
                if Task.isCancelled { break }
            }
            group.cancelAll()
        }
    }

    /// Sends one message, retrying once.
    func deliver(_ action: AlertThrottle.Action) async {
        let body = payload(action)
        for attempt in 1...2 {
            do {
                var request = HTTPClientRequest(url: configuration.url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(configuration.timeout.components.seconds * 1_000))
                _ = try? await response.body.collect(upTo: 1 << 16)
                if (200..<300).contains(response.status.code) { return }
                throw AlertDeliveryError(status: Int(response.status.code))
            } catch {
                if attempt == 2 {
                    logger.warning("alert not delivered to the webhook", metadata: ["error": "\(error)", "alert": "\(body.prefix(200))"])
                }
            }
        }
    }

    /// The body for `action` in the configured format.
    public func payload(_ action: AlertThrottle.Action) -> String {
        let text: String
        switch action {
        case .send(let alert):
            let icon = switch alert.severity { case .critical: "🛑"; case .error: "⚠️"; case .resolved: "✅" }
            let word = alert.severity == .resolved ? "RESOLVED" : alert.severity.rawValue.uppercased()
            text = "\(icon) [\(configuration.system)] \(word): \(alert.message)" + (alert.service.map { " (\($0))" } ?? "") + " — \(alert.key)"
            if configuration.format == .json {
                let details = alert.details.sorted { $0.key < $1.key }.map { "\"\($0.key.jsonEscaped)\": \"\($0.value.jsonEscaped)\"" }.joined(separator: ", ")
                return "{\"system\": \"\(configuration.system.jsonEscaped)\", \"key\": \"\(alert.key.jsonEscaped)\", \"severity\": \"\(alert.severity.rawValue)\", "
                    + "\"message\": \"\(alert.message.jsonEscaped)\", \"service\": \(alert.service.map { "\"\($0.jsonEscaped)\"" } ?? "null"), "
                    + "\"details\": {\(details)}, \"time\": \(alert.time.rawValue), \"text\": \"\(text.jsonEscaped)\"}"
            }
        case .suppressed(let count, let time):
            text = "⏸ [\(configuration.system)] \(count) more alert\(count == 1 ? "" : "s") held back by the rate limit (see the logs)"
            if configuration.format == .json {
                return "{\"system\": \"\(configuration.system.jsonEscaped)\", \"key\": \"rate_limit\", \"severity\": \"suppressed\", \"count\": \(count), "
                    + "\"time\": \(time.rawValue), \"text\": \"\(text.jsonEscaped)\"}"
            }
        }
        switch configuration.format {
        case .json, .slack: return "{\"text\": \"\(text.jsonEscaped)\"}"
        case .discord: return "{\"content\": \"\(text.jsonEscaped)\"}"
        case .telegram: return "{\"chat_id\": \"\((configuration.telegramChatID ?? "").jsonEscaped)\", \"text\": \"\(text.jsonEscaped)\"}"
        }
    }
}

/// The receiver answered with an error status.
struct AlertDeliveryError: Error, CustomStringConvertible {
    var status: Int
    var description: String { "the webhook answered HTTP \(status)" }
}
