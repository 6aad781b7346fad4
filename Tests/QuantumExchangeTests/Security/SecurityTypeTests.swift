import QuantumExchange
import Testing

@Suite(.timeLimit(.minutes(3))) struct SecurityTypeTests {
    @Test func requirementsPerType() {
        #expect(!SecurityType.none.requiresAPIKey && !SecurityType.none.requiresSignature)
        #expect(SecurityType.marketData.requiresAPIKey && !SecurityType.marketData.requiresSignature)
        #expect(SecurityType.userStream.requiresAPIKey && !SecurityType.userStream.requiresSignature)
        #expect(SecurityType.trade.requiresAPIKey && SecurityType.trade.requiresSignature)
        #expect(SecurityType.userData.requiresAPIKey && SecurityType.userData.requiresSignature)
    }

    @Test(arguments: [
        (RequestMethod.get, "/fapi/v1/ping", SecurityType.none), (.get, "/fapi/v1/exchangeInfo", .none), (.get, "/fapi/v2/ticker/price", .none),
        (.get, "/futures/data/openInterestHist", .none), (.get, "/api/v3/ping", .none), (.get, "/fapi/v1/historicalTrades", .marketData),
        (.post, "/fapi/v1/listenKey", .userStream), (.put, "/fapi/v1/listenKey", .userStream), (.post, "/fapi/v1/order", .trade),
        (.delete, "/fapi/v1/order", .trade), (.get, "/fapi/v1/order", .userData), (.get, "/fapi/v3/account", .userData),
        (.get, "/fapi/v9/unheardOf", .userData),
    ])
    func endpointSecurity(method: RequestMethod, path: String, expected: SecurityType) {
        #expect(SecurityType.of(method: method, path: path) == expected)
    }
}
