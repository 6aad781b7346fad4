import QuantumCore
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct MessageCodecTests {
    @Test(arguments: MessageFixtures.all)
    func everyMessageRoundTrips(message: AnyMessage) throws {
        let fields = message.encoded()
        #expect(fields["v"] == "1")
        #expect(fields["ts"] == "1770158765000")
        #expect(try AnyMessage.decode(fields) == message)
    }

    @Test(arguments: MessageFixtures.all)
    func everyMissingFieldIsNamed(message: AnyMessage) {
        let fields = message.encoded()
        for name in fields.keys {
            var broken = fields
            broken[name] = nil
            // Optional fields may be absent; then the message decodes but differs or equals without them.
            switch Result(catching: { () throws(MessageDecodingError) -> AnyMessage in try AnyMessage.decode(broken) }) {
            case .success(let decoded):
                #expect(Self.optionalFields.contains(name), "\(name) was dropped yet \(decoded) decoded")
            case .failure(let error):
                #expect(error.field == name || (name == "kill_score" && error.field.hasPrefix("k_")), "dropping \(name) blamed \(error.field)")
                #expect(error.code == .missingField || error.code == .invalidValue)
            }
        }
    }

    /// Fields that are legitimately optional (audit figures, ids the exchange may not give).
    static let optionalFields: Set<String> = [
        "r", "kill_score", "rung", "stop_loss", "take_profit", "order_id", "lag", "side", "order_type", "updated_at", "reduceOnly",
        "k_regime_flip", "k_sigma_spike", "k_ts_drop", "k_age_penalty",
    ]

    @Test(arguments: MessageFixtures.all)
    func everyFieldRejectsGarbage(message: AnyMessage) {
        let fields = message.encoded()
        for name in fields.keys where !Self.freeText.contains(name) {
            var broken = fields
            broken[name] = "garbage\u{0}"
            #expect(throws: MessageDecodingError.self, "garbage in \(name) was accepted") { try AnyMessage.decode(broken) }
        }
    }

    /// Fields whose value is free text (ids, names).
    static let freeText: Set<String> = ["intent_id", "strategy", "plan_id", "instance"]

    @Test func typeAndVersionAreChecked() throws {
        var fields = MessageFixtures.tradeIntent.encoded()
        fields["type"] = "trade.intnet"
        #expect { try AnyMessage.decode(fields) } throws: { ($0 as? MessageDecodingError)?.code == .unknownType }
        fields["type"] = nil
        #expect { try AnyMessage.decode(fields) } throws: { ($0 as? MessageDecodingError)?.code == .missingField }
        fields = MessageFixtures.tradeIntent.encoded()
        fields["v"] = "2"
        #expect { try AnyMessage.decode(fields) } throws: { ($0 as? MessageDecodingError)?.code == .unsupportedVersion }
        #expect { try Plan.decode(MessageFixtures.tradeIntent.encoded()) } throws: { ($0 as? MessageDecodingError)?.code == .wrongType }
    }

    @Test func booleansAreCanonical() {
        for bad in ["True", "TRUE", "1", "yes", ""] {
            var fields = MessageFixtures.executedResult.encoded()
            fields["executed"] = bad
            #expect { try ApplyResult.decode(fields) } throws: { ($0 as? MessageDecodingError)?.field == "executed" }
        }
    }

    @Test func aMissingReduceOnlyFlagNeverMeansOpen() {
        // FM-12: the original lost reduce_only on one route and the exit became an open.
        var fields = MessageFixtures.closePlan.encoded()
        fields["reduceOnly"] = "false"
        #expect { try Plan.decode(fields) } throws: { ($0 as? MessageDecodingError)?.field == "reduceOnly" }
        fields["reduceOnly"] = nil
        #expect { try Plan.decode(fields) } throws: { ($0 as? MessageDecodingError)?.code == .missingField }
        var open = MessageFixtures.openPlan.encoded()
        open["reduceOnly"] = "true"
        #expect { try Plan.decode(open) } throws: { ($0 as? MessageDecodingError)?.field == "reduceOnly" }
    }

    @Test func inconsistentCombinationsAreRejected() {
        var result = MessageFixtures.executedResult.encoded()
        result["executed"] = "false"
        #expect { try ApplyResult.decode(result) } throws: { ($0 as? MessageDecodingError)?.field == "executed" }
        result = MessageFixtures.executedResult.encoded()
        result["step"] = "market_open"
        #expect { try ApplyResult.decode(result) } throws: { ($0 as? MessageDecodingError)?.field == "step" }
        result = MessageFixtures.executedResult.encoded()
        result["error"] = "no_position"
        #expect { try ApplyResult.decode(result) } throws: { ($0 as? MessageDecodingError)?.field == "error" }
        var plan = MessageFixtures.closePlan.encoded()
        plan["side"] = "BUY"
        #expect { try Plan.decode(plan) } throws: { ($0 as? MessageDecodingError)?.field == "side" }
        plan = MessageFixtures.rungPlan.encoded()
        plan["rung"] = "3"
        #expect { try Plan.decode(plan) } throws: { ($0 as? MessageDecodingError)?.field == "rung" }
        var intent = MessageFixtures.tradeIntent.encoded()
        intent["stop_loss"] = "51000"
        #expect { try TradeIntent.decode(intent) } throws: { ($0 as? MessageDecodingError)?.field == "stop_loss" }
        intent = MessageFixtures.tradeIntent.encoded()
        intent["action"] = "PARTIAL_25"
        #expect { try TradeIntent.decode(intent) } throws: { ($0 as? MessageDecodingError)?.field == "action" }
        intent = MessageFixtures.tradeIntent.encoded()
        intent["confidence"] = "1.5"
        #expect { try TradeIntent.decode(intent) } throws: { ($0 as? MessageDecodingError)?.field == "confidence" }
        var position = MessageFixtures.position.encoded()
        position["peak_quantity"] = "0.01"
        #expect { try PositionRecord.decode(position) } throws: { ($0 as? MessageDecodingError)?.field == "peak_quantity" }
        position = MessageFixtures.position.encoded()
        position["rungs_taken"] = "1,1"
        #expect { try PositionRecord.decode(position) } throws: { ($0 as? MessageDecodingError)?.field == "rungs_taken" }
    }

    @Test func unknownActionWordsAreRejectedNotNormalised() {
        // FM-33: PARTIAL_50_PROPOSED, FULL_CLOSE, HOLD were silently normalised to HOLD by the original.
        for word in ["PARTIAL_50_PROPOSED", "FULL_CLOSE", "HOLD", "UNKNOWN", "open_long"] {
            var fields = MessageFixtures.closePlan.encoded()
            fields["action"] = word
            #expect { try Plan.decode(fields) } throws: { ($0 as? MessageDecodingError)?.field == "action" }
        }
    }

    @Test func decisionReasonsRoundTrip() {
        for reason in DecisionReason.representativeCases {
            #expect(DecisionReason(word: reason.word) == reason)
        }
        #expect(DecisionReason(word: "venue_rejected:-2019") == .venueRejected(code: -2019))
        #expect(DecisionReason(word: "venue_rejected:abc") == nil)
        #expect(DecisionReason(word: "venue_rejected:5") == nil)
        #expect(DecisionReason(word: "kill_score_close_ok") == nil)
    }

    @Test func heartbeatStalenessIsThreeIntervals() {
        let beat = MessageFixtures.heartbeat
        #expect(!beat.isStale(at: beat.createdAt.advanced(by: .seconds(3))))
        #expect(beat.isStale(at: beat.createdAt.advanced(by: .milliseconds(3_001))))
    }
}
