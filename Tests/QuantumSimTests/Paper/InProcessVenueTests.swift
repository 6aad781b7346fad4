import Foundation
import QuantumCore
import QuantumSim
import QuantumTestSupport
import Testing

/// The in-process venue: determinism, accounting, funding, and a replay of a real Binance file.
@Suite("In-process venue", .timeLimit(.minutes(3)))
struct InProcessVenueTests {
    static let btc = Symbol(rawValue: "BTCUSDT")!
    static let start = EpochMillis(1_750_000_000_000)

    /// A seeded synthetic venue with one account, trading a fixed script: buy, scale out, stop, flip.
    static func scriptedRun(seed: UInt64) throws -> (trades: [SimTrade], wallet: Notional, events: Int) {
        var engine = SimulatedExchange(rules: SymbolCatalog.rules)
        engine.useLeverageBrackets(SymbolCatalog.brackets)
        let feed = try SyntheticFeed(.init(instruments: [.btcusdt], seed: seed, startTime: start, endTime: start.advanced(by: .seconds(4 * 3_600))))
        // No funding here (a zero rate), so the wallet is explained by the fills alone; funding has its own test.
        var venue = InProcessVenue(paper: PaperExchange(engine: engine, funding: FundingSchedule(defaultRate: .zero), start: start), feed: feed)
        venue.openAccount("a", balance: try Notional(parsing: "10000"))
        venue.step()
        var events = 0
        for minute in stride(from: 10, through: 230, by: 20) {
            venue.run(until: start.advanced(by: .seconds(Int64(minute) * 60)))
            let side: OrderSide = minute % 40 == 10 ? .buy : .sell
            _ = try? venue.placeOrder("a", NewOrderRequest(symbol: btc, side: side, type: "MARKET", quantity: try Quantity(parsing: "0.010")))
            if let mark = venue.paper.engine.markets[btc]?.mark {
                let below = try Price(approximating: mark.doubleValue * 0.99).rounded(toStep: try Price(parsing: "0.1"), .down)
                _ = try? venue.placeOrder("a", NewOrderRequest(symbol: btc, side: .buy, type: "LIMIT", quantity: try Quantity(parsing: "0.002"),
                                                               price: below, timeInForce: .gtc))
            }
            events += venue.drainEvents("a").count
        }
        venue.run(until: start.advanced(by: .seconds(4 * 3_600)))
        events += venue.drainEvents("a").count
        let account = try #require(venue.paper.engine.account("a"))
        return (account.trades, account.walletBalance, events)
    }

    @Test("same seed and same orders give identical fills; another seed gives other fills")
    func determinism() throws {
        let first = try Self.scriptedRun(seed: 7)
        let second = try Self.scriptedRun(seed: 7)
        #expect(!first.trades.isEmpty)
        #expect(first.trades == second.trades)
        #expect(first.wallet == second.wallet && first.events == second.events)
        #expect(try Self.scriptedRun(seed: 8).trades != first.trades)
    }

    @Test("wallet = start + realized PnL − fees, from the fills")
    func accountingIdentities() throws {
        let run = try Self.scriptedRun(seed: 11)
        var expected = try Notional(parsing: "10000")
        for trade in run.trades { expected = try (try expected + trade.realizedPnL) - trade.commission }
        #expect(run.trades.contains { !$0.realizedPnL.isZero })
        #expect(run.wallet == expected)
    }

    @Test("funding settles every 8 hours at the recorded or set rate: longs pay a positive rate")
    func funding() throws {
        var engine = SimulatedExchange(rules: SymbolCatalog.rules)
        engine.openAccount("a", balance: try Notional(parsing: "10000"))
        let settlement = FundingSchedule.nextSettlement(after: Self.start)
        var schedule = FundingSchedule(defaultRate: try Ratio(parsing: "0.0001"))
        try schedule.load(csv: "symbol,funding_time,funding_rate\nBTCUSDT,\(settlement.rawValue + 3),0.0005\n")
        var paper = PaperExchange(engine: engine, funding: schedule, start: Self.start)
        let price = try Price(parsing: "100000")
        _ = paper.apply(MarketTick(symbol: Self.btc, time: Self.start, lastPrice: price, markPrice: price))
        try paper.engine.adjustPosition("a", symbol: Self.btc, quantity: try Quantity(parsing: "0.1"), entryPrice: price, time: Self.start)
        let before = try #require(paper.engine.account("a")).walletBalance
        let applied = paper.apply(MarketTick(symbol: Self.btc, time: settlement.advanced(by: .seconds(1)), lastPrice: price, markPrice: price))
        let outcome = try #require(applied)
        #expect(outcome.settlements.map(\.rate) == [try Ratio(parsing: "0.0005")])
        // 0.1 × 100 000 × 0.0005 = 5 USDT paid by the long.
        #expect(try before - (try #require(paper.engine.account("a")).walletBalance) == (try Notional(parsing: "5")))
        #expect(paper.nextFundingTime == EpochMillis(settlement.rawValue + FundingSchedule.interval))
    }

    @Test("a real Binance 1m file replays: fills happen at prices the recorded bars reached")
    func realReplay() throws {
        let url = try SharedData.file("binance_um_futures/klines_1m/BTCUSDT_1m_20250706-20250713.csv")
        let bars = try KlineCSV.load(contentsOf: url)
        let feed = try ReplayFeed(try [ReplayFeed.Series(klines: Array(bars.prefix(720)))])
        var engine = SimulatedExchange(rules: SymbolCatalog.rules)
        engine.useLeverageBrackets(SymbolCatalog.brackets)
        var venue = InProcessVenue(paper: PaperExchange(engine: engine, start: bars[0].openTime), feed: feed)
        venue.openAccount("a", balance: try Notional(parsing: "100000"))
        venue.step()
        let low = try #require(bars.prefix(720).dropFirst(60).map(\.low).min())
        let limit = try low.rounded(toStep: try Price(parsing: "0.1"), .up)
        let order = try venue.placeOrder("a", NewOrderRequest(symbol: Self.btc, side: .buy, type: "LIMIT", quantity: try Quantity(parsing: "0.01"),
                                                              price: limit, timeInForce: .gtc))
        venue.run(until: bars[719].closeTime)
        let filled = try venue.paper.engine.queryOrder("a", symbol: Self.btc, orderID: order.orderID, clientOrderID: nil)
        #expect(filled.status == .filled && filled.averagePrice == limit)
        #expect(venue.paper.klines.klines(Self.btc, limit: 1_000).count >= 700)
        #expect(venue.nextTime == nil)  // the 720 bars are used up
    }
}
