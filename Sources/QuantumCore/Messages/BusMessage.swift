/// A typed message that travels as flat string fields on a stream (DESIGN.md §6).
///
/// Every entry carries `type`, `v` (schema version) and `ts` (creation time, ms), then the type's
/// own fields. Decoding is strict: the type and version must match, and every field is validated.
public protocol BusMessage: Hashable, Sendable {
    /// The value of the `type` field.
    static var messageType: MessageType { get }
    /// When the message was created.
    var createdAt: EpochMillis { get }
    /// Reads the type's own fields (the envelope is already checked).
    init(reading fields: FieldReader, createdAt: EpochMillis) throws(MessageDecodingError)
    /// Writes the type's own fields.
    func write(to writer: inout FieldWriter)
}

/// The message types on the bus; the `type` field's closed vocabulary.
public enum MessageType: String, Hashable, Sendable, CaseIterable {
    case tradeIntent = "trade.intent"
    case exitIntent = "exit.intent"
    case plan = "apply.plan"
    case result = "apply.result"
    case position = "position"
    case heartbeat = "heartbeat"
}

/// Reads the `type` field: absent → missing, unknown word → `unknownType`.
func readType(_ reader: FieldReader) throws(MessageDecodingError) -> MessageType {
    let raw = try reader.string("type")
    guard let type = MessageType(rawValue: raw) else {
        throw MessageDecodingError(.unknownType, field: "type", "'\(raw.prefix(64))' is not a known message type")
    }
    return type
}

/// The schema version written and read by this build.
public let currentSchemaVersion = "1"

extension BusMessage {
    /// The canonical flat encoding, envelope included.
    public func encoded() -> [String: String] {
        var writer = FieldWriter()
        write(to: &writer)
        writer.set("type", Self.messageType)
        writer.set("v", currentSchemaVersion)
        writer.set("ts", createdAt)
        return writer.fields
    }

    /// Decodes an entry that must be of this type.
    public static func decode(_ fields: [String: String]) throws(MessageDecodingError) -> Self {
        let reader = FieldReader(fields)
        let type = try readType(reader)
        guard type == messageType else {
            throw MessageDecodingError(.wrongType, field: "type", "expected \(messageType.rawValue), got \(type.rawValue)")
        }
        let version = try reader.string("v")
        guard version == currentSchemaVersion else {
            throw MessageDecodingError(.unsupportedVersion, field: "v", "version '\(version.prefix(16))' is not supported (reads \(currentSchemaVersion))")
        }
        return try Self(reading: reader, createdAt: try reader.time("ts"))
    }
}
