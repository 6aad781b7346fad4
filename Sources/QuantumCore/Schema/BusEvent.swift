/// An entry of an audit stream (`reconcile.event`, `service.event`, `intent.rejected`, `marketstate`): the envelope
/// every message carries (`type`, `v`, `ts`) around the event's own fields.
///
/// One codec for every producer, so no service writes the envelope by hand and every reader checks it the same way.
public struct BusEvent: Hashable, Sendable {
    /// What an event is about: its `type` word.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case reconcile = "reconcile.event"
        case service = "service.event"
        case intentRejected = "intent.rejected"
        case marketState = "marketstate"
    }

    public var kind: Kind
    /// When it was written (`ts`).
    public var time: EpochMillis
    /// The event's own fields (no envelope).
    public var body: [String: String]

    public init(_ kind: Kind, at time: EpochMillis, _ body: [String: String]) {
        self.kind = kind
        self.time = time
        self.body = body
    }

    /// The stream fields: the body inside the envelope (the envelope wins over a body field of the same name).
    public var fields: [String: String] {
        body.merging(["type": kind.rawValue, "v": currentSchemaVersion, "ts": String(time.rawValue)]) { $1 }
    }

    /// Reads an entry: the envelope must name a known kind and this schema version.
    public init(fields: [String: String]) throws(MessageDecodingError) {
        let reader = FieldReader(fields)
        let word = try reader.string("type")
        guard let kind = Kind(rawValue: word) else {
            throw MessageDecodingError(.unknownType, field: "type", "'\(word.prefix(64))' is not an event type")
        }
        let version = try reader.string("v")
        guard version == currentSchemaVersion else {
            throw MessageDecodingError(.unsupportedVersion, field: "v", "version \(version.prefix(16)) is not \(currentSchemaVersion)")
        }
        self.kind = kind
        time = try reader.time("ts")
        body = fields.filter { !["type", "v", "ts"].contains($0.key) }
    }
}
