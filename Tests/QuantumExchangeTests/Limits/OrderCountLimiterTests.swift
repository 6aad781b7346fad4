import QuantumCore
import QuantumExchange
import Testing

@Suite(.timeLimit(.minutes(3))) struct OrderCountLimiterTests {
    let minuteStart = EpochMillis(1_591_702_560_000)
    let order = RequestCost(weight: 0, orders10s: 1, orders1m: 1)

    @Test func tenSecondLimitThenMinuteLimit() {
        var limiter = OrderCountLimiter(configuration: .init(perTenSeconds: 3, perMinute: 5))
        for expected in 1...3 {
            let verdict = limiter.admit(account: "k", cost: order, at: minuteStart.advanced(by: .seconds(1)))
            #expect(verdict.isAllowed)
            #expect(verdict.count10s == expected && verdict.count1m == expected)
        }
        let burst = limiter.admit(account: "k", cost: order, at: minuteStart.advanced(by: .milliseconds(2_500)))
        #expect(burst.rejection?.error.code == -1015)
        #expect(burst.rejection?.error.message == "Too many new orders; current limit is 3 orders per 10 SECOND.")
        #expect(burst.rejection?.status == 429)
        #expect(burst.rejection?.retryAfterSeconds == 8)
        #expect(burst.count10s == 3 && burst.count1m == 3)

        let next = minuteStart.advanced(by: .seconds(10))
        #expect(limiter.admit(account: "k", cost: order, at: next).count10s == 1)
        let fifth = limiter.admit(account: "k", cost: order, at: next)
        #expect(fifth.count10s == 2 && fifth.count1m == 5)
        let sixth = limiter.admit(account: "k", cost: order, at: next.advanced(by: .seconds(15)))
        #expect(sixth.rejection?.error.message == "Too many new orders; current limit is 5 orders per MINUTE.")
        #expect(sixth.rejection?.retryAfterSeconds == 35)
        #expect(limiter.admit(account: "other", cost: order, at: next).isAllowed)

        let newMinute = limiter.admit(account: "k", cost: order, at: minuteStart.advanced(by: .seconds(60)))
        #expect(newMinute.isAllowed && newMinute.count1m == 1 && newMinute.count10s == 1)
    }

    @Test func productionDefaults() {
        var limiter = OrderCountLimiter()
        #expect(limiter.configuration == .init(perTenSeconds: 300, perMinute: 1_200))
        for _ in 0..<300 { _ = limiter.admit(account: "k", cost: order, at: minuteStart) }
        #expect(limiter.admit(account: "k", cost: order, at: minuteStart.advanced(by: .milliseconds(9_999))).rejection?.error.code == -1015)
        #expect(limiter.counts(account: "k", at: minuteStart).tenSeconds == 300)
        #expect(limiter.counts(account: "k", at: minuteStart.advanced(by: .seconds(10))) == (0, 300))
    }

    @Test func batchesCountFiveOnTenSecondsAndOneOnTheMinute() {
        var limiter = OrderCountLimiter(configuration: .init(perTenSeconds: 7, perMinute: 100))
        let batch = RequestCost(weight: 5, orders10s: 5, orders1m: 1)
        let first = limiter.admit(account: "k", cost: batch, at: minuteStart)
        #expect(first.count10s == 5 && first.count1m == 1)
        #expect(limiter.admit(account: "k", cost: batch, at: minuteStart).rejection != nil)
        #expect(limiter.admit(account: "k", cost: RequestCost(weight: 1), at: minuteStart).count10s == 5)
    }
}
