import NIOCore
import QuantumRedis
import Testing

@Suite("RESP encoder", .timeLimit(.minutes(3)))
struct RESPEncoderTests {
    private func bytes(_ command: RedisCommand) -> String {
        var buffer = ByteBuffer()
        RESPEncoder().encode(command, into: &buffer)
        return String(buffer: buffer)
    }

    @Test("a command is an array of bulk strings, name first")
    func command() {
        #expect(bytes(RedisCommand("SET", ["key", "value"])) == "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")
        #expect(bytes(RedisCommand("PING")) == "*1\r\n$4\r\nPING\r\n")
    }

    @Test("integers go as decimal bulk strings, bytes as they are, lengths count UTF-8 bytes")
    func argumentKinds() {
        let raw = ByteBuffer(bytes: [0x00, 0x0D, 0x0A, 0xFF])
        #expect(bytes(RedisCommand("X", [42, -7, "é", ""])) == "*5\r\n$1\r\nX\r\n$2\r\n42\r\n$2\r\n-7\r\n$2\r\né\r\n$0\r\n\r\n")
        var buffer = ByteBuffer()
        RESPEncoder().encode(RedisCommand("X", [.bytes(raw)]), into: &buffer)
        #expect(Array(buffer.readableBytesView) == Array("*2\r\n$1\r\nX\r\n$4\r\n".utf8) + [0x00, 0x0D, 0x0A, 0xFF] + [0x0D, 0x0A])
    }

    @Test("helpers build the documented argument order")
    func helpers() {
        #expect(RedisCommand.set("k", value: "v", condition: .ifNotExists, expiry: .milliseconds(1500)).description == "SET k v NX PX 1500")
        #expect(RedisCommand.xadd("s", fields: [("a", "1")], trim: .maxLength(1000)).description == "XADD s MAXLEN ~ 1000 * a 1")
        #expect(
            RedisCommand.xreadgroup(group: "g", consumer: "c", streams: [("s", ">")], count: 10, block: .milliseconds(250))
                .description == "XREADGROUP GROUP g c COUNT 10 BLOCK 250 STREAMS s >"
        )
        #expect(RedisCommand.xpending("s", group: "g", idle: .seconds(5), count: 10).description == "XPENDING s g IDLE 5000 - + 10")
        #expect(RedisCommand.xautoclaim("s", group: "g", consumer: "c", minIdle: .seconds(1), count: 5).description
            == "XAUTOCLAIM s g c 1000 0-0 COUNT 5")
        #expect(RedisCommand.xtrim("s", .minID("5-0", approximate: false, limit: 100)).description == "XTRIM s MINID = 5-0 LIMIT 100")
        #expect(RedisCommand("AUTH", ["user", "secret"]).description == "AUTH *** ***")
    }

    @Test("values encode to the RESP3 wire form")
    func values() {
        func encoded(_ value: RESPValue) -> String {
            var buffer = ByteBuffer()
            RESPEncoder().encode(value, into: &buffer)
            return String(buffer: buffer)
        }
        #expect(encoded(.map([(.simpleString("a"), .integer(1))])) == "%1\r\n+a\r\n:1\r\n")
        #expect(encoded(.verbatimString(format: "txt", ByteBuffer(string: "hi"))) == "=6\r\ntxt:hi\r\n")
        #expect(encoded(.double(-.infinity)) == ",-inf\r\n")
        #expect(encoded(.array(nil)) == "*-1\r\n")
        #expect(encoded(.bulkString(nil)) == "$-1\r\n")
    }
}
