import QuantumVenue
import Testing

@Suite(.timeLimit(.minutes(3))) struct VenueEndpointsTests {
    @Test func aLocalSimulatorIsCustomWithLegacyStreams() throws {
        let endpoints = try VenueEndpoints.custom("http://127.0.0.1:8080/")
        #expect(endpoints.environment == .custom && endpoints.restBase == "http://127.0.0.1:8080")
        #expect(endpoints.streamBase == "ws://127.0.0.1:8080")
        #expect(endpoints.userStreamURL(listenKey: "abc") == "ws://127.0.0.1:8080/ws/abc")
        #expect(endpoints.marketStreamURL(["btcusdt@kline_1m", "btcusdt@markPrice@1s"], publicCategory: false)
            == "ws://127.0.0.1:8080/stream?streams=btcusdt@kline_1m/btcusdt@markPrice@1s")
    }

    @Test func binanceHostsAreRecognisedWhateverTheyAreCalled() throws {
        #expect(try VenueEndpoints.custom("https://fapi.binance.com") == .production)
        #expect(try VenueEndpoints.custom("https://demo-fapi.binance.com") == .demo)
        #expect(try VenueEndpoints.custom("https://testnet.binancefuture.com") == .demo)
        #expect(VenueEndpoints.production.userStreamURL(listenKey: "k") == "wss://fstream.binance.com/private/ws?listenKey=k")
        #expect(VenueEndpoints.production.marketStreamURL(["btcusdt@bookTicker"], publicCategory: true)
            == "wss://fstream.binance.com/public/stream?streams=btcusdt@bookTicker")
    }

    @Test(arguments: ["127.0.0.1:8080", "ftp://x", "http://", "ws://localhost:1"])
    func badURLsAreRefused(_ url: String) {
        let error = #expect(throws: VenueError.self) { try VenueEndpoints.custom(url) }
        #expect(error?.code == .configuration)
    }

    @Test func clockOffsetUsesTheShortestRoundTrip() {
        var offset = ServerClockOffset()
        offset.record(.init(sent: EpochMillisLiteral.at(1_000), serverTime: EpochMillisLiteral.at(1_900), received: EpochMillisLiteral.at(1_400)))
        offset.record(.init(sent: EpochMillisLiteral.at(2_000), serverTime: EpochMillisLiteral.at(2_510), received: EpochMillisLiteral.at(2_020)))
        #expect(offset.offset == .milliseconds(500))
        #expect(offset.venueTime(at: EpochMillisLiteral.at(10_000)) == EpochMillisLiteral.at(10_500))
    }
}

import QuantumCore

enum EpochMillisLiteral {
    static func at(_ value: Int64) -> EpochMillis { EpochMillis(value) }
}
