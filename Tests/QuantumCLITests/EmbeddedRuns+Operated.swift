import AsyncHTTPClient
import Foundation
import NIOCore
import QuantumBus
import QuantumTestSupport
import QuantumCore
import Testing

extension EmbeddedRuns {
    static let supervised = ["apply-layer", "exit-brain", "harvest", "intent-bridge", "health-monitor", "market-state", "signal-bot"]
    static let exitPath = ["apply-layer", "exit-brain", "harvest"]

    /// One embedded run operated like production: every service crashed in turn (a fire drill), alerts to a local
    /// webhook, then the run's `/metrics`, dashboard (in a real headless browser), kill switch and doctor checked
    /// against its summary and its own records.
    @Test func everyServiceCrashedInTurnIsDetectedAlertedAndResolvedAndTheOperationsSurfaceAgreesWithTheSummary() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("operated-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("state").path
        let summaryPath = directory.appendingPathComponent("summary.json").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let receiver = try await WebhookReceiver.start()
        let run = try LineProcess("quantum", [
            // Real klines (the replay paces on their own timestamps, so a loaded machine still trades): 230 market minutes at 600×.
            "run", "--state", state, "--data", try SharedData.file("binance_um_futures/klines_1m").path, "--symbols", "BTCUSDT,ETHUSDT",
            // 600×, not max: the stepped clock stretches heartbeats to 1 000 s, past the drill's 5 minutes down.
            "--speed", "600", "--duration", "230m", "--dashboard-port", "0",
            "--chaos-crash-every", "30m", "--chaos-downtime", "5m", "--keep-serving", "--alert-webhook", receiver.url, "--alerts-per-minute", "1000",
            "--summary-json", summaryPath, "--progress-every", "0", "--log-level", "notice",
        ], stderrPath: directory.appendingPathComponent("stderr.log").path)
        defer { kill(run.pid, SIGKILL) }

        // Every wait is bounded: a hung run fails the test instead of hanging the suite.
        let announcement = await withHardDeadline(.seconds(120)) { await run.line { $0.hasPrefix("dashboard http://") } }
        let announced = try #require(announcement.flatMap { $0 }, "no dashboard line: \(run.stderr.suffix(2_000))")
        let base = try #require(announced.split(separator: " ").dropFirst().first.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "/")) })
        let token = try #require(announced.split(separator: " ").last.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ")")) })
        let finished = await withHardDeadline(.seconds(300)) { await run.line { $0.hasPrefix("run finished") } }
        try #require(finished.flatMap { $0 } != nil, "the run did not finish: \(run.stderr.suffix(2_000))")
        let summary = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summaryPath))) as? [String: Any])
        try #require((summary["plans"] as? Int ?? 0) > 0, "the run made no plans: nothing to check the operations surface against")

        try await checkRecords(state: state)
        let alerts = await withHardDeadline(.seconds(60)) { await Self.alerts(receiver) }
        let (crashes, resolved) = try #require(alerts, "the webhook did not receive a resolution for every crash")
        for service in Self.supervised {
            #expect(crashes[service] == 1, "\(service): \(crashes[service] ?? 0) crash alerts")
            #expect(resolved.contains(service))
        }
        try await checkMetrics(base: base, summary: summary)
        try await checkDashboard(base: base, summary: summary, directory: directory)
        try await checkKillSwitch(base: base, token: token)

        let doctor = try await ProductRunner.run("quantum", ["doctor", "--state", state])
        #expect(doctor.status == 0, "doctor: \(doctor.stdout)")
        #expect(doctor.stdout.contains("stopped cleanly"))
        #expect(doctor.stdout.contains("1 restart"))
        #expect(await run.stop() == 0)
        await receiver.stop()
    }

    /// The run's own records: each crash restarted, an exit-path crash detected within the stale limit and halting opens, then recovered; nothing lost.
    func checkRecords(state: String) async throws {
        let database = try SQLiteDatabase(path: URL(fileURLWithPath: state).appendingPathComponent("quantum.sqlite").path)
        let log = SQLiteEventLog(database: database)
        let events = try await log.range("quantum:stream:service.event", from: .zero, to: .max, count: 100_000).map(\.fields)
        let beat = try #require(try await log.reverseRange("quantum:stream:heartbeat", from: .max, to: .zero, count: 1).first)
        let interval = try #require(beat.fields["interval_ms"].flatMap(Int64.init))
        func time(_ e: [String: String]) -> Int64 { Int64(e["ts"] ?? "") ?? 0 }
        var halts: [(from: Int64, to: Int64)] = []
        for service in Self.supervised {
            let restart = try #require(events.first { $0["kind"] == "restart" && $0["service"] == service }, "\(service) never restarted")
            #expect(restart["error"]?.contains("injected crash") == true)
            let recovered = events.first { $0["kind"] == "recovered" && $0["service"] == service && time($0) >= time(restart) }
            #expect(recovered != nil, "\(service) restarted but its recovery was never reported")
            guard Self.exitPath.contains(service) else { continue }
            // Down 5 minutes: stale within three intervals of its last beat, at the monitor's next check.
            let stale = try #require(events.first { $0["kind"] == "health" && $0["service"] == service && $0["verdict"] == "stale" && time($0) >= time(restart) },
                                     "\(service) was down 5 minutes and never judged stale")
            #expect(time(stale) - time(restart) <= 4 * interval, "\(service) detected \(time(stale) - time(restart)) ms after its crash")
            let halt = try #require(events.first { $0["kind"] == "exit_path" && $0["halted"] == "true" && time($0) >= time(restart) })
            let resume = try #require(events.first { $0["kind"] == "exit_path" && $0["halted"] == "false" && time($0) >= time(halt) })
            #expect(time(halt) <= time(stale))
            halts.append((time(halt), time(resume)))
        }
        // Shutdown: producers first, the executor last (each service stops before the next is asked to).
        let stops = events.filter { $0["kind"] == "stopped" }.compactMap { $0["service"] }.filter { $0 != "protection-monitor" }
        #expect(stops == ["signal-bot", "market-state", "health-monitor", "intent-bridge", "harvest", "exit-brain", "apply-layer"])
        // No open was decided while the exit path was down (one interval allowed for a decision made just before the halt).
        let results = try await log.range("quantum:stream:apply.result", from: .zero, to: .max, count: 100_000).map(\.fields)
        for result in results where result["action"]?.hasPrefix("OPEN") == true && result["decision"] == "EXECUTED" {
            let at = time(result)
            #expect(!halts.contains { at > $0.from + interval && at < $0.to }, "an open executed while the exit path was down: \(result)")
        }
        // Nothing lost: every plan answered exactly once, nothing set aside.
        let plans = try await log.range("quantum:stream:apply.plan", from: .zero, to: .max, count: 100_000).compactMap { $0.fields["plan_id"] }
        // (A plan published twice, by an exit service resending, is answered twice: once done, once DUPLICATE.)
        var answers: [String: Int] = [:], published: [String: Int] = [:]
        for result in results { answers[result["plan_id"] ?? "", default: 0] += 1 }
        for plan in plans { published[plan, default: 0] += 1 }
        #expect(published.allSatisfy { answers[$0.key] == $0.value }, "plans not answered once per publication: \(published.filter { answers[$0.key] != $0.value })")
        #expect(try await log.length("quantum:stream:apply.plan.deadletter") == 0)
    }

    /// Crash alerts by service, and the services whose crash was resolved, once every crash is resolved.
    ///
    /// One alert per crash: the supervisor's and the monitor's lines are the same condition.
    static func alerts(_ receiver: WebhookReceiver) async -> ([String: Int], Set<String>) {
        var crashes: [String: Int] = [:], resolved: Set<String> = []
        for await body in receiver.bodies {
            guard let alert = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { continue }
            let key = alert["key"] as? String ?? ""
            guard key.hasPrefix("crash:") else { continue }
            let service = String(key.dropFirst("crash:".count))
            if alert["severity"] as? String == "resolved" { resolved.insert(service) } else { crashes[service, default: 0] += 1 }
            if Set(supervised).isSubset(of: resolved) { break }
        }
        return (crashes, resolved)
    }

    /// Every metric of the issue is exposed, and the ones the summary also reports agree with it.
    func checkMetrics(base: String, summary: [String: Any]) async throws {
        let text = try await Self.get("\(base)/metrics")
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        func total(_ name: String, where filter: String = "") -> Double {
            samples.filter { ($0.key == name || $0.key.hasPrefix(name + "{")) && (filter.isEmpty || $0.key.contains(filter)) }.values.reduce(0, +)
        }
        for name in ["quantum_service_up", "quantum_service_heartbeat_age_seconds", "quantum_service_restarts_total", "quantum_plans_total",
                     "quantum_results_total", "quantum_orders_total", "quantum_duplicates_prevented_total", "quantum_exit_deadline_misses_total",
                     "quantum_intent_to_order_seconds_count", "quantum_exchange_request_seconds_count", "quantum_exchange_rate_limit_headroom",
                     "quantum_consumer_lag", "quantum_dead_letters", "quantum_positions_open", "quantum_positions_unprotected",
                     "quantum_reconciliation_drift_total", "quantum_equity_usdt", "quantum_realized_pnl_usdt"] {
            #expect(samples.keys.contains { $0 == name || $0.hasPrefix(name + "{") }, "\(name) missing from /metrics")
        }
        func number(_ key: String) -> Double { (summary[key] as? NSNumber)?.doubleValue ?? Double(summary[key] as? String ?? "") ?? .nan }
        #expect(total("quantum_plans_total") == number("plans"))
        let decisions = try #require(summary["results_by_decision"] as? [String: Int])
        for (decision, count) in decisions { #expect(total("quantum_results_total", where: "decision=\"\(decision)\"") == Double(count), "\(decision)") }
        #expect(total("quantum_orders_total", where: "outcome=\"sent\"") == number("orders_sent"))
        #expect(total("quantum_orders_total", where: "outcome=\"filled\"") == number("fills"))
        #expect(total("quantum_duplicates_prevented_total") == number("duplicates_prevented"))
        #expect(total("quantum_exit_deadline_misses_total") == number("exit_deadline_misses"))
        #expect(total("quantum_exits_executed_total") == number("exits_executed"))
        #expect(total("quantum_positions_open") == number("positions_open"))
        #expect(total("quantum_dead_letters") == number("dead_letters"))
        #expect(abs(total("quantum_equity_usdt") - number("equity")) < 1e-6)
        #expect(abs(total("quantum_realized_pnl_usdt") - number("realized_pnl")) < 1e-6)
        #expect(abs(total("quantum_fees_usdt") - number("fees")) < 1e-6)
        // One latency sample per order submitted (a resend after proven absence is one submission, two sends).
        #expect(total("quantum_intent_to_order_seconds_count") >= 1 && total("quantum_intent_to_order_seconds_count") <= number("orders_sent"))
        for service in Self.supervised {
            #expect(total("quantum_service_restarts_total", where: "service=\"\(service)\"") == 1, "\(service) restarts")
        }
    }

    /// The page, rendered by Debian's chromium, shows the run's live data; a screenshot is kept next to the build products.
    func checkDashboard(base: String, summary: [String: Any], directory: URL) async throws {
        let browser = try #require(HeadlessBrowser.find(), "no headless browser: install chromium (scripts/test does)")
        let screenshot = ProductRunner.productsDirectory.appendingPathComponent("dashboard.png")
        try? FileManager.default.removeItem(at: screenshot)
        // The page is live once a server-sent event has arrived and its tables are filled.
        let rendered = await withHardDeadline(.seconds(60)) { () -> Result<String, BrowserError> in
            do {
                return .success(try await browser.render(base + "/", screenshot: screenshot,
                    until: "document.getElementById('status').textContent === 'live' && document.querySelector('#services tr[data-service]')"))
            } catch {
                return .failure(BrowserError("\(error)"))
            }
        }
        guard let rendered else { Issue.record("the dashboard did not show live data in a headless browser within 60 s"); return }
        let dom: String
        switch rendered {
        case .success(let text): dom = text
        case .failure(let error): Issue.record("headless browser: \(error)"); return
        }
        #expect(dom.contains(">live<"), "the page did not receive live events")
        for service in Self.supervised { #expect(dom.contains("data-service=\"\(service)\""), "\(service) missing from the page") }
        #expect(dom.contains(summary["equity"] as? String ?? "?"), "the equity of the summary is not on the page")
        #expect(dom.contains("data-plan-id="), "no plans or results on the page")
        #expect(dom.range(of: #"id="kill-switch-state"[^>]*>off<"#, options: .regularExpression) != nil, "the kill switch is not shown off")
        let png = try Data(contentsOf: screenshot)
        #expect(png.count > 10_000 && png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "no screenshot at \(screenshot.path)")
    }

    /// The kill switch needs the printed token; with it, it halts and resumes.
    func checkKillSwitch(base: String, token: String) async throws {
        let refused = try await Self.post("\(base)/api/kill-switch", body: "{\"action\": \"halt\"}", token: "wrong")
        #expect(refused.status == 401)
        let halted = try await Self.post("\(base)/api/kill-switch", body: "{\"action\": \"halt\", \"reason\": \"test\"}", token: token)
        #expect(halted.status == 200 && halted.body.contains("\"active\": true"), "\(halted)")
        let state = try await Self.get("\(base)/api/state")
        #expect(state.contains("\"active\": true, \"reason\": \"test\""))
        let garbled = try await Self.post("\(base)/api/kill-switch", body: "{\"action\": 7}", token: token)
        #expect(garbled.status == 400)
        let resumed = try await Self.post("\(base)/api/kill-switch", body: "{\"action\": \"resume\"}", token: token)
        #expect(resumed.status == 200 && resumed.body.contains("\"active\": false"))
    }

    static func get(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 16 << 20))
    }

    static func post(_ url: String, body: String, token: String) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }
}
