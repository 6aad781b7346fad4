/// A Binance `newClientOrderId`: 1…36 characters of `[.A-Z:/a-z0-9_-]` (else Binance answers -4015).
public struct ClientOrderID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Every id this system creates starts with this, so its orders are recognisable on the exchange.
    public static let prefix = "qt-"

    public init?(rawValue: String) {
        guard (1...36).contains(rawValue.utf8.count), rawValue.utf8.allSatisfy(ClientOrderID.isAllowed) else { return nil }
        self.rawValue = rawValue
    }

    /// Whether this id was created by this system (recognising closes we did not send, invariant 6).
    public var isOurs: Bool { rawValue.hasPrefix(Self.prefix) }

    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    public var description: String { rawValue }
}
