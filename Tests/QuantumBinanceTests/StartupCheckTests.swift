import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumTestSupport
import QuantumVenue
import Testing

/// Start-up checks: one-way mode, leverage set and verified, keys for the right environment, clock skew.
@Suite(.timeLimit(.minutes(3))) struct StartupCheckTests {
    static let requirements = StartupRequirements(
        symbols: [VenueFixture.btc, VenueFixture.eth], leverage: [VenueFixture.btc: Leverage(rawValue: 10)!, VenueFixture.eth: Leverage(rawValue: 5)!],
        marginType: .cross)

    @Test func aHealthyVenuePassesWithLeverageVerified() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        let report = try await VenueStartupCheck.run(fixture.venue, credentials: VenueFixture.credentials, requirements: Self.requirements)
        #expect(report.clockOffset == .zero)
        #expect(report.configurations[VenueFixture.btc]?.leverage.rawValue == 10)
        #expect(report.configurations[VenueFixture.eth]?.leverage.rawValue == 5)
        #expect(report.configurations[VenueFixture.eth]?.marginType == .cross)
        #expect(!report.switchedToOneWay)
        #expect(report.rules[VenueFixture.btc] != nil)
    }

    @Test func hedgeModeIsRefusedOrSwitchedWhenAllowed() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        try await fixture.venue.setPositionMode(.hedge)
        let error = await #expect(throws: VenueError.self) {
            try await VenueStartupCheck.run(fixture.venue, credentials: VenueFixture.credentials, requirements: Self.requirements)
        }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("hedge mode") == true)
        var allowed = Self.requirements
        allowed.positionMode = .setOneWay
        let report = try await VenueStartupCheck.run(fixture.venue, credentials: VenueFixture.credentials, requirements: allowed)
        #expect(report.switchedToOneWay)
        #expect(try await fixture.venue.positionMode() == .oneWay)
    }

    @Test func anUnknownKeyGivesAClearEnvironmentError() async throws {
        let wrong = VenueCredentials(environment: .custom, apiKey: "someone-elses-key", secretKey: "quantum-paper-secret")
        let fixture = try await VenueFixture.start(credentials: wrong)
        defer { Task { await fixture.stop() } }
        let error = await #expect(throws: VenueError.self) {
            try await VenueStartupCheck.run(fixture.venue, credentials: wrong, requirements: Self.requirements)
        }
        #expect(error?.code == .configuration)
        #expect(error?.binanceCode == -2015)
        #expect(error?.message.contains("refused the API key") == true)
        #expect(error?.message.contains("someone-elses-key") == false)
    }

    @Test func aWrongSecretIsASignatureError() async throws {
        let wrong = VenueCredentials(environment: .custom, apiKey: "quantum-paper-key", secretKey: "not-the-secret")
        let fixture = try await VenueFixture.start(credentials: wrong)
        defer { Task { await fixture.stop() } }
        let error = await #expect(throws: VenueError.self) { try await fixture.venue.account() }
        #expect(error?.code == .authentication)
        #expect(error?.binanceCode == -1022)
    }

    @Test func keysForAnotherEnvironmentAreRefusedBeforeAnyRequest() async throws {
        let production = VenueCredentials(environment: .production, apiKey: "k", secretKey: "s")
        let error = #expect(throws: VenueError.self) {
            _ = try BinanceFuturesVenue(endpoints: try VenueEndpoints.custom("http://127.0.0.1:9"), credentials: production)
        }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("production keys cannot be used on the custom venue") == true)
        let demoKeys = VenueCredentials(environment: .demo, apiKey: "k", secretKey: "s")
        #expect(throws: VenueError.self) { _ = try BinanceFuturesVenue(endpoints: .production, credentials: demoKeys) }
    }

    @Test func aSkewedClockIsMeasuredAndRefusedBeyondTheBound() async throws {
        let fixture = try await VenueFixture.start(venueClock: { SkewedClock(base: $0, skew: .seconds(-10)) })
        defer { Task { await fixture.stop() } }
        let error = await #expect(throws: VenueError.self) {
            try await VenueStartupCheck.run(fixture.venue, credentials: VenueFixture.credentials, requirements: Self.requirements)
        }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("10000 ms off") == true)
        // Within a looser bound the offset is measured and used: signed requests then pass.
        var loose = Self.requirements
        loose.maximumClockSkew = .seconds(30)
        let report = try await VenueStartupCheck.run(fixture.venue, credentials: VenueFixture.credentials, requirements: loose)
        #expect(report.clockOffset == .seconds(10))
    }

    @Test func aTimestampRejectionResyncsTheClockAndRetriesOnce() async throws {
        let fixture = try await VenueFixture.start(venueClock: { SkewedClock(base: $0, skew: .seconds(-10)) })
        defer { Task { await fixture.stop() } }
        // No start-up sync: the first signed request is 10 s behind and gets -1021, then succeeds after a resync.
        _ = try await fixture.venue.account()
        let accountCalls = await fixture.host.requestLog.filter { $0.path == "/fapi/v2/account" }
        #expect(accountCalls.map(\.status) == [400, 200])
        #expect(fixture.venue.clockOffset == .seconds(10))
    }
}
