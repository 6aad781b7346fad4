import NIOCore

/// Writes commands (and, for tests and fakes, any value) in the RESP wire format.
public struct RESPEncoder: Sendable {
    /// An encoder; it holds no state.
    public init() {}

    /// Appends `command` as an array of bulk strings: `*N\r\n$len\r\narg\r\n...`.
    public func encode(_ command: RedisCommand, into buffer: inout ByteBuffer) {
        writeHeader(UInt8(ascii: "*"), command.arguments.count + 1, into: &buffer)
        writeBulk(utf8: command.name, into: &buffer)
        for argument in command.arguments {
            switch argument.storage {
            case .string(let text): writeBulk(utf8: text, into: &buffer)
            case .integer(let value): writeBulk(utf8: String(value), into: &buffer)
            case .bytes(let bytes):
                writeHeader(UInt8(ascii: "$"), bytes.readableBytes, into: &buffer)
                buffer.writeImmutableBuffer(bytes)
                buffer.writeStaticString("\r\n")
            }
        }
    }

    /// Appends `value` in RESP3 form (RESP2 forms for `bulkString(nil)` and `array(nil)`).
    ///
    /// The client never sends values, only commands; this serves tests and fake servers.
    public func encode(_ value: RESPValue, into buffer: inout ByteBuffer) {
        switch value {
        case .simpleString(let text): writeLine(UInt8(ascii: "+"), text, into: &buffer)
        case .error(let text): writeLine(UInt8(ascii: "-"), text, into: &buffer)
        case .integer(let number): writeLine(UInt8(ascii: ":"), String(number), into: &buffer)
        case .bulkString(nil): buffer.writeStaticString("$-1\r\n")
        case .bulkString(let bytes?):
            writeHeader(UInt8(ascii: "$"), bytes.readableBytes, into: &buffer)
            buffer.writeImmutableBuffer(bytes)
            buffer.writeStaticString("\r\n")
        case .array(nil): buffer.writeStaticString("*-1\r\n")
        case .array(let values?): writeAggregate(UInt8(ascii: "*"), values, into: &buffer)
        case .null: buffer.writeStaticString("_\r\n")
        case .double(let number): writeLine(UInt8(ascii: ","), Self.text(of: number), into: &buffer)
        case .boolean(let flag): buffer.writeStaticString(flag ? "#t\r\n" : "#f\r\n")
        case .bigNumber(let digits): writeLine(UInt8(ascii: "("), digits, into: &buffer)
        case .verbatimString(let format, let bytes):
            writeHeader(UInt8(ascii: "="), format.utf8.count + 1 + bytes.readableBytes, into: &buffer)
            buffer.writeString(format)
            buffer.writeInteger(UInt8(ascii: ":"))
            buffer.writeImmutableBuffer(bytes)
            buffer.writeStaticString("\r\n")
        case .map(let pairs):
            writeHeader(UInt8(ascii: "%"), pairs.count, into: &buffer)
            for pair in pairs {
                encode(pair.key, into: &buffer)
                encode(pair.value, into: &buffer)
            }
        case .set(let values): writeAggregate(UInt8(ascii: "~"), values, into: &buffer)
        case .push(let values): writeAggregate(UInt8(ascii: ">"), values, into: &buffer)
        }
    }

    /// The RESP3 spelling of a double: `inf`, `-inf`, `nan`, else Swift's shortest round-tripping form.
    static func text(of number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return String(number)
    }

    private func writeAggregate(_ type: UInt8, _ values: [RESPValue], into buffer: inout ByteBuffer) {
        writeHeader(type, values.count, into: &buffer)
        for value in values { encode(value, into: &buffer) }
    }

    private func writeBulk(utf8 text: String, into buffer: inout ByteBuffer) {
        writeHeader(UInt8(ascii: "$"), text.utf8.count, into: &buffer)
        buffer.writeString(text)
        buffer.writeStaticString("\r\n")
    }

    private func writeHeader(_ type: UInt8, _ count: Int, into buffer: inout ByteBuffer) {
        writeLine(type, String(count), into: &buffer)
    }

    private func writeLine(_ type: UInt8, _ text: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(type)
        buffer.writeString(text)
        buffer.writeStaticString("\r\n")
    }
}
