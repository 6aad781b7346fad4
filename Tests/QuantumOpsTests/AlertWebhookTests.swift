import Foundation
import Logging
import QuantumCore
@testable import QuantumOps
import QuantumTestSupport
import ServiceLifecycle
import Testing

/// The webhook against a local receiver, the payload formats, and the log handler that feeds it.
@Suite(.timeLimit(.minutes(3))) struct AlertWebhookTests {
    static func alert(_ key: String, _ severity: Alert.Severity = .error, message: String = "service stale") -> Alert {
        Alert(key: key, severity: severity, message: message, service: "apply-layer", details: ["restarts": "1"], time: SystemEpochClock().now())
    }

    @Test func aReceiverGetsOneAlertPerConditionItsResolutionAndARateLimitSummary() async throws {
        let receiver = try await WebhookReceiver.start()
        var configuration = AlertWebhook.Configuration(url: receiver.url)
        configuration.system = "test"
        configuration.throttle.maximumPerWindow = 3
        configuration.throttle.window = .seconds(1)
        var logger = Logger(label: "webhook")
        logger.logLevel = .critical
        let webhook = AlertWebhook(configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [webhook], logger: logger))
        let running = Task { try await group.run() }

        webhook.submit(Self.alert("service:apply-layer"))
        webhook.submit(Self.alert("service:apply-layer"))  // the same condition: folded
        webhook.submit(Self.alert("service:apply-layer", .resolved, message: "service healthy again"))
        for i in 0..<5 { webhook.submit(Self.alert("unprotected:S\(i)", .critical)) }  // 2 fit in the window, 3 are held back
        let received = await withHardDeadline(.seconds(30)) { () -> [String] in
            var bodies: [String] = []
            for await body in receiver.bodies {
                bodies.append(body)
                if body.contains("\"severity\": \"suppressed\"") { break }
            }
            return bodies
        }
        await group.triggerGracefulShutdown()
        _ = await running.result
        await receiver.stop()

        let texts = try #require(received, "no rate-limit summary within 30 s")
        let bodies = texts.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) ?? ["unreadable": $0] }
        #expect(bodies.map { $0["key"] as? String ?? "?" } == ["service:apply-layer", "service:apply-layer", "unprotected:S0", "rate_limit"])
        #expect(bodies.map { $0["severity"] as? String ?? "?" } == ["error", "resolved", "critical", "suppressed"])
        #expect(bodies[3]["count"] as? Int == 4)
        #expect(bodies[0]["system"] as? String == "test")
        #expect((bodies[0]["details"] as? [String: String])?["restarts"] == "1")
        #expect((bodies[1]["text"] as? String)?.hasPrefix("✅ [test] RESOLVED: service healthy again") == true)
    }

    @Test func eachFormatIsWhatItsServiceAccepts() throws {
        func payload(_ format: AlertWebhook.Format) throws -> [String: Any] {
            var configuration = AlertWebhook.Configuration(url: "http://127.0.0.1:1/")
            configuration.format = format
            configuration.telegramChatID = "-100123"
            configuration.system = "prod \"eu\""
            let webhook = AlertWebhook(configuration: configuration, logger: Logger(label: "t"))
            let body = webhook.payload(.send(Self.alert("crash:harvest", .critical, message: "service crashed;\nrestarting")))
            return try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "not JSON: \(body)")
        }
        #expect(try payload(.slack).keys.sorted() == ["text"])
        #expect((try payload(.slack)["text"] as? String) == "🛑 [prod \"eu\"] CRITICAL: service crashed;\nrestarting (apply-layer) — crash:harvest")
        #expect(try payload(.discord).keys.sorted() == ["content"])
        let telegram = try payload(.telegram)
        #expect(telegram["chat_id"] as? String == "-100123" && telegram["text"] != nil)
        let json = try payload(.json)
        #expect(json["key"] as? String == "crash:harvest" && json["severity"] as? String == "critical" && json["service"] as? String == "apply-layer")
    }

    @Test func theLogHandlerTurnsErrorsIntoAlertsAndResolvesThemByKey() {
        let seen = Seen()
        var inner = StreamLogHandler.standardError(label: "t")
        inner.logLevel = .critical
        var handler = AlertLogHandler(inner: inner) { seen.add($0) }
        handler.logLevel = .notice
        let configured = handler
        let logger = Logger(label: "t", factory: { _ in configured })
        logger.info("nothing to see")
        logger.warning("a warning is not an alert")
        logger.error("service stale", metadata: ["service": "exit-brain", "alert": "service:exit-brain"])
        logger.critical("crash loop", metadata: ["service": "harvest"])
        logger.notice("service healthy again", metadata: ["resolves": "service:exit-brain"])
        logger.notice("an ordinary notice")
        let alerts = seen.all
        #expect(alerts.map(\.key) == ["service:exit-brain", "harvest:crash loop", "service:exit-brain"])
        #expect(alerts.map(\.severity) == [.error, .critical, .resolved])
        #expect(alerts[0].service == "exit-brain" && alerts[0].details["alert"] == nil)
    }
}

/// Alerts a handler passed on.
final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var alerts: [Alert] = []
    func add(_ alert: Alert) { lock.withLock { alerts.append(alert) } }
    var all: [Alert] { lock.withLock { alerts } }
}
