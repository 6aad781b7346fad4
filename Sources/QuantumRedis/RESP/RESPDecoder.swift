import NIOCore

/// Decodes RESP2 and RESP3 replies incrementally, one complete value at a time.
///
/// Resumable: headers of arrays and maps are consumed as they arrive and partial aggregates kept on a stack,
/// so a large reply arriving in many reads is parsed once, not again from its start on every read. A scalar
/// (a line or a bulk string) is consumed only when all of its bytes are there. Limits from `Configuration`
/// are checked against the lengths a reply *claims* before waiting for its bytes, and nothing is reserved
/// from a claimed size, so a hostile or corrupt stream throws instead of exhausting memory.
/// Attributes (`|`) are read and dropped; RESP3 streamed strings and aggregates (`$?`, `*?`) are rejected.
public struct RESPDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    public typealias InboundOut = RESPValue

    /// Limits that bound what one reply may make the decoder hold.
    public struct Configuration: Sendable, Hashable {
        /// The longest bulk, blob error or verbatim string accepted, in bytes.
        public var maximumBulkLength: Int
        /// The most elements accepted in one array, set or push, and the most pairs in one map.
        public var maximumElementCount: Int
        /// The deepest nesting of aggregates accepted.
        public var maximumDepth: Int
        /// The longest header or simple line (`+`, `-`, `:`...) accepted, in bytes.
        public var maximumLineLength: Int

        /// Limits with defaults: 64 MiB bulks, 1 Mi elements, depth 64, 64 KiB lines.
        public init(
            maximumBulkLength: Int = 64 << 20,
            maximumElementCount: Int = 1 << 20,
            maximumDepth: Int = 64,
            maximumLineLength: Int = 64 << 10
        ) {
            self.maximumBulkLength = maximumBulkLength
            self.maximumElementCount = maximumElementCount
            self.maximumDepth = maximumDepth
            self.maximumLineLength = maximumLineLength
        }
    }

    /// The limits this decoder enforces.
    public let configuration: Configuration
    private var stack: [Frame] = []

    /// A decoder with no partial value.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// The next complete value, consuming its bytes; nil when more bytes are needed.
    ///
    /// Throws `RedisError` (`.protocolViolation` or `.replyTooLarge`) on malformed or oversized input; the
    /// decoder is then reset and the stream should be abandoned.
    public mutating func decode(buffer: inout ByteBuffer) throws -> RESPValue? {
        do {
            return try decodeValue(&buffer)
        } catch {
            stack.removeAll()
            throw error
        }
    }

    /// The same as `decode`: a partial reply at end of stream is left undecoded.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPValue? {
        try decode(buffer: &buffer)
    }

    /// Whether a value is partly decoded (some aggregate headers consumed, elements still missing).
    public var hasPartialValue: Bool { !stack.isEmpty }

    private mutating func decodeValue(_ buffer: inout ByteBuffer) throws -> RESPValue? {
        tokens: while true {
            guard let token = try readToken(&buffer) else { return nil }
            var completed: RESPValue
            switch token {
            case .value(let value):
                completed = value
            case .aggregate(let kind, let count):
                if count == 0 {
                    guard let value = Frame(kind: kind, remaining: 0).finished() else { continue tokens }
                    completed = value
                } else {
                    guard stack.count < configuration.maximumDepth else {
                        throw RedisError(.replyTooLarge, "reply nested deeper than \(configuration.maximumDepth)")
                    }
                    stack.append(Frame(kind: kind, remaining: kind == .map || kind == .attribute ? count * 2 : count))
                    continue tokens
                }
            }
            // Fold the completed value into the open aggregates, closing each one it fills.
            while let top = stack.indices.last {
                stack[top].elements.append(completed)
                stack[top].remaining -= 1
                if stack[top].remaining > 0 { continue tokens }
                guard let value = stack.removeLast().finished() else { continue tokens }  // an attribute: dropped
                completed = value
            }
            return completed
        }
    }

    private func readToken(_ buffer: inout ByteBuffer) throws -> Token? {
        guard let type = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        guard Self.knownTypes.contains(type) else {
            throw RedisError(.protocolViolation, "unknown RESP type byte 0x\(String(type, radix: 16))")
        }
        guard let lineEnd = try findLineEnd(in: buffer) else { return nil }
        let lineStart = buffer.readerIndex + 1
        let next = lineEnd + 2
        switch type {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ","), UInt8(ascii: "#"),
            UInt8(ascii: "_"), UInt8(ascii: ":"):
            let line = buffer.getString(at: lineStart, length: lineEnd - lineStart) ?? ""
            let value = try Self.scalar(type, line)
            buffer.moveReaderIndex(to: next)
            return .value(value)
        case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
            let length = try length(in: buffer, from: lineStart, to: lineEnd, nullable: type == UInt8(ascii: "$"))
            guard let length else {
                buffer.moveReaderIndex(to: next)
                return .value(.bulkString(nil))
            }
            guard length <= configuration.maximumBulkLength else {
                throw RedisError(.replyTooLarge, "bulk of \(length) bytes exceeds \(configuration.maximumBulkLength)")
            }
            guard buffer.writerIndex - next >= length + 2 else { return nil }
            guard buffer.getInteger(at: next + length, as: UInt16.self) == Self.crlf else {
                throw RedisError(.protocolViolation, "bulk string not terminated by CRLF")
            }
            let payload = buffer.getSlice(at: next, length: length)!
            let value = try Self.blob(type, payload)
            buffer.moveReaderIndex(to: next + length + 2)
            return .value(value)
        default:
            let count = try length(in: buffer, from: lineStart, to: lineEnd, nullable: type == UInt8(ascii: "*"))
            guard let count else {
                buffer.moveReaderIndex(to: next)
                return .value(.array(nil))
            }
            guard count <= configuration.maximumElementCount else {
                throw RedisError(.replyTooLarge, "aggregate of \(count) elements exceeds \(configuration.maximumElementCount)")
            }
            buffer.moveReaderIndex(to: next)
            return .aggregate(Frame.Kind(type), count)
        }
    }

    /// The index of the `\r` ending the line that starts at the reader index; nil if it has not fully arrived.
    private func findLineEnd(in buffer: ByteBuffer) throws -> Int? {
        let limit = configuration.maximumLineLength
        let offset: Int? = buffer.withUnsafeReadableBytes { bytes in
            bytes.dropFirst().prefix(limit + 1).firstIndex(of: UInt8(ascii: "\r"))
        }
        guard let offset else {
            guard buffer.readableBytes <= limit + 1 else {
                throw RedisError(.replyTooLarge, "line longer than \(limit) bytes")
            }
            return nil
        }
        guard offset - 1 <= limit else { throw RedisError(.replyTooLarge, "line longer than \(limit) bytes") }
        guard let newline = buffer.getInteger(at: buffer.readerIndex + offset + 1, as: UInt8.self) else { return nil }
        guard newline == UInt8(ascii: "\n") else { throw RedisError(.protocolViolation, "CR not followed by LF") }
        return buffer.readerIndex + offset
    }

    /// A length or count header: nil for -1 where `nullable`, else a non-negative integer.
    private func length(in buffer: ByteBuffer, from start: Int, to end: Int, nullable: Bool) throws -> Int? {
        let bytes = buffer.getBytes(at: start, length: end - start) ?? []
        guard let value = RESPNumber.parse(bytes), value >= -1 else {
            throw RedisError(.protocolViolation, "bad length \"\(String(decoding: bytes, as: UTF8.self))\"")
        }
        if value == -1 {
            guard nullable else { throw RedisError(.protocolViolation, "negative length") }
            return nil
        }
        guard let length = Int(exactly: value) else { throw RedisError(.replyTooLarge, "length \(value)") }
        return length
    }

    private static let crlf = UInt16(UInt8(ascii: "\r")) << 8 | UInt16(UInt8(ascii: "\n"))
    private static let knownTypes: Set<UInt8> = Set("+-:$*_,#(!=%~>|".utf8)
}

extension RESPDecoder {
    private enum Token {
        case value(RESPValue)
        case aggregate(Frame.Kind, Int)
    }
}
