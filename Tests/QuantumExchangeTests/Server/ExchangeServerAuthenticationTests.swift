import QuantumCore
import QuantumVenue
import QuantumExchange
import QuantumSim
import Testing

/// Keys, signatures, timestamps and rate limits through real HTTP (reference §3, §4).
@Suite("Exchange server: authentication and limits", .timeLimit(.minutes(3)))
struct ExchangeServerAuthenticationTests {
    /// The documentation's example credentials (reference §3.1).
    static let docs = APICredential(
        apiKey: "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83",
        secretKey: "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9")
    static let vectorTime = EpochMillis(1_591_702_613_943)
    static let vector1 = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943"

    @Test("the documented signatures are accepted as query, as body, and mixed; one changed byte is -1022")
    func signingVectors() async throws {
        // At the vectors' time, so the timestamp is inside recvWindow; a LIMIT BUY at 9 000 rests.
        let f = try await ExchangeServerFixture.start(at: Self.vectorTime, credentials: [Self.docs])
        try await f.tick(ExchangeServerFixture.btc, "9500")
        let signature1 = "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9"
        let asQuery = try await f.raw(.POST, "/fapi/v1/order", query: Self.vector1 + "&signature=" + signature1, apiKey: Self.docs.apiKey)
        #expect(asQuery.status == 200, "\(asQuery.text)")
        #expect(asQuery.string("status") == "NEW")
        // The same order again, in the body: a new order (no client id sent, so no -4116).
        let asBody = try await f.raw(.POST, "/fapi/v1/order", body: Self.vector1 + "&signature=" + signature1, apiKey: Self.docs.apiKey)
        #expect(asBody.status == 200, "\(asBody.text)")
        let mixed = try await f.raw(
            .POST, "/fapi/v1/order", query: "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC",
            body: "quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943&signature=30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4",
            apiKey: Self.docs.apiKey)
        #expect(mixed.status == 200, "\(mixed.text)")
        let tampered = try await f.raw(.POST, "/fapi/v1/order", query: Self.vector1.replacingOccurrences(of: "price=9000", with: "price=9001")
                                       + "&signature=" + signature1, apiKey: Self.docs.apiKey)
        #expect(tampered.status == 400 && tampered.code == -1022)
        f.clock.advance(by: .seconds(60))
        let late = try await f.raw(.POST, "/fapi/v1/order", query: Self.vector1 + "&signature=" + signature1, apiKey: Self.docs.apiKey)
        #expect(late.status == 400 && late.code == -1021)
        await f.stop()
    }

    @Test("missing or malformed key -2014, unknown key -2015 (401); missing timestamp or signature -1102")
    func keys() async throws {
        let f = try await ExchangeServerFixture.start()
        let none = try await f.send(.GET, "/fapi/v2/balance", apiKey: nil)
        #expect(none.status == 401 && none.code == -2014)
        let garbled = try await f.send(.GET, "/fapi/v2/balance", apiKey: "bad key!")
        #expect(garbled.status == 401 && garbled.code == -2014)
        let unknown = try await f.send(.GET, "/fapi/v2/balance", apiKey: "someone-else")
        #expect(unknown.status == 401 && unknown.code == -2015)
        let unsigned = try await f.send(.GET, "/fapi/v2/balance", signed: false)
        #expect(unsigned.status == 400 && unsigned.code == -1102)
        let wrongSecret = try await f.send(.GET, "/fapi/v2/balance", secret: "not-the-secret")
        #expect(wrongSecret.status == 400 && wrongSecret.code == -1022)
        let ahead = try await f.raw(.GET, "/fapi/v2/balance", query: RequestSigner(secretKey: ExchangeServerFixture.credential.secretKey)
            .signedParameters([], timestamp: f.clock.now().advanced(by: .seconds(2))), apiKey: ExchangeServerFixture.credential.apiKey)
        #expect(ahead.status == 400 && ahead.code == -1021)
        let fine = try await f.send(.GET, "/fapi/v2/balance")
        #expect(fine.status == 200)
        await f.stop()
    }

    @Test("request weight: X-MBX-USED-WEIGHT-1M counts, 429 -1003 past the limit, then 418 for repeat offenders")
    func weights() async throws {
        let f = try await ExchangeServerFixture.start(desk: { configuration in
            configuration.weights = WeightLimiter.Configuration(limit: 5, rejectionsBeforeBan: 2)
        })
        for expected in 1...5 {
            let reply = try await f.send(.GET, "/fapi/v1/ping", signed: false)
            #expect(reply.status == 200 && reply.headers["X-MBX-USED-WEIGHT-1M"].first == String(expected))
        }
        let limited = try await f.send(.GET, "/fapi/v1/ping", signed: false)
        #expect(limited.status == 429 && limited.code == -1003)
        #expect(limited.headers["Retry-After"].first != nil)
        var statuses: [Int] = []
        for _ in 0..<3 { statuses.append(try await f.send(.GET, "/fapi/v1/ping", signed: false).status) }
        #expect(statuses.contains(418))
        // A new minute clears the weight but not the ban.
        f.clock.advance(by: .seconds(61))
        #expect(try await f.send(.GET, "/fapi/v1/ping", signed: false).status == 418)
        await f.stop()
    }

    @Test("order count limit: -1015 with 429 past the 10-second limit; X-MBX-ORDER-COUNT headers")
    func orderCounts() async throws {
        let f = try await ExchangeServerFixture.start(desk: { configuration in
            configuration.orderCounts = OrderCountLimiter.Configuration(perTenSeconds: 2, perMinute: 100)
        })
        let order: [(String, String)] = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                         ("quantity", "0.002"), ("price", "90000")]
        let first = try await f.send(.POST, "/fapi/v1/order", order)
        #expect(first.status == 200 && first.headers["X-MBX-ORDER-COUNT-10S"].first == "1")
        #expect(first.headers["X-MBX-ORDER-COUNT-1M"].first == "1")
        _ = try await f.send(.POST, "/fapi/v1/order", order)
        let third = try await f.send(.POST, "/fapi/v1/order", order)
        #expect(third.status == 429 && third.code == -1015)
        await f.stop()
    }
}
