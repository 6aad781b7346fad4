/// The parts of a `redis://` or `rediss://` URL: where to connect and how to log in.
///
/// Form: `redis[s]://[[user][:password]@]host[:port][/db]`. User and password are percent-decoded; an IPv6
/// host goes in brackets (`redis://[::1]:6380`). `rediss` means TLS. Query parameters are not supported.
public struct RedisURL: Sendable, Hashable {
    /// The default Redis port, 6379.
    public static let defaultPort = 6379

    /// The host name or IP address (IPv6 without brackets).
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The ACL user name, if any.
    public var username: String?
    /// The password, if any.
    public var password: String?
    /// The database index to `SELECT`, if given.
    public var database: Int?
    /// Whether to use TLS (`rediss://`).
    public var tls: Bool

    /// Parses `string`; throws `RedisError` with code `.invalidURL` saying what is wrong.
    public init(_ string: String) throws {
        func fail(_ reason: String) -> RedisError { RedisError(.invalidURL, "\(reason) in \"\(Self.redacted(string))\"") }

        guard let schemeEnd = string.firstRange(of: "://") else { throw fail("missing scheme") }
        switch string[..<schemeEnd.lowerBound].lowercased() {
        case "redis": tls = false
        case "rediss": tls = true
        case let other: throw fail("unsupported scheme \"\(other)\" (expected redis or rediss)")
        }
        var rest = string[schemeEnd.upperBound...]
        if rest.contains("?") || rest.contains("#") { throw fail("query or fragment not supported") }

        // Path: "/db".
        database = nil
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let db = Int(path), db >= 0 else { throw fail("bad database \"\(path)\"") }
                database = db
            }
        }

        // User info: "user:password@", up to the last "@" so a raw "@" in a password still parses.
        username = nil
        password = nil
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let user: Substring
            if let colon = userInfo.firstIndex(of: ":") {
                user = userInfo[..<colon]
                guard let decoded = Self.percentDecoded(userInfo[userInfo.index(after: colon)...]) else {
                    throw fail("bad percent-encoding in password")
                }
                password = decoded
            } else {
                user = userInfo
            }
            guard let decodedUser = Self.percentDecoded(user) else { throw fail("bad percent-encoding in user") }
            username = decodedUser.isEmpty ? nil : decodedUser
        }

        // Host and port: "host", "host:port", "[v6]", "[v6]:port".
        let hostPart: Substring
        var portPart: Substring?
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else { throw fail("unclosed [ in host") }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw fail("unexpected text after ]") }
                portPart = after.dropFirst()
            }
        } else if let colon = rest.firstIndex(of: ":") {
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
        } else {
            hostPart = rest
        }
        guard !hostPart.isEmpty else { throw fail("missing host") }
        guard !hostPart.contains(where: { $0 == " " || $0 == "@" || $0 == "/" }) else { throw fail("bad host") }
        host = String(hostPart)
        port = Self.defaultPort
        if let portPart {
            guard let value = Int(portPart), (1...65535).contains(value) else { throw fail("bad port \"\(portPart)\"") }
            port = value
        }
    }

    /// A URL from its parts.
    public init(host: String, port: Int = defaultPort, username: String? = nil, password: String? = nil,
                database: Int? = nil, tls: Bool = false) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// The URL with any password replaced by `***`, for logs and error messages.
    static func redacted(_ string: String) -> String {
        guard let schemeEnd = string.firstRange(of: "://"), let at = string[schemeEnd.upperBound...].lastIndex(of: "@") else {
            return string
        }
        let userInfo = string[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return string }
        return String(string[..<colon]) + ":***" + String(string[at...])
    }

    /// `text` with `%XX` escapes decoded as UTF-8; nil on a malformed escape or invalid UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
