import QuantumCore
import QuantumExchange
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct BinanceErrorResponseTests {
    @Test func bodyIsCodeThenMsg() {
        let response = BinanceErrorResponse(.marginInsufficient)
        #expect(response.body == #"{"code":-2019,"msg":"Margin is insufficient."}"#)
        #expect(response.bodyBytes == Array(response.body.utf8))
        #expect(response.status == 400)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["Retry-After"] == nil)
    }

    @Test func messagesAreJSONEscaped() {
        let response = BinanceErrorResponse(ExchangeError(code: -1100, message: "bad \"q\" \\ \n\u{1}"))
        #expect(response.body == #"{"code":-1100,"msg":"bad \"q\" \\ \n\u0001"}"#)
    }

    @Test(arguments: [
        (ExchangeError.marginInsufficient, 400), (.mandatoryParameter("symbol"), 400), (EdgeErrors.duplicateParameter, 400),
        (EdgeErrors.timestampAhead, 400), (EdgeErrors.invalidSignature, 400), (.algoEndpointRequired, 400), (.gtxWouldCross, 400),
        (EdgeErrors.badAPIKeyFormat, 401), (EdgeErrors.rejectedAPIKey(requestIP: "1.2.3.4"), 401), (EdgeErrors.unauthorized, 401),
        (EdgeErrors.tooMuchWeight(limit: 2_400), 429), (EdgeErrors.ipBanned(until: EpochMillis(1)), 418),
        (EdgeErrors.tooManyOrders(limit: 300, interval: "10 SECOND"), 429), (EdgeErrors.executionStatusUnknown, 503), (.unknown, 500),
    ])
    func statusPerCode(error: ExchangeError, status: Int) {
        #expect(BinanceErrorResponse(error).status == status)
    }

    @Test func retryAfterOnlyOnRateLimits() {
        let limited = BinanceErrorResponse(EdgeErrors.tooMuchWeight(limit: 1), retryAfterSeconds: 30)
        #expect(limited.headers["Retry-After"] == "30")
        let banned = BinanceErrorResponse(EdgeErrors.ipBanned(until: EpochMillis(1)), retryAfterSeconds: 120)
        #expect(banned.status == 418 && banned.headers["retry-after"] == "120")
        #expect(BinanceErrorResponse(.marginInsufficient, retryAfterSeconds: 5).headers["Retry-After"] == nil)
        #expect(BinanceErrorResponse(.unknown, status: 503).status == 503)
    }

    @Test func rejectedAPIKeyWithoutIP() {
        #expect(EdgeErrors.rejectedAPIKey(requestIP: nil).message == "Invalid API-key, IP, or permissions for action.")
    }
}
