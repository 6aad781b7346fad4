import NIOCore
import QuantumRedis
import QuantumTestSupport
import Testing

/// Seeded random and mutated inputs: the decoder returns a value, asks for more, or throws `RedisError`, and a
/// valid stream split anywhere decodes to what was encoded. Replays exactly from the seed.
@Suite("RESP decoder fuzzing", .timeLimit(.minutes(3)))
struct RESPDecoderFuzzTests {
    static let limits = RESPDecoder.Configuration(maximumBulkLength: 4096, maximumElementCount: 64, maximumDepth: 8, maximumLineLength: 256)

    @Test("random values round-trip through encoder and decoder, in random chunks")
    func roundTrip() throws {
        var random = SeededGenerator(seed: 0x5EED_0001)
        for _ in 0..<2000 {
            let value = Self.randomValue(&random, depth: 0)
            var wire = ByteBuffer()
            RESPEncoder().encode(value, into: &wire)
            let bytes = Array(wire.readableBytesView)
            var decoder = RESPDecoder(configuration: Self.limits)
            var buffer = ByteBuffer()
            var decoded: RESPValue?
            var offset = 0
            while offset < bytes.count {
                let chunk = Int.random(in: 1...max(1, bytes.count / 3 + 1), using: &random)
                let end = min(bytes.count, offset + chunk)
                #expect(decoded == nil, "decoded before all bytes arrived")
                buffer.writeBytes(bytes[offset..<end])
                offset = end
                decoded = try decoder.decode(buffer: &buffer)
            }
            #expect(decoded == value)
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test("mutated, truncated and random inputs never crash: a value, nil or a RedisError")
    func mutations() {
        var random = SeededGenerator(seed: 0x5EED_0002)
        var outcomes = (values: 0, incomplete: 0, errors: 0)
        for round in 0..<6000 {
            let bytes: [UInt8]
            if round % 4 == 3 {
                bytes = Self.randomBytes(&random)
            } else {
                var wire = ByteBuffer()
                RESPEncoder().encode(Self.randomValue(&random, depth: 0), into: &wire)
                bytes = Self.mutate(Array(wire.readableBytesView), &random)
            }
            var decoder = RESPDecoder(configuration: Self.limits)
            var buffer = ByteBuffer()
            var offset = 0
            feeding: while offset < bytes.count {
                let end = min(bytes.count, offset + Int.random(in: 1...64, using: &random))
                buffer.writeBytes(bytes[offset..<end])
                offset = end
                // Drain like ByteToMessageHandler: decode until nil, stop the stream at the first error.
                for _ in 0...bytes.count {
                    do {
                        guard try decoder.decode(buffer: &buffer) != nil else { break }
                        outcomes.values += 1
                    } catch let error as RedisError {
                        #expect([.protocolViolation, .replyTooLarge].contains(error.code))
                        outcomes.errors += 1
                        break feeding
                    } catch {
                        Issue.record("decoder threw a non-RedisError: \(error)")
                        break feeding
                    }
                }
            }
            if offset == bytes.count, buffer.readableBytes > 0 || decoder.hasPartialValue { outcomes.incomplete += 1 }
        }
        // Every kind of outcome happened, so the generator reaches all three paths.
        #expect(outcomes.values > 500)
        #expect(outcomes.errors > 500)
        #expect(outcomes.incomplete > 100)
    }

    @Test("huge claimed lengths and counts throw at once, whatever the limits")
    func hugeClaims() {
        var random = SeededGenerator(seed: 0x5EED_0003)
        for _ in 0..<1000 {
            let type = "$*%~>|!=".randomElement(using: &random)!
            let claim = UInt64.random(in: 5000...UInt64(Int64.max), using: &random)
            var decoder = RESPDecoder(configuration: Self.limits)
            var buffer = ByteBuffer(string: "\(type)\(claim)\r\n")
            let error = #expect(throws: RedisError.self) { _ = try decoder.decode(buffer: &buffer) }
            #expect(error?.code == .replyTooLarge)
        }
    }

    static func randomValue(_ random: inout SeededGenerator, depth: Int) -> RESPValue {
        let aggregate = depth < 4 && Int.random(in: 0..<4, using: &random) == 0
        if aggregate {
            let count = Int.random(in: 0...5, using: &random)
            let elements = (0..<count).map { _ in randomValue(&random, depth: depth + 1) }
            switch Int.random(in: 0..<5, using: &random) {
            case 0: return .array(elements)
            case 1: return .set(elements)
            case 2: return .push(elements)
            case 3: return .array(nil)
            default: return .map(elements.map { (key: $0, value: randomValue(&random, depth: depth + 1)) })
            }
        }
        switch Int.random(in: 0..<11, using: &random) {
        case 0: return .simpleString(randomText(&random))
        case 1: return .error("ERR " + randomText(&random))
        case 2: return .integer(Int64.random(in: .min ... .max, using: &random))
        case 3: return .bulkString(ByteBuffer(bytes: randomBytes(&random)))
        case 4: return .bulkString(nil)
        case 5: return .null
        case 6: return .double([Double.infinity, -.infinity, 0, -2.5, Double.random(in: -1e300...1e300, using: &random)].randomElement(using: &random)!)
        case 7: return .boolean(Bool.random(using: &random))
        case 8: return .bigNumber((Bool.random(using: &random) ? "-" : "") + String(UInt64.random(in: 0 ... .max, using: &random)) + "123456789")
        case 9: return .verbatimString(format: "txt", ByteBuffer(bytes: randomBytes(&random)))
        default: return .integer(Int64.random(in: -100...100, using: &random))
        }
    }

    static func randomText(_ random: inout SeededGenerator) -> String {
        String((0..<Int.random(in: 0...12, using: &random)).map { _ in "abcXYZ019 -_:é".randomElement(using: &random)! })
    }

    /// Bytes biased towards RESP syntax, so random input often looks almost valid.
    static func randomBytes(_ random: inout SeededGenerator) -> [UInt8] {
        let alphabet = Array("+-:$*_,#(!=%~>|\r\n0123456789-?tf".utf8)
        return (0..<Int.random(in: 0...40, using: &random)).map { _ in
            Bool.random(using: &random) ? alphabet.randomElement(using: &random)! : UInt8.random(in: 0 ... .max, using: &random)
        }
    }

    static func mutate(_ bytes: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            guard !bytes.isEmpty else { break }
            let index = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0: bytes[index] = UInt8.random(in: 0 ... .max, using: &random)
            case 1: bytes.insert(Array("\r\n-?9$*".utf8).randomElement(using: &random)!, at: index)
            case 2: bytes.remove(at: index)
            case 3: bytes.removeSubrange(index...)  // truncated
            case 4: bytes.insert(contentsOf: Array("99999999".utf8), at: index)  // inflate a length
            default: bytes.insert(contentsOf: bytes[index...].prefix(16), at: index)  // duplicate a run
            }
        }
        return bytes
    }
}
