import Foundation
import QuantumCore
import QuantumVenue

/// One WebSocket connection's protocol state: its layout (raw or combined), its subscriptions, and
/// the replies to SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY.
///
/// Pure: the server feeds it frames and events and writes what it returns. Every URL layout of the
/// reference's §7.1 maps onto it: `/ws`, `/ws/<stream>`, `/stream?streams=a/b`, `/stream`, the
/// `/public`, `/market` and `/private` prefixes, `?listenKey=` and a listen key as a stream name.
public struct StreamSession: Sendable {
    /// Whether payloads are wrapped `{"stream":…,"data":…}`.
    public private(set) var combined: Bool
    /// The subscribed streams.
    public private(set) var subscriptions: Set<StreamName> = []
    /// Binance's limit of streams per connection.
    public static let maxStreams = 1_024

    /// A session for a connection's path and query; `nil` (HTTP 404) for a path that is not a stream endpoint.
    public init?(path: String, query: String) {
        var path = path
        for prefix in ["/public", "/market", "/private"] where path.hasPrefix(prefix + "/") {
            path.removeFirst(prefix.count)
            break
        }
        var streams: [String] = []
        let fields = FormURLEncoding.fields(of: query.utf8)
        if path == "/ws" || path == "/ws/" {
            combined = false
        } else if path.hasPrefix("/ws/") {
            combined = false
            streams = path.dropFirst(4).split(separator: "/").map(String.init)
        } else if path == "/stream" || path == "/stream/" {
            combined = true
            if let list = fields.first(where: { $0.name == "streams" })?.value { streams = list.split(separator: "/").map(String.init) }
        } else {
            return nil
        }
        if let key = fields.first(where: { $0.name == "listenKey" })?.value { streams.append(key) }
        for text in streams {
            guard let name = StreamName(text) else { return nil }
            subscriptions.insert(name)
        }
    }

    /// The frame for an event, if this connection subscribed to its stream.
    public func frame(for event: StreamEvent) -> String? {
        guard subscriptions.contains(event.stream) else { return nil }
        return wrap(event)
    }

    /// The frame for an event the connection is known to want (combined: wrapped with the stream name).
    public func wrap(_ event: StreamEvent) -> String {
        combined ? JSONValue.object([.init("stream", .string(event.stream.description)), .init("data", event.payload)]).text : event.payload.text
    }

    /// Handles a text frame from the client; returns the reply frame.
    public mutating func receive(_ text: String) -> String {
        guard let request = try? JSONDecoder().decode(ControlMessage.self, from: Data(text.utf8)) else {
            return Self.failure(code: 3, "Invalid JSON: expected {\"method\":…,\"params\":[…],\"id\":…}", id: .null)
        }
        let id = request.id?.json ?? .null
        guard let method = request.method else { return Self.failure(code: 2, "Invalid request: method is missing", id: id) }
        let params = request.params ?? []
        switch method {
        case "SUBSCRIBE", "UNSUBSCRIBE":
            var names: [StreamName] = []
            for param in params {
                guard case .string(let text) = param, let name = StreamName(text) else {
                    return Self.failure(code: 2, "Invalid request: unknown stream \(param)", id: id)
                }
                names.append(name)
            }
            if method == "SUBSCRIBE" {
                guard subscriptions.union(names).count <= Self.maxStreams else {
                    return Self.failure(code: 2, "Invalid request: more than \(Self.maxStreams) streams", id: id)
                }
                subscriptions.formUnion(names)
            } else {
                subscriptions.subtract(names)
            }
            return JSONValue.object([.init("result", .null), .init("id", id)]).text
        case "LIST_SUBSCRIPTIONS":
            let names = subscriptions.map(\.description).sorted().map(JSONValue.string)
            return JSONValue.object([.init("result", .array(names)), .init("id", id)]).text
        case "SET_PROPERTY":
            guard params.count == 2, params[0] == .string("combined"), case .bool(let value) = params[1] else {
                return Self.failure(code: 2, "Invalid request: SET_PROPERTY takes [\"combined\", true|false]", id: id)
            }
            combined = value
            return JSONValue.object([.init("result", .null), .init("id", id)]).text
        case "GET_PROPERTY":
            guard params == [.string("combined")] else {
                return Self.failure(code: 2, "Invalid request: GET_PROPERTY takes [\"combined\"]", id: id)
            }
            return JSONValue.object([.init("result", .bool(combined)), .init("id", id)]).text
        default:
            return Self.failure(code: 2, "Invalid request: unknown method \(method)", id: id)
        }
    }

    /// The listen keys this connection listens to.
    public var listenKeys: [String] {
        subscriptions.compactMap { if case .userData(let key) = $0 { key } else { nil } }.sorted()
    }

    static func failure(code: Int64, _ message: String, id: JSONValue) -> String {
        JSONValue.object([.init("code", .integer(code)), .init("msg", .string(message)), .init("id", id)]).text
    }
}

/// A control frame from a client: `{"method":…,"params":[…],"id":…}`.
struct ControlMessage: Decodable {
    /// A parameter: stream names are strings, SET_PROPERTY takes a boolean.
    enum Parameter: Decodable, Equatable, CustomStringConvertible {
        case string(String)
        case bool(Bool)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .string(text) }
            else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
            else { self = .other }
        }

        var description: String {
            switch self {
            case .string(let text): text
            case .bool(let flag): String(flag)
            case .other: "(not a string)"
            }
        }
    }

    /// The request id: an unsigned integer, or a string some clients send.
    enum Identifier: Decodable {
        case number(Int64)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int64.self) { self = .number(number) }
            else { self = .text(try container.decode(String.self)) }
        }

        var json: JSONValue {
            switch self {
            case .number(let number): .integer(number)
            case .text(let text): .string(text)
            }
        }
    }

    var method: String?
    var params: [Parameter]?
    var id: Identifier?
}
