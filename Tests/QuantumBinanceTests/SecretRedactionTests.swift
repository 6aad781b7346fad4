import Logging
import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumTestSupport
import QuantumVenue
import Testing

/// Keys and secrets never appear in logs, errors or descriptions, whatever happens during a run.
@Suite(.timeLimit(.minutes(3))) struct SecretRedactionTests {
    @Test func aRunWithFaultsAndFailuresLogsNoSecret() async throws {
        let lines = CapturingLogHandler.Lines()
        let fixture = try await VenueFixture.start(logger: CapturingLogHandler.logger(into: lines))
        defer { Task { await fixture.stop() } }
        let venue = fixture.venue
        var texts: [String] = []
        let requirements = StartupRequirements(symbols: [VenueFixture.btc], leverage: [VenueFixture.btc: Leverage(rawValue: 3)!])
        let report = try await VenueStartupCheck.run(venue, credentials: VenueFixture.credentials, requirements: requirements)
        texts.append("\(report)")
        // Ambiguous and failed orders (warnings and errors are logged).
        await fixture.faults {
            $0.droppedResponses = 1
            $0.failedAfterExecution = 1
        }
        for index in 0..<3 {
            let submission = await venue.submit(VenueOrderRequest(symbol: VenueFixture.btc, side: .buy, quantity: try Quantity(parsing: "0.01"),
                                                                  clientOrderID: .test("r\(index)")))
            texts.append("\(submission)")
        }
        // A stream that connects, drops and reconnects.
        let events = EventCollector<VenueEvent>()
        let stream = Task { try await venue.runUserStream(symbols: [VenueFixture.btc], events.handler) }
        _ = try await events.next { if case .resynced(let s) = $0 { s } else { nil } }
        await fixture.host.disconnectAll()
        fixture.clock.advance(to: await fixture.clock.sleeper(dueBy: fixture.clock.now().advanced(by: .seconds(60))))
        _ = try await events.next { if case .resynced(let s) = $0 { s } else { nil } }
        stream.cancel()
        // Errors: a rejected order and refused keys.
        let rejected = await venue.submit(VenueOrderRequest(symbol: VenueFixture.eth, side: .buy, quantity: try Quantity(parsing: "0.001"),
                                                            clientOrderID: .test("small")))
        texts.append("\(rejected)")
        let wrong = VenueCredentials(environment: .custom, apiKey: "quantum-paper-key", secretKey: "quantum-paper-secret-but-wrong")
        let refused = try BinanceFuturesVenue(endpoints: venue.endpoints, credentials: wrong, clock: fixture.clock,
                                              logger: CapturingLogHandler.logger(into: lines))
        do { _ = try await refused.account() } catch { texts.append("\(error)"); texts.append(String(reflecting: error)) }
        // Descriptions of the credentials themselves.
        texts.append("\(VenueFixture.credentials)")
        texts.append(String(reflecting: VenueFixture.credentials))
        var dumped = ""
        dump(VenueFixture.credentials, to: &dumped)
        texts.append(dumped)

        let everything = lines.all + texts
        #expect(lines.all.count > 5)
        for secret in ["quantum-paper-secret", "quantum-paper-key"] {
            let leaks = everything.filter { $0.contains(secret) }
            #expect(leaks.isEmpty, "\(secret) leaked: \(leaks.prefix(3))")
        }
        #expect(texts.contains { $0.contains("‹redacted›") })
    }
}
