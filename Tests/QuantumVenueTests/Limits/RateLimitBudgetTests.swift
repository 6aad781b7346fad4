import QuantumCore
import QuantumVenue
import Testing

@Suite(.timeLimit(.minutes(3))) struct RateLimitBudgetTests {
    static func budget(weight: Int = 100, orders10s: Int = 10, orders1m: Int = 100) -> RateLimitBudget {
        var configuration = RateLimitBudget.Configuration()
        configuration.weightPerMinute = weight
        configuration.ordersPerTenSeconds = orders10s
        configuration.ordersPerMinute = orders1m
        return RateLimitBudget(configuration: configuration)
    }

    let start = EpochMillis(1_750_000_040_000)  // 20 s into a minute (minutes start at multiples of 60 000)

    @Test func eachPriorityStopsAtItsCeiling() {
        var budget = Self.budget()
        // data may fill 60 %.
        for _ in 0..<6 { #expect(budget.request(weight: 10, orders: 0, priority: .data, at: start) == .proceed) }
        #expect(budget.request(weight: 10, orders: 0, priority: .data, at: start) == .wait(until: EpochMillis(1_750_000_080_000)))
        // Entries up to 70, the monitor up to 80, reconciliation up to 90, protective up to 100: opens are shed first.
        #expect(budget.request(weight: 10, orders: 0, priority: .entry, at: start) == .proceed)
        #expect(budget.request(weight: 1, orders: 0, priority: .entry, at: start) != .proceed)
        #expect(budget.request(weight: 10, orders: 0, priority: .monitor, at: start) == .proceed)
        #expect(budget.request(weight: 1, orders: 0, priority: .monitor, at: start) != .proceed)
        #expect(budget.request(weight: 10, orders: 0, priority: .reconciliation, at: start) == .proceed)
        #expect(budget.request(weight: 1, orders: 0, priority: .reconciliation, at: start) != .proceed)
        #expect(budget.request(weight: 10, orders: 0, priority: .protective, at: start) == .proceed)
        #expect(budget.request(weight: 1, orders: 0, priority: .protective, at: start) != .proceed)
        // A new minute resets the window.
        #expect(budget.request(weight: 10, orders: 0, priority: .data, at: EpochMillis(1_750_000_080_000)) == .proceed)
    }

    @Test func orderCountsHaveTheirOwnWindows() {
        var budget = Self.budget(orders10s: 10)
        for _ in 0..<7 { #expect(budget.request(weight: 0, orders: 1, priority: .entry, at: start) == .proceed) }
        guard case .wait(let until) = budget.request(weight: 0, orders: 1, priority: .entry, at: start) else {
            Issue.record("expected a wait"); return
        }
        #expect(until == EpochMillis(1_750_000_050_000))
        #expect(budget.request(weight: 0, orders: 1, priority: .protective, at: start) == .proceed)
    }

    @Test func headersRaiseTheEstimateButNeverLowerIt() {
        var budget = Self.budget()
        _ = budget.request(weight: 20, orders: 0, priority: .data, at: start)
        budget.observe(usedWeight: 55, orderCount10s: nil, orderCount1m: nil, at: start)
        #expect(budget.headroom(for: .protective, at: start).weight == 45)
        budget.observe(usedWeight: 5, orderCount10s: nil, orderCount1m: nil, at: start)
        #expect(budget.headroom(for: .protective, at: start).weight == 45)
        #expect(budget.request(weight: 10, orders: 0, priority: .data, at: start) != .proceed)
    }

    @Test func a429StopsEverythingUntilRetryAfter() {
        var budget = Self.budget()
        budget.rateLimited(retryAfter: .seconds(30), at: start)
        #expect(budget.request(weight: 1, orders: 0, priority: .protective, at: start) == .wait(until: start.advanced(by: .seconds(30))))
        #expect(budget.request(weight: 1, orders: 0, priority: .protective, at: start.advanced(by: .seconds(30))) == .proceed)
    }

    @Test func a418RefusesEverythingUntilTheBanEnds() {
        var budget = Self.budget()
        budget.banned(retryAfter: nil, at: start)
        guard case .refuse(let error) = budget.request(weight: 0, orders: 1, priority: .protective, at: start) else {
            Issue.record("expected a refusal"); return
        }
        #expect(error.code == .banned)
        #expect(budget.bannedUntil == start.advanced(by: .seconds(120)))
        #expect(budget.request(weight: 0, orders: 1, priority: .protective, at: start.advanced(by: .seconds(120))) == .proceed)
    }

    @Test func declaredLimitsAreAdopted() throws {
        let info = try JSONValue(parsing: #"{"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400},{"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":1,"limit":1200},{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300},{"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":6100}]}"#)
        let declared = try DeclaredRateLimits(exchangeInfo: info)
        #expect(declared == DeclaredRateLimits(weightPerMinute: 2400, ordersPerTenSeconds: 300, ordersPerMinute: 1200))
        var budget = Self.budget(weight: 10)
        budget.adopt(declared)
        #expect(budget.configuration.weightPerMinute == 2400)
    }

    /// A venue that declares unlimited pools (or a header that reports an absurd count) must not trap the adapter.
    @Test func hugeDeclaredLimitsAndCountsNeverOverflow() {
        var budget = Self.budget()
        budget.adopt(DeclaredRateLimits(weightPerMinute: .max, ordersPerTenSeconds: .max, ordersPerMinute: .max))
        #expect(budget.configuration.ceiling(.data, of: .max) == Int.max / 100 * 60 + Int.max % 100 * 60 / 100)
        #expect(budget.request(weight: 5, orders: 1, priority: .entry, at: start) == .proceed)
        budget.observe(usedWeight: .max, orderCount10s: .max, orderCount1m: .max, at: start)
        #expect(budget.request(weight: 5, orders: 1, priority: .data, at: start) == .wait(until: EpochMillis(1_750_000_080_000)))
        #expect(budget.request(weight: 5, orders: 1, priority: .protective, at: start) == .proceed)
        #expect(budget.headroom(for: .protective, at: start).weight == 0)
    }

    @Test func aNonPositiveDeclaredLimitKeepsTheCurrentOne() {
        var budget = Self.budget(weight: 100)
        budget.adopt(DeclaredRateLimits(weightPerMinute: 0, ordersPerTenSeconds: -5, ordersPerMinute: nil))
        #expect(budget.configuration.weightPerMinute == 100)
        #expect(budget.configuration.ordersPerTenSeconds == 10)
    }
}
