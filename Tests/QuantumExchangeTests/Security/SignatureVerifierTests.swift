import QuantumVenue
import Crypto
import QuantumExchange
import Testing

@Suite(.timeLimit(.minutes(3))) struct SignatureVerifierTests {
    let verifier = SignatureVerifier(secretKey: DocVectors.secretKey)

    @Test(arguments: DocVectors.all)
    func acceptsEveryDocumentedVector(message: String, signature: String) {
        #expect(verifier.isValid(signature: signature, for: Array(message.utf8)))
        #expect(verifier.isValid(signature: signature.uppercased(), for: Array(message.utf8)))
    }

    @Test func rfc4231Case2() {
        let verifier = SignatureVerifier(secretKey: "Jefe")
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        #expect(verifier.isValid(signature: expected, for: Array("what do ya want for nothing?".utf8)))
        #expect(RequestSigner(secretKey: "Jefe").signature(for: "what do ya want for nothing?") == expected)
    }

    @Test func vectorOneVerifiesAsQueryAndAsBody() throws {
        let signed = "\(DocVectors.message1)&signature=\(DocVectors.signature1)"
        try verifier.verify(query: signed.utf8, body: [UInt8]())
        try verifier.verify(query: [UInt8](), body: signed.utf8)
    }

    @Test func vectorThreeVerifiesMixedWithNothingBetweenQueryAndBody() throws {
        try verifier.verify(query: DocVectors.query3.utf8, body: "\(DocVectors.body3)&signature=\(DocVectors.signature3)".utf8)
        // The same parameters signed as if joined with `&` are not what Binance signs.
        let joined = RequestSigner(secretKey: DocVectors.secretKey).signature(for: DocVectors.query3 + "&" + DocVectors.body3)
        #expect(thrown { try verifier.verify(query: DocVectors.query3.utf8, body: "\(DocVectors.body3)&signature=\(joined)".utf8) }?.code == -1022)
    }

    @Test func signatureAloneInTheBodyCoversTheQuery() throws {
        try verifier.verify(query: DocVectors.message1.utf8, body: "signature=\(DocVectors.signature1)".utf8)
    }

    @Test func tamperingAnyByteFails() {
        let query = Array(DocVectors.query3.utf8)
        let body = Array("\(DocVectors.body3)&signature=\(DocVectors.signature3)".utf8)
        for index in query.indices {
            var tampered = query
            tampered[index] = tampered[index] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
            #expect(thrown { try verifier.verify(query: tampered, body: body) }?.code == -1022, "query byte \(index)")
        }
        for index in body.indices {
            var tampered = body
            tampered[index] = tampered[index] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
            #expect(thrown { try verifier.verify(query: query, body: tampered) }?.code == -1022, "body byte \(index)")
        }
        #expect(thrown { try verifier.verify(query: query + [UInt8(ascii: "&")], body: body) }?.code == -1022)
    }

    @Test func signatureMustBeTheLastParameter() {
        let first = "signature=\(DocVectors.signature1)&\(DocVectors.message1)"
        #expect(thrown { try verifier.verify(query: first.utf8, body: [UInt8]()) }?.code == -1022)
        let trailing = "\(DocVectors.message1)&signature=\(DocVectors.signature1)&"
        #expect(thrown { try verifier.verify(query: trailing.utf8, body: [UInt8]()) }?.code == -1022)
        // In the query while a body follows: not last of query + body.
        let inQuery = "\(DocVectors.query3)&signature=\(DocVectors.signature3)"
        #expect(thrown { try verifier.verify(query: inQuery.utf8, body: DocVectors.body3.utf8) }?.code == -1022)
        #expect(SignatureVerifier.signedPayload(query: DocVectors.message1.utf8, body: [UInt8]()) == nil)
    }

    @Test(arguments: ["", "zz", "3c66", String(repeating: "g", count: 64), DocVectors.signature1 + "00"])
    func malformedSignaturesFail(signature: String) {
        #expect(!verifier.isValid(signature: signature, for: Array(DocVectors.message1.utf8)))
    }

    @Test func wrongSecretFails() {
        let other = SignatureVerifier(secretKey: DocVectors.secretKey.uppercased())
        #expect(!other.isValid(signature: DocVectors.signature1, for: Array(DocVectors.message1.utf8)))
    }
}
