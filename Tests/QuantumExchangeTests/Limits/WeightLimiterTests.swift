import QuantumCore
import QuantumExchange
import Testing

@Suite(.timeLimit(.minutes(3))) struct WeightLimiterTests {
    /// 10:00:00.000 on some day: the start of a calendar minute.
    let minuteStart = EpochMillis(1_591_702_560_000)

    @Test func rejectsWith429AtLimitPlusOne() {
        var limiter = WeightLimiter(configuration: .init(limit: 10))
        for expected in 1...10 {
            let verdict = limiter.admit(ip: "1.1.1.1", weight: 1, at: minuteStart.advanced(by: .seconds(expected)))
            #expect(verdict.isAllowed)
            #expect(verdict.usedWeight == expected)
        }
        let over = limiter.admit(ip: "1.1.1.1", weight: 1, at: minuteStart.advanced(by: .milliseconds(45_500)))
        #expect(over.usedWeight == 11)
        #expect(over.rejection?.status == 429)
        #expect(over.rejection?.error.code == -1003)
        #expect(over.rejection?.error.message.contains("current limit is 10 request weight per 1 MINUTE") == true)
        #expect(over.rejection?.retryAfterSeconds == 15)
        #expect(over.rejection?.response.headers["Retry-After"] == "15")
        #expect(limiter.usedWeight(ip: "1.1.1.1", at: minuteStart.advanced(by: .seconds(59))) == 11)
        #expect(limiter.usedWeight(ip: "2.2.2.2", at: minuteStart) == 0)
        #expect(limiter.admit(ip: "2.2.2.2", weight: 1, at: minuteStart.advanced(by: .seconds(50))).isAllowed)
    }

    @Test func heavyRequestIsRefusedWhenItDoesNotFit() {
        var limiter = WeightLimiter(configuration: .init(limit: 2_400))
        #expect(limiter.admit(ip: "ip", weight: 2_390, at: minuteStart).usedWeight == 2_390)
        #expect(limiter.admit(ip: "ip", weight: 10, at: minuteStart).isAllowed)
        #expect(limiter.admit(ip: "ip", weight: 40, at: minuteStart).rejection?.status == 429)
    }

    @Test func zeroWeightRequestsPassOverTheLimitButNotABan() {
        var limiter = WeightLimiter(configuration: .init(limit: 1))
        _ = limiter.admit(ip: "ip", weight: 1, at: minuteStart)
        #expect(limiter.admit(ip: "ip", weight: 1, at: minuteStart).rejection?.status == 429)
        #expect(limiter.admit(ip: "ip", weight: 0, at: minuteStart).isAllowed)
        #expect(limiter.admit(ip: "ip", weight: 1, at: minuteStart).rejection?.status == 418)
        #expect(limiter.admit(ip: "ip", weight: 0, at: minuteStart).rejection?.status == 418)
    }

    @Test func windowRollsOverAtTheCalendarMinute() {
        var limiter = WeightLimiter(configuration: .init(limit: 5))
        let late = minuteStart.advanced(by: .milliseconds(59_999))
        #expect(limiter.admit(ip: "ip", weight: 5, at: late).isAllowed)
        #expect(limiter.admit(ip: "ip", weight: 1, at: late).rejection?.retryAfterSeconds == 1)
        let next = minuteStart.advanced(by: .seconds(60))
        let verdict = limiter.admit(ip: "ip", weight: 2, at: next)
        #expect(verdict.isAllowed)
        #expect(verdict.usedWeight == 2)
    }

    @Test func keepingOnAfterA429BansFor2MinutesThenExpires() {
        var limiter = WeightLimiter(configuration: .init(limit: 2))
        let start = minuteStart.advanced(by: .seconds(10))
        _ = limiter.admit(ip: "ip", weight: 2, at: start)
        #expect(limiter.admit(ip: "ip", weight: 1, at: start).rejection?.status == 429)
        let ban = limiter.admit(ip: "ip", weight: 1, at: start.advanced(by: .seconds(1)))
        let until = start.advanced(by: .seconds(121))
        #expect(ban.rejection?.status == 418)
        #expect(ban.rejection?.error == EdgeErrors.ipBanned(until: until))
        #expect(ban.rejection?.error.message.hasPrefix("Way too many requests; IP banned until \(until.rawValue).") == true)
        #expect(ban.rejection?.retryAfterSeconds == 120)
        #expect(limiter.banExpiry(ip: "ip", at: start.advanced(by: .seconds(2))) == until)
        let during = limiter.admit(ip: "ip", weight: 1, at: until.advanced(by: .milliseconds(-1)))
        #expect(during.rejection?.status == 418)
        #expect(during.rejection?.retryAfterSeconds == 1)
        #expect(limiter.banExpiry(ip: "ip", at: until) == nil)
        let after = limiter.admit(ip: "ip", weight: 1, at: until)
        #expect(after.isAllowed)
        #expect(after.usedWeight == 1)
        #expect(limiter.admit(ip: "other", weight: 1, at: start.advanced(by: .seconds(5))).isAllowed)
    }

    @Test func repeatOffencesDoubleTheBanUpToThreeDays() {
        var limiter = WeightLimiter(configuration: .init(limit: 1))
        var now = minuteStart
        var lengths: [Int64] = []
        for _ in 0..<3 {
            _ = limiter.admit(ip: "ip", weight: 1, at: now)
            _ = limiter.admit(ip: "ip", weight: 1, at: now)
            let ban = limiter.admit(ip: "ip", weight: 1, at: now)
            guard let until = limiter.banExpiry(ip: "ip", at: now) else {
                Issue.record("not banned")
                return
            }
            #expect(ban.rejection?.status == 418)
            lengths.append(until.rawValue - now.rawValue)
            now = until
        }
        #expect(lengths == [120_000, 240_000, 480_000])
        #expect((0...12).map { limiter.banLength(level: $0) }.last == 259_200_000)
        #expect(limiter.banLength(level: 11) == 120_000 << 11)
        #expect(limiter.banLength(level: 1_000) == 259_200_000)
    }

    @Test func offencesAreForgottenAfterTheMemory() {
        var limiter = WeightLimiter(configuration: .init(limit: 1, offenceMemory: .seconds(3_600)))
        func offend(at now: EpochMillis) -> Int64? {
            for _ in 0..<3 { _ = limiter.admit(ip: "ip", weight: 1, at: now) }
            return limiter.banExpiry(ip: "ip", at: now).map { $0.rawValue - now.rawValue }
        }
        #expect(offend(at: minuteStart) == 120_000)
        let soon = minuteStart.advanced(by: .seconds(120 + 3_600))
        #expect(offend(at: soon) == 240_000)
        let muchLater = soon.advanced(by: .seconds(240 + 3_601))
        #expect(offend(at: muchLater) == 120_000)
    }

    @Test func toleratesConfiguredRejectionsBeforeBanning() {
        var limiter = WeightLimiter(configuration: .init(limit: 1, rejectionsBeforeBan: 3))
        _ = limiter.admit(ip: "ip", weight: 1, at: minuteStart)
        let statuses = (0..<4).map { _ in limiter.admit(ip: "ip", weight: 1, at: minuteStart).rejection?.status }
        #expect(statuses == [429, 429, 429, 418])
    }
}
