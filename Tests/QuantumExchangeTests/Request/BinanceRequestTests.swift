import QuantumExchange
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct BinanceRequestTests {
    @Test func queryValueWinsOverBodyValue() throws {
        let request = BinanceRequest(method: .post, path: "/fapi/v1/order", query: "symbol=BTCUSDT&side=SELL", body: "symbol=ETHUSDT&side=BUY&type=LIMIT")
        let parameters = try request.parameters()
        #expect(parameters["symbol"] == "BTCUSDT")
        #expect(parameters["side"] == "SELL")
        #expect(parameters["type"] == "LIMIT")
        #expect(parameters.names == ["side", "symbol", "type"])
    }

    @Test(arguments: [
        ("symbol=A&symbol=A", ""), ("", "quantity=1&quantity=2"), ("a=1&b=2&a=3", "c=4"), ("symbol=A&symbol=", ""), ("x&x", ""),
        ("%73ymbol=A&symbol=B", ""),
    ])
    func sameNameTwiceInOnePartIs1101(query: String, body: String) {
        let request = BinanceRequest(method: .post, path: "/fapi/v1/order", query: query, body: body)
        let error = thrown { try request.parameters() }
        #expect(error == EdgeErrors.duplicateParameter)
        #expect(error?.message == "Duplicate values for a parameter detected.")
    }

    @Test func sameNameInBothPartsIsNotADuplicate() throws {
        let request = BinanceRequest(method: .post, path: "/fapi/v1/order", query: "symbol=A", body: "symbol=B")
        #expect(try request.parameters()["symbol"] == "A")
    }

    @Test func valuesArePercentDecoded() throws {
        let query = "newClientOrderId=qt%2Dopen%3ABTCUSDT%3Ae3&note=a+b%20c&batchOrders=%5B%7B%22side%22%3A%22BUY%22%7D%5D&bad=%zz%4&utf=%E2%82%AC"
        let parameters = try BinanceRequest(method: .get, path: "/x", query: query).parameters()
        #expect(parameters["newClientOrderId"] == "qt-open:BTCUSDT:e3")
        #expect(parameters["note"] == "a b c")
        #expect(parameters["batchOrders"] == #"[{"side":"BUY"}]"#)
        #expect(parameters["bad"] == "%zz%4")
        #expect(parameters["utf"] == "€")
    }

    @Test func emptySegmentsAreSkippedAndBareNamesAreEmpty() throws {
        let parameters = try BinanceRequest(method: .get, path: "/x", query: "&a=1&&flag&b=&").parameters()
        #expect(parameters.values == ["a": "1", "flag": "", "b": ""])
        #expect(parameters.contains("flag") && !parameters.isPresent("flag"))
    }

    @Test func bodyIsReadWhateverTheContentType() throws {
        let request = BinanceRequest(
            method: .post, path: "/fapi/v1/listenKey", body: "listenKey=abc", headers: ["Content-Type": "application/json"]
        )
        #expect(try request.parameters()["listenKey"] == "abc")
        #expect(request.bodyText == "listenKey=abc")
    }

    @Test func headersAreCaseInsensitive() {
        let request = BinanceRequest(method: .get, path: "/x", headers: ["x-mbx-APIKEY": "k1", "Accept": "a", "accept": "b"])
        #expect(request.apiKey == "k1")
        #expect(request.headers["ACCEPT"] == "a")
        #expect(request.headers.values(for: "Accept") == ["a", "b"])
        #expect(request.headers["missing"] == nil)
    }
}
