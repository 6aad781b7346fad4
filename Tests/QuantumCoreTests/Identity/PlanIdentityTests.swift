import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct PlanIdentityTests {
    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256Digest.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256Digest.hex(String(repeating: "a", count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func theSameBusinessIdentityGivesTheSameIDs() {
        let epoch = PositionEpoch(rawValue: 7)!
        let a = PlanIdentity.open(Symbol("BTCUSDT"), .long, epoch)
        let b = PlanIdentity.open(Symbol("BTCUSDT"), .long, epoch)
        #expect(a.planID == "open:BTCUSDT:LONG:e7")
        #expect(a.planID == b.planID && a.clientOrderID == b.clientOrderID)
        #expect(a.clientOrderID.rawValue.hasPrefix("qt-o-BTCUSDT-"))
        #expect(a.clientOrderID.isOurs)
    }

    @Test func differentIdentitiesNeverCollide() {
        var ids = Set<String>()
        var planIDs = Set<String>()
        let symbols = ["BTCUSDT", "ETHUSDT", "1000CHEEMSUSDT", "币安人生USDT", "A", "BTCUSDT_250627"].map { Symbol(rawValue: $0)! }
        for symbol in symbols {
            for e in 1...20 {
                let epoch = PositionEpoch(rawValue: UInt64(e))!
                var identities: [PlanIdentity] = [.open(symbol, .long, epoch), .open(symbol, .short, epoch), .close(symbol, epoch),
                                                  .moveStop(symbol, epoch, Price("100.5")!), .manualReduce(symbol, epoch, "req-1")]
                identities += (1...3).map { .rung(symbol, epoch, $0) }
                for identity in identities {
                    let id = identity.clientOrderID.rawValue
                    #expect(id.utf8.count <= 36)
                    #expect(ClientOrderID(rawValue: id) != nil)
                    #expect(ids.insert(id).inserted, "collision on \(id)")
                    #expect(planIDs.insert(identity.planID).inserted)
                }
            }
        }
    }

    @Test func clientOrderIDsFollowBinanceRules() {
        #expect(ClientOrderID(rawValue: "") == nil)
        #expect(ClientOrderID(rawValue: String(repeating: "a", count: 37)) == nil)
        #expect(ClientOrderID(rawValue: "a b") == nil)
        #expect(ClientOrderID(rawValue: "x.Y:z/0_9-") != nil)
        #expect(ClientOrderID(rawValue: "web_abc")?.isOurs == false)
        #expect(PlanIdentity.close(Symbol(rawValue: "币安人生USDT")!, .first).clientOrderID.rawValue.hasPrefix("qt-c-USDT-"))
    }

    @Test func symbolsAreValidated() {
        #expect(Symbol(rawValue: "") == nil)
        #expect(Symbol(rawValue: "BTC USDT") == nil)
        #expect(Symbol(rawValue: "BTC:USDT") == nil)
        #expect(Symbol(rawValue: String(repeating: "A", count: 33)) == nil)
        #expect(Symbol(rawValue: "1000CHEEMSUSDT") != nil)
        #expect(PositionEpoch(rawValue: 0) == nil)
    }
}
