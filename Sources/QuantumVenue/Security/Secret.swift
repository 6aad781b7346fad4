/// A credential that never shows itself: description, debug description and reflection all say
/// `‹redacted›`, so a secret in a log line, an error or a `dump` cannot leak (issue 4 §7).
public struct Secret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The text; read only where it is used (the signer, the API-key header).
    public let revealed: String

    public init(_ value: String) { revealed = value }

    public var isEmpty: Bool { revealed.isEmpty }

    public var description: String { "‹redacted›" }
    public var debugDescription: String { "‹redacted›" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// A fingerprint safe to log: the first 4 characters and the length (`dbef…(64)`); only the
    /// length for values shorter than 16 characters, where 4 characters would be too much of it.
    public var hint: String {
        revealed.count < 16 ? "…(\(revealed.count))" : "\(revealed.prefix(4))…(\(revealed.count))"
    }
}
