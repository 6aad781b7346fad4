import NIOCore
import QuantumRedis
import Testing

/// One wire form and the value it decodes to.
struct DecoderCase: Sendable, CustomTestStringConvertible {
    var wire: [UInt8]
    var value: RESPValue

    init(_ wire: String, _ value: RESPValue) {
        self.wire = Array(wire.utf8)
        self.value = value
    }

    var testDescription: String { String(decoding: wire.prefix(40), as: UTF8.self).debugDescription }

    static func bulk(_ text: String) -> RESPValue { .bulkString(ByteBuffer(string: text)) }

    static let all: [DecoderCase] = [
        DecoderCase("+OK\r\n", .simpleString("OK")),
        DecoderCase("+\r\n", .simpleString("")),
        DecoderCase("-ERR unknown command\r\n", .error("ERR unknown command")),
        DecoderCase(":0\r\n", .integer(0)),
        DecoderCase(":-9223372036854775808\r\n", .integer(.min)),
        DecoderCase(":9223372036854775807\r\n", .integer(.max)),
        DecoderCase("$5\r\nhello\r\n", bulk("hello")),
        DecoderCase("$0\r\n\r\n", bulk("")),
        DecoderCase("$4\r\n\r\n\r\n\r\n", bulk("\r\n\r\n")),
        DecoderCase("$-1\r\n", .bulkString(nil)),
        DecoderCase("*0\r\n", .array([])),
        DecoderCase("*-1\r\n", .array(nil)),
        DecoderCase("*3\r\n$1\r\na\r\n:1\r\n*-1\r\n", .array([bulk("a"), .integer(1), .array(nil)])),
        DecoderCase("_\r\n", .null),
        DecoderCase(",3.25\r\n", .double(3.25)),
        DecoderCase(",-1.5e-3\r\n", .double(-0.0015)),
        DecoderCase(",inf\r\n", .double(.infinity)),
        DecoderCase(",-inf\r\n", .double(-.infinity)),
        DecoderCase(",nan\r\n", .double(.nan)),
        DecoderCase("#t\r\n", .boolean(true)),
        DecoderCase("#f\r\n", .boolean(false)),
        DecoderCase("(3492890328409238509324850943850943825024385\r\n", .bigNumber("3492890328409238509324850943850943825024385")),
        DecoderCase("!21\r\nSYNTAX invalid syntax\r\n", .error("SYNTAX invalid syntax")),
        DecoderCase("=15\r\ntxt:Some string\r\n", .verbatimString(format: "txt", ByteBuffer(string: "Some string"))),
        DecoderCase("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", .map([(.simpleString("first"), .integer(1)), (.simpleString("second"), .integer(2))])),
        DecoderCase("%0\r\n", .map([])),
        DecoderCase("~3\r\n+a\r\n+b\r\n:3\r\n", .set([.simpleString("a"), .simpleString("b"), .integer(3)])),
        DecoderCase(">2\r\n+invalidate\r\n*1\r\n$3\r\nkey\r\n", .push([.simpleString("invalidate"), .array([bulk("key")])])),
        // An attribute before a value is read and dropped, at the top level and inside an aggregate.
        DecoderCase(
            "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
            .array([.integer(2_039_123), .integer(9_543_892)])
        ),
        DecoderCase("*2\r\n|1\r\n+ttl\r\n:3600\r\n:1\r\n|0\r\n:2\r\n", .array([.integer(1), .integer(2)])),
        DecoderCase(
            "*2\r\n*1\r\n%1\r\n+k\r\n~1\r\n:1\r\n$3\r\nabc\r\n",
            .array([.array([.map([(.simpleString("k"), .set([.integer(1)]))])]), bulk("abc")])
        ),
    ]
}

@Suite("RESP decoder", .timeLimit(.minutes(3)))
struct RESPDecoderTests {
    @Test("each type decodes whole", arguments: DecoderCase.all)
    func whole(_ example: DecoderCase) throws {
        var decoder = RESPDecoder()
        var buffer = ByteBuffer(bytes: example.wire)
        #expect(try decoder.decode(buffer: &buffer) == example.value)
        #expect(buffer.readableBytes == 0)
        #expect(!decoder.hasPartialValue)
    }

    @Test("fed byte by byte, nothing until the last byte", arguments: DecoderCase.all)
    func byteByByte(_ example: DecoderCase) throws {
        var decoder = RESPDecoder()
        var buffer = ByteBuffer()
        for (index, byte) in example.wire.enumerated() {
            buffer.writeInteger(byte)
            let value = try decoder.decode(buffer: &buffer)
            if index < example.wire.count - 1 {
                #expect(value == nil, "decoded early at byte \(index)")
            } else {
                #expect(value == example.value)
            }
        }
        #expect(buffer.readableBytes == 0)
    }

