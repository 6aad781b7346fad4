/// An API key and its HMAC secret, as the simulator issues them to a client.
public struct APICredential: Hashable, Sendable {
    /// The public key sent in `X-MBX-APIKEY` (case-sensitive).
    public var apiKey: String
    /// The secret the HMAC-SHA256 signature is keyed with (case-sensitive).
    public var secretKey: String

    public init(apiKey: String, secretKey: String) {
        self.apiKey = apiKey
        self.secretKey = secretKey
    }

    /// Whether `key` has the shape of an API key: 1–128 ASCII letters, digits, `-` or `_`.
    ///
    /// Binance's own keys are 64 alphanumerics; the simulator also admits readable keys such as
    /// `sim-key-1`. Anything else (spaces, quotes, non-ASCII, empty) is `-2014`, not `-2015`.
    public static func isWellFormedKey(_ key: String) -> Bool {
        let utf8 = key.utf8
        return !utf8.isEmpty && utf8.count <= 128 && utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
    }
}
