import QuantumCore
import QuantumExchange
import QuantumVenue
import QuantumExchange
import QuantumVenue
import Testing

@Suite(.timeLimit(.minutes(3))) struct RequestSignerTests {
    let signer = RequestSigner(secretKey: DocVectors.secretKey)

    @Test(arguments: DocVectors.all)
    func reproducesEveryDocumentedVector(message: String, signature: String) {
        #expect(signer.signature(for: message) == signature)
        #expect(signer.signature(forBytes: Array(message.utf8)) == signature)
    }

    @Test func signsMixedRequestsAsQueryThenBody() {
        #expect(signer.signature(query: DocVectors.query3, body: DocVectors.body3) == DocVectors.signature3)
    }

    @Test func buildsSignedParametersInCallerOrder() {
        let orderOne: [(name: String, value: String)] = [
            ("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "1"), ("price", "9000"), ("timeInForce", "GTC"),
        ]
        let one = signer.signedParameters(orderOne, timestamp: DocVectors.timestamp, recvWindow: 5_000)
        #expect(one == "\(DocVectors.message1)&signature=\(DocVectors.signature1)")

        let orderTwo: [(name: String, value: String)] = [
            ("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "1"), ("price", "9000"),
        ]
        let two = signer.signedParameters(orderTwo, timestamp: DocVectors.timestamp, recvWindow: 5_000)
        #expect(two == "\(DocVectors.message2)&signature=\(DocVectors.signature2)")
    }

    @Test func omitsRecvWindowWhenNotGivenAndPercentEncodesValues() {
        let signed = signer.signedParameters([("newClientOrderId", "qt:open/1 x")], timestamp: EpochMillis(5))
        let unsigned = "newClientOrderId=qt%3Aopen%2F1%20x&timestamp=5"
        #expect(signed == "\(unsigned)&signature=\(signer.signature(for: unsigned))")
        #expect(signer.signed("") == "signature=\(signer.signature(for: ""))")
    }

    @Test func whatItSignsVerifies() throws {
        let signed = signer.signedParameters([("batchOrders", #"[{"symbol":"BTCUSDT","side":"BUY"}]"#)], timestamp: EpochMillis(7))
        try SignatureVerifier(secretKey: DocVectors.secretKey).verify(query: signed.utf8, body: [UInt8]())
        try SignatureVerifier(secretKey: DocVectors.secretKey).verify(query: [UInt8](), body: signed.utf8)
    }
}
