import Foundation
import QuantumCore
import QuantumVenue
import QuantumExchange
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct RequestAuthenticatorTests {
    let authenticator = DocVectors.authenticator
    let now = DocVectors.timestamp.advanced(by: .milliseconds(100))
    let signed1 = "\(DocVectors.message1)&signature=\(DocVectors.signature1)"

    @Test func acceptsVectorOneAsQueryAsBodyAndVectorThreeMixed() throws {
        let asQuery = try authenticator.authenticate(DocVectors.request(query: signed1), security: .trade, serverTime: now)
        #expect(asQuery.apiKey == DocVectors.apiKey)
        #expect(asQuery.parameters["quantity"] == "1")
        _ = try authenticator.authenticate(DocVectors.request(body: signed1), security: .trade, serverTime: now)
        let mixed = DocVectors.request(query: DocVectors.query3, body: "\(DocVectors.body3)&signature=\(DocVectors.signature3)")
        let result = try authenticator.authenticate(mixed, security: .trade, serverTime: now)
        #expect(result.parameters["timeInForce"] == "GTC")
        #expect(result.parameters["timestamp"] == "1591702613943")
    }

    @Test func everyClientsParameterOrderVerifies() throws {
        let secret = DocVectors.secretKey
        let signer = RequestSigner(secretKey: secret)
        let ts = String(DocVectors.timestamp.rawValue)
        // python-binance: alphabetical, signature last, in the body for POST.
        let sorted = "newClientOrderId=x1&price=9000&quantity=0.001&recvWindow=10000&side=BUY&symbol=BTCUSDT&timeInForce=GTC&timestamp=\(ts)&type=LIMIT"
        // ccxt: timestamp first, recvWindow last.
        let ccxt = "timestamp=\(ts)&symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&price=9000&timeInForce=GTC&recvWindow=10000"
        // binance-futures-connector: call order, everything in the query even for POST.
        let connector = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&timeInForce=GTC&price=9000&recvWindow=10000&timestamp=\(ts)"
        let requests = [
            DocVectors.request(body: signer.signed(sorted)),
            DocVectors.request(body: signer.signed(ccxt)),
            DocVectors.request(query: signer.signed(connector)),
            DocVectors.request(.get, path: "/fapi/v2/account", query: signer.signed("timestamp=\(ts)")),
            DocVectors.request(.delete, path: "/fapi/v1/order", query: signer.signed("symbol=BTCUSDT&orderId=7&timestamp=\(ts)")),
        ]
        for request in requests {
            #expect(thrown { try authenticator.authenticate(request, security: .trade, serverTime: now) } == nil, "\(request.query)\(request.bodyText)")
        }
    }

    @Test func missingOrGarbledKeyIs2014AndUnknownKeyIs2015() {
        let missing = thrown { try authenticator.authenticate(DocVectors.request(query: signed1, apiKey: nil), security: .trade, serverTime: now) }
        #expect(missing?.code == -2014)
        for garbled in ["", "has space", "ключ", String(repeating: "a", count: 129)] {
            let error = thrown { try authenticator.authenticate(DocVectors.request(query: signed1, apiKey: garbled), security: .trade, serverTime: now) }
            #expect(error?.code == -2014, "\(garbled)")
        }
        let unknown = thrown { try authenticator.authenticate(DocVectors.request(query: signed1, apiKey: "unknownKey1"), security: .userData, serverTime: now) }
        #expect(unknown?.code == -2015)
        #expect(unknown?.message == "Invalid API-key, IP, or permissions for action, request ip: 127.0.0.1")
        #expect(BinanceErrorResponse(unknown!).status == 401)
        // The key is checked before anything else, even for key-only endpoints.
        let stream = thrown { try authenticator.authenticate(DocVectors.request(path: "/fapi/v1/listenKey", apiKey: nil), security: .userStream, serverTime: now) }
        #expect(stream?.code == -2014)
    }

    @Test func headerNameIsCaseInsensitive() throws {
        let request = BinanceRequest(method: .post, path: "/fapi/v1/order", query: signed1, headers: ["x-mbx-apikey": DocVectors.apiKey])
        _ = try authenticator.authenticate(request, security: .trade, serverTime: now)
    }

    @Test func missingTimestampOrSignatureIs1102() {
        let noTimestamp = "symbol=BTCUSDT&signature=\(DocVectors.signature1)"
        #expect(thrown { try authenticator.authenticate(DocVectors.request(query: noTimestamp), security: .trade, serverTime: now) }
            == .mandatoryParameter("timestamp"))
        #expect(thrown { try authenticator.authenticate(DocVectors.request(query: DocVectors.message1), security: .trade, serverTime: now) }
            == .mandatoryParameter("signature"))
        let emptySignature = DocVectors.message1 + "&signature="
        #expect(thrown { try authenticator.authenticate(DocVectors.request(query: emptySignature), security: .trade, serverTime: now) }?.code == -1102)
    }

    @Test func staleTimestampIs1021OutsideRecvWindow() throws {
        let edge = DocVectors.timestamp.advanced(by: .milliseconds(5_000))
        _ = try authenticator.authenticate(DocVectors.request(query: signed1), security: .trade, serverTime: edge)
        let late = thrown {
            try authenticator.authenticate(DocVectors.request(query: signed1), security: .trade, serverTime: edge.advanced(by: .milliseconds(1)))
        }
        #expect(late == EdgeErrors.timestampOutsideRecvWindow)
        #expect(late?.message == "Timestamp for this request is outside of the recvWindow.")
        let farAway = thrown { try authenticator.authenticate(DocVectors.request(query: signed1), security: .trade, serverTime: EpochMillis(1_800_000_000_000)) }
        #expect(farAway?.code == -1021)
    }

    @Test func timestampAheadOfServerIs1021Ahead() throws {
        // Accepted 999 ms ahead; rejected from exactly 1000 ms ahead (timestamp < serverTime + 1000).
        let edge = DocVectors.timestamp.advanced(by: .milliseconds(-999))
        _ = try authenticator.authenticate(DocVectors.request(query: signed1), security: .trade, serverTime: edge)
        let early = thrown {
            try authenticator.authenticate(DocVectors.request(query: signed1), security: .trade, serverTime: edge.advanced(by: .milliseconds(-1)))
        }
        #expect(early == EdgeErrors.timestampAhead)
        #expect(early?.message == "Timestamp for this request was 1000ms ahead of the server's time.")
    }

    @Test func recvWindowDefaultsTo5000AndIsCappedAt60000() {
        let signer = RequestSigner(secretKey: DocVectors.secretKey)
        let ts = DocVectors.timestamp
        let noWindow = DocVectors.request(query: signer.signedParameters([("symbol", "BTCUSDT")], timestamp: ts))
        #expect(thrown { try authenticator.authenticate(noWindow, security: .trade, serverTime: ts.advanced(by: .milliseconds(5_000))) } == nil)
        #expect(thrown { try authenticator.authenticate(noWindow, security: .trade, serverTime: ts.advanced(by: .milliseconds(5_001))) }?.code == -1021)
        let wide = DocVectors.request(query: signer.signedParameters([], timestamp: ts, recvWindow: 60_000))
        #expect(thrown { try authenticator.authenticate(wide, security: .trade, serverTime: ts.advanced(by: .milliseconds(60_000))) } == nil)
        let tooWide = DocVectors.request(query: signer.signedParameters([], timestamp: ts, recvWindow: 60_001))
        #expect(thrown { try authenticator.authenticate(tooWide, security: .trade, serverTime: ts) } == .invalidParameter("recvWindow"))
        let zero = DocVectors.request(query: signer.signedParameters([], timestamp: ts, recvWindow: 0))
        #expect(thrown { try authenticator.authenticate(zero, security: .trade, serverTime: ts) }?.code == -1130)
    }

    @Test func malformedTimestampIs1100() {
        let signer = RequestSigner(secretKey: DocVectors.secretKey)
        let request = DocVectors.request(query: signer.signed("timestamp=12ab"))
        #expect(thrown { try authenticator.authenticate(request, security: .trade, serverTime: now) }?.code == -1100)
    }

    @Test func badHmacIs1022() {
        let tampered = signed1.replacingOccurrences(of: "price=9000", with: "price=9001")
        #expect(thrown { try authenticator.authenticate(DocVectors.request(query: tampered), security: .trade, serverTime: now) }
            == EdgeErrors.invalidSignature)
        let other = RequestAuthenticator(credentials: [APICredential(apiKey: DocVectors.apiKey, secretKey: "not-the-secret")])
        #expect(thrown { try other.authenticate(DocVectors.request(query: signed1), security: .userData, serverTime: now) }?.code == -1022)
        let notLast = "signature=\(DocVectors.signature1)&\(DocVectors.message1)"
        #expect(thrown { try authenticator.authenticate(DocVectors.request(query: notLast), security: .trade, serverTime: now) }?.code == -1022)
    }

    @Test func keyOnlyAndPublicEndpointsNeedNoSignature() throws {
        let listenKey = try authenticator.authenticate(DocVectors.request(path: "/fapi/v1/listenKey"), security: .userStream, serverTime: now)
        #expect(listenKey.apiKey == DocVectors.apiKey)
        let ping = try authenticator.authenticate(
            DocVectors.request(.get, path: "/fapi/v1/depth", query: "symbol=BTCUSDT", apiKey: nil), security: .none, serverTime: now
        )
        #expect(ping.apiKey == nil)
        #expect(ping.parameters["symbol"] == "BTCUSDT")
    }

    @Test func duplicateParametersAre1101AfterTheKeyCheck() {
        let request = DocVectors.request(query: "symbol=A&symbol=B&" + signed1)
        #expect(thrown { try authenticator.authenticate(request, security: .trade, serverTime: now) } == EdgeErrors.duplicateParameter)
    }
}
