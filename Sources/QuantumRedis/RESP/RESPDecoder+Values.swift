import NIOCore

extension RESPDecoder {
    /// An aggregate whose elements are still arriving.
    struct Frame: Sendable {
        enum Kind: Sendable {
            case array, set, push, map, attribute

            init(_ type: UInt8) {
                switch type {
                case UInt8(ascii: "~"): self = .set
                case UInt8(ascii: ">"): self = .push
                case UInt8(ascii: "%"): self = .map
                case UInt8(ascii: "|"): self = .attribute
                default: self = .array
                }
            }
        }

        var kind: Kind
        var remaining: Int
        var elements: [RESPValue] = []

        /// The value this aggregate makes once full; nil for an attribute, which is dropped.
        func finished() -> RESPValue? {
            switch kind {
            case .array: return .array(elements)
            case .set: return .set(elements)
            case .push: return .push(elements)
            case .attribute: return nil
            case .map:
                return .map(stride(from: 0, to: elements.count, by: 2).map { (key: elements[$0], value: elements[$0 + 1]) })
            }
        }
    }

    /// A value whose whole content is its line.
    static func scalar(_ type: UInt8, _ line: String) throws -> RESPValue {
        switch type {
        case UInt8(ascii: "+"): return .simpleString(line)
        case UInt8(ascii: "-"): return .error(line)
        case UInt8(ascii: ":"):
            guard let value = RESPNumber.parse(Array(line.utf8)) else {
                throw RedisError(.protocolViolation, "bad integer \"\(line)\"")
            }
            return .integer(value)
        case UInt8(ascii: "_"):
            guard line.isEmpty else { throw RedisError(.protocolViolation, "null with content") }
            return .null
        case UInt8(ascii: "#"):
            switch line {
            case "t": return .boolean(true)
            case "f": return .boolean(false)
            default: throw RedisError(.protocolViolation, "bad boolean \"\(line)\"")
            }
        case UInt8(ascii: ","):
            guard let value = RESPNumber.double(line) else { throw RedisError(.protocolViolation, "bad double \"\(line)\"") }
            return .double(value)
        default:
            guard RESPNumber.isBigNumber(line) else { throw RedisError(.protocolViolation, "bad big number \"\(line)\"") }
            return .bigNumber(line)
        }
    }

    /// A value whose content is a length-prefixed payload.
    static func blob(_ type: UInt8, _ payload: ByteBuffer) throws -> RESPValue {
        switch type {
        case UInt8(ascii: "!"):
            return .error(String(buffer: payload))
        case UInt8(ascii: "="):
            guard payload.readableBytes >= 4, payload.getInteger(at: payload.readerIndex + 3, as: UInt8.self) == UInt8(ascii: ":")
            else { throw RedisError(.protocolViolation, "verbatim string without a format prefix") }
            let format = payload.getString(at: payload.readerIndex, length: 3) ?? ""
            return .verbatimString(format: format, payload.getSlice(at: payload.readerIndex + 4, length: payload.readableBytes - 4)!)
        default:
            return .bulkString(payload)
        }
    }
}
