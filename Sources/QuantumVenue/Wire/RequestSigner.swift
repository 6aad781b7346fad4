import Crypto
import Foundation
import QuantumCore

/// Signs requests the way Binance clients do: `signature` = lower-case hex HMAC-SHA256 of the exact
/// query string (and body) sent, appended as the last parameter.
///
/// The client side of `SignatureVerifier`; the Binance adapter and the tests' clients use it.
public struct RequestSigner: Sendable {
    private let key: SymmetricKey

    public init(secretKey: String) {
        key = SymmetricKey(data: Array(secretKey.utf8))
    }

    /// The hex signature of `message`'s bytes.
    public func signature(for message: String) -> String {
        signature(forBytes: Array(message.utf8))
    }

    /// The hex signature of a mixed request: `query` followed directly by `body` (no `&` between).
    public func signature(query: String, body: String) -> String {
        signature(forBytes: Array(query.utf8) + Array(body.utf8))
    }

    /// The hex signature of raw bytes.
    public func signature(forBytes message: [UInt8]) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }

    /// `unsigned` with `&signature=<hex>` appended (just `signature=<hex>` when it is empty).
    public func signed(_ unsigned: String) -> String {
        let separator = unsigned.isEmpty ? "" : "&"
        return "\(unsigned)\(separator)signature=\(signature(for: unsigned))"
    }

    /// A signed parameter string: `parameters` percent-encoded in the caller's order, then
    /// `recvWindow` (if given) and `timestamp`, then `signature`.
    ///
    /// Send it as the query string, or as an `application/x-www-form-urlencoded` body; either way
    /// its bytes must go out unchanged.
    public func signedParameters(
        _ parameters: [(name: String, value: String)], timestamp: EpochMillis, recvWindow: Int64? = nil
    ) -> String {
        var fields = parameters
        if let recvWindow { fields.append(("recvWindow", String(recvWindow))) }
        fields.append(("timestamp", String(timestamp.rawValue)))
        return signed(FormURLEncoding.encode(fields))
    }
}
