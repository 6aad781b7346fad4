/// How a dead letter is written on the dead-letter stream.
///
/// A dead-letter entry carries every field of the original entry plus these fields, so a consumer
/// of the dead-letter stream sees both the payload and why it was rejected.
extension DeadLetter {
    /// Field holding the reason the entry was dead-lettered.
    public static let reasonField = "deadletter.reason"
    /// Field holding the original entry id.
    public static let originalIDField = "deadletter.original_id"
    /// Field holding the original stream.
    public static let streamField = "deadletter.stream"
    /// Field holding the consumer group that gave up on the entry.
    public static let groupField = "deadletter.group"
    /// Field holding how many times the entry had been delivered.
    public static let deliveryCountField = "deadletter.delivery_count"

    /// The fields of the dead-letter entry for `original`.
    public func entryFields(original: [String: String]) -> [String: String] {
        var fields = original
        fields[Self.reasonField] = reason
        fields[Self.originalIDField] = originalID.description
        fields[Self.streamField] = stream
        fields[Self.groupField] = group
        fields[Self.deliveryCountField] = String(deliveryCount)
        return fields
    }

    /// Reads the dead-letter description back from an entry of a dead-letter stream; `nil` if it is not one.
    public init?(fields: [String: String]) {
        guard let reason = fields[Self.reasonField],
              let idText = fields[Self.originalIDField], let originalID = EntryID(idText),
              let stream = fields[Self.streamField], let group = fields[Self.groupField],
              let countText = fields[Self.deliveryCountField], let deliveryCount = Int(countText)
        else { return nil }
        self.init(originalID: originalID, stream: stream, group: group, reason: reason, deliveryCount: deliveryCount)
    }
}
