/// Any bus message, decoded by its `type` field: how a consumer that reads mixed entries dispatches.
public enum AnyMessage: Hashable, Sendable {
    case tradeIntent(TradeIntent)
    case exitIntent(ExitIntent)
    case plan(Plan)
    case result(ApplyResult)
    case position(PositionRecord)
    case heartbeat(Heartbeat)

    /// Decodes any known message; unknown types and malformed fields are typed errors.
    public static func decode(_ fields: [String: String]) throws(MessageDecodingError) -> AnyMessage {
        switch try readType(FieldReader(fields)) {
        case .tradeIntent: .tradeIntent(try TradeIntent.decode(fields))
        case .exitIntent: .exitIntent(try ExitIntent.decode(fields))
        case .plan: .plan(try Plan.decode(fields))
        case .result: .result(try ApplyResult.decode(fields))
        case .position: .position(try PositionRecord.decode(fields))
        case .heartbeat: .heartbeat(try Heartbeat.decode(fields))
        }
    }

    /// The canonical encoding of the wrapped message.
    public func encoded() -> [String: String] {
        switch self {
        case .tradeIntent(let m): m.encoded()
        case .exitIntent(let m): m.encoded()
        case .plan(let m): m.encoded()
        case .result(let m): m.encoded()
        case .position(let m): m.encoded()
        case .heartbeat(let m): m.encoded()
        }
    }
}