    @Test("split in two at every boundary", arguments: DecoderCase.all)
    func everySplit(_ example: DecoderCase) throws {
        for split in 1..<example.wire.count {
            var decoder = RESPDecoder()
            var buffer = ByteBuffer(bytes: example.wire[..<split])
            #expect(try decoder.decode(buffer: &buffer) == nil)
            buffer.writeBytes(example.wire[split...])
            #expect(try decoder.decode(buffer: &buffer) == example.value, "split at \(split)")
        }
    }

    @Test("back-to-back replies decode one at a time, in order")
    func sequence() throws {
        var decoder = RESPDecoder()
        var buffer = ByteBuffer(bytes: DecoderCase.all.flatMap(\.wire))
        for example in DecoderCase.all {
            #expect(try decoder.decode(buffer: &buffer) == example.value)
        }
        #expect(try decoder.decode(buffer: &buffer) == nil)
    }

    @Test(
        "malformed input throws protocolViolation",
        arguments: [
            "?x\r\n", "$-2\r\n", "*-2\r\n", "%-1\r\n", ":abc\r\n", ":\r\n", ":1.5\r\n", ":9223372036854775808\r\n",
            "$3\r\nabcXY", "$x\r\n", "$?\r\n", "*?\r\n", "#x\r\n", "_x\r\n", ",\r\n", ",0x1p3\r\n", ",infinity\r\n",
            "(12a\r\n", "(\r\n", "=2\r\nab\r\n", "=4\r\ntxt-\r\n", "+OK\rX", "\r\n",
        ]
    )
    func malformed(_ wire: String) {
        var decoder = RESPDecoder()
        var buffer = ByteBuffer(string: wire)
        let error = #expect(throws: RedisError.self) { _ = try decoder.decode(buffer: &buffer) }
        #expect(error?.code == .protocolViolation, "\(error.map(String.init(describing:)) ?? "")")
    }

    @Test("claimed sizes beyond the limits throw replyTooLarge before any payload arrives")
    func limits() throws {
        let limits = RESPDecoder.Configuration(maximumBulkLength: 1024, maximumElementCount: 16, maximumDepth: 4, maximumLineLength: 32)
        for wire in [
            "$1025\r\n", "$9223372036854775807\r\n", "!2000\r\n", "=2000\r\n", "*17\r\n", "%17\r\n", "~100000000000\r\n",
            ">17\r\n", "|17\r\n", "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n", "+" + String(repeating: "a", count: 40), ":" + String(repeating: "1", count: 40) + "\r\n",
        ] {
            var decoder = RESPDecoder(configuration: limits)
            var buffer = ByteBuffer(string: wire)
            let error = #expect(throws: RedisError.self, "\(wire.prefix(20))") { _ = try decoder.decode(buffer: &buffer) }
            #expect(error?.code == .replyTooLarge, "\(wire.prefix(20)): \(error.map(String.init(describing:)) ?? "")")
        }
        // Exactly at the limits is fine.
        var decoder = RESPDecoder(configuration: limits)
        var buffer = ByteBuffer(string: "*1\r\n*1\r\n*1\r\n*1\r\n$1024\r\n" + String(repeating: "x", count: 1024) + "\r\n")
        #expect(try decoder.decode(buffer: &buffer) != nil)
    }

    @Test("the default depth limit is 64")
    func defaultDepth() throws {
        var decoder = RESPDecoder()
        var deep = ByteBuffer(string: String(repeating: "*1\r\n", count: 64) + ":1\r\n")
        var value = try #require(try decoder.decode(buffer: &deep))
        for _ in 0..<64 { value = try #require(value.array?.first) }
        #expect(value == .integer(1))
        var tooDeep = ByteBuffer(string: String(repeating: "*1\r\n", count: 65) + ":1\r\n")
        let error = #expect(throws: RedisError.self) { _ = try decoder.decode(buffer: &tooDeep) }
        #expect(error?.code == .replyTooLarge)
    }

    @Test("a decoder resets after an error")
    func resetsAfterError() throws {
        var decoder = RESPDecoder()
        var bad = ByteBuffer(string: "*2\r\n:1\r\n?")
        #expect(throws: RedisError.self) { _ = try decoder.decode(buffer: &bad) }
        #expect(!decoder.hasPartialValue)
        var good = ByteBuffer(string: ":7\r\n")
        #expect(try decoder.decode(buffer: &good) == .integer(7))
    }
}
