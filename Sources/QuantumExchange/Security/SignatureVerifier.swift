import QuantumCore
import QuantumVenue
import Crypto
import Foundation
import QuantumSim

/// Checks a request's HMAC-SHA256 `signature` against one secret, over the exact bytes received.
///
/// Binance signs `totalParams` = raw query string followed directly by the raw body (no `&` in
/// between), without the trailing `&signature=…`. Nothing is re-ordered or re-encoded before hashing,
/// so every client's parameter order verifies (python-binance sorted, ccxt timestamp-first, the
/// connector's everything-in-query). The compare is constant-time.
public struct SignatureVerifier: Sendable {
    /// The bytes a signature covers and the signature text that came with them.
    public struct SignedPayload: Hashable, Sendable {
        /// Query string + body, minus the `signature` parameter.
        public var message: [UInt8]
        /// The `signature` value as sent (percent-decoded), hex in either case.
        public var signature: String
    }

    private let key: SymmetricKey

    public init(secretKey: String) {
        key = SymmetricKey(data: Array(secretKey.utf8))
    }

    /// Splits query and body into the signed message and the signature, or `nil` when `signature`
    /// is not the last parameter of the request (the body's last if there is a body, else the query's).
    public static func signedPayload(query: some Collection<UInt8>, body: some Collection<UInt8>) -> SignedPayload? {
        let queryBytes = Array(query)
        let bodyBytes = Array(body)
        let carrier = bodyBytes.isEmpty ? queryBytes : bodyBytes
        let ampersand = carrier.lastIndex(of: UInt8(ascii: "&"))
        let last = carrier[(ampersand.map { $0 + 1 } ?? 0)...]
        let prefix = Array("signature=".utf8)
        guard last.starts(with: prefix) else { return nil }
        let signature = FormURLEncoding.decode(last.dropFirst(prefix.count))
        let kept = carrier[..<(ampersand ?? 0)]
        return SignedPayload(message: bodyBytes.isEmpty ? Array(kept) : queryBytes + kept, signature: signature)
    }

    /// Verifies the request's signature; `-1022` if it is wrong, malformed or not the last parameter.
    public func verify(_ request: BinanceRequest) throws(ExchangeError) {
        try verify(query: request.query.utf8, body: request.body)
    }

    /// Verifies a signature carried in raw query and body bytes; `-1022` if it does not hold.
    public func verify(query: some Collection<UInt8>, body: some Collection<UInt8>) throws(ExchangeError) {
        guard let payload = Self.signedPayload(query: query, body: body),
              isValid(signature: payload.signature, for: payload.message)
        else { throw EdgeErrors.invalidSignature }
    }

    /// Whether `signature` (64 hex digits, either case) is the HMAC-SHA256 of `message`.
    public func isValid(signature: String, for message: [UInt8]) -> Bool {
        guard let code = Hex.decode(signature), code.count == SHA256.byteCount else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: message, using: key)
    }
}
