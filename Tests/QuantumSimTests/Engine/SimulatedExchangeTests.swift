import QuantumCore
import QuantumSim
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct SimulatedExchangeTests {
    typealias F = SimulatedExchangeFixture

    @Test func aMarketOrderFillsAtTheTouchWithTakerFee() throws {
        var f = try F()
        let order = try f.market(.buy, "0.1", id: "qt-o-test-1")
        #expect(order.status == .filled)
        #expect(order.averagePrice == Price("50000.1")!)
        #expect(order.clientOrderID == "qt-o-test-1")
        let position = try f.position()
        #expect(position.quantity == Quantity("0.1")!)
        #expect(position.entryPrice == Price("50000.1")!)
        // 5000.01 × 0.05 % = 2.500005 taker fee.
        #expect(f.account.walletBalance == Notional("9997.499995")!)
        #expect(f.account.trades.count == 1 && !f.account.trades[0].maker)
    }

    @Test func accountingIdentitiesHoldAcrossATradingSequence() throws {
        var f = try F()
        _ = try f.market(.buy, "0.1")
        f.move(F.btc, to: "51000")
        _ = try f.market(.sell, "0.04")
        _ = try f.market(.sell, "0.01", symbol: F.btc)
        _ = try f.market(.sell, "2", symbol: F.eth)
        f.move(F.eth, to: "2900")
        _ = try f.market(.buy, "2", symbol: F.eth, reduceOnly: true)
        f.move(F.btc, to: "49500", mark: "49510")
        let summary = try f.exchange.summary(F.key)
        // wallet + unrealised = margin balance.
        #expect(try summary.walletBalance + summary.unrealizedPnL == summary.marginBalance)
        // wallet = deposit + Σ realised − Σ commissions, to the last 10⁻⁸.
        var expected = Notional("10000")!
        for trade in f.account.trades { expected = try (try expected + trade.realizedPnL) - trade.commission }
        #expect(summary.walletBalance == expected)
        // Unrealised PnL of the remaining 0.05 BTC long from 50000.1 at mark 49510.
        #expect(summary.unrealizedPnL == Notional("-24.505")!)
        #expect(try f.position(F.eth).quantity == .zero)
    }

    @Test func validationNamesBinanceErrorsInItsOrder() throws {
        var f = try F()
        let unknown = Symbol("XYZUSDT")
        #expect(F.code { try f.exchange.placeOrder(F.key, NewOrderRequest(symbol: unknown, side: .buy, type: "MARKET", quantity: Quantity("1")!), time: f.time) } == -1121)
        #expect(F.code { try f.exchange.placeOrder(F.key, NewOrderRequest(symbol: F.btc, side: .buy, type: "STOP_MARKET", quantity: Quantity("1")!), time: f.time) } == -4120)
        #expect(F.code { try f.exchange.placeOrder(F.key, NewOrderRequest(symbol: F.btc, side: .buy, type: "ICEBERG", quantity: Quantity("1")!), time: f.time) } == -1116)
        #expect(F.code { try f.exchange.placeOrder(F.key, NewOrderRequest(symbol: F.btc, side: .buy, type: "MARKET", quantity: Quantity("0.1")!, positionSide: .long), time: f.time) } == -4061)
        #expect(F.code { try f.exchange.placeOrder(F.key, NewOrderRequest(symbol: F.btc, side: .buy, type: "MARKET"), time: f.time) } == -1102)
        #expect(F.code { try f.exchange.placeOrder(F.key, NewOrderRequest(symbol: F.btc, side: .buy, type: "LIMIT", quantity: Quantity("0.1")!, price: Price("49000")!), time: f.time) } == -1102)
        #expect(F.code { try f.market(.buy, "0") } == -4003)
        #expect(F.code { try f.market(.buy, "0.0001") } == -1111)
        #expect(F.code { try f.limit(.buy, "0.1", at: "49000.05") } == -4014)
        #expect(F.code { try f.market(.buy, "0.001", id: "bad id!") } == -4015)
        f.move(F.btc, to: "5000")
        #expect(F.code { try f.market(.buy, "0.001") } == -4164)
        f.move(F.btc, to: "50000")
        #expect(F.code { try f.market(.sell, "0.1", reduceOnly: true) } == -2022)
        #expect(F.code { try f.market(.buy, "100") } == -2019)
        #expect(F.code { try f.exchange.placeOrder("nobody", NewOrderRequest(symbol: F.btc, side: .buy, type: "MARKET", quantity: Quantity("0.1")!), time: f.time) } == -2015)
        #expect(f.account.orders.isEmpty && f.account.walletBalance == Notional("10000")!)
    }

    @Test func reduceOnlyNeverIncreasesOrFlips() throws {
        var f = try F()
        _ = try f.market(.buy, "0.1")
        #expect(F.code { try f.market(.buy, "0.1", reduceOnly: true) } == -2022)
        let close = try f.market(.sell, "0.5", reduceOnly: true)
        #expect(close.executedQuantity == Quantity("0.1")!)
        #expect(close.status == .expired)
        #expect(try f.position().quantity == .zero)
        // A plain order larger than the position flips it, as Binance does in one-way mode.
        _ = try f.market(.buy, "0.1")
        _ = try f.market(.sell, "0.3")
        #expect(try f.position().quantity == Quantity("-0.2")!)
    }

    @Test func limitOrdersRestAndFillAsMakerWhenTradedThrough() throws {
        var f = try F()
        let resting = try f.limit(.buy, "0.1", at: "49000", id: "rest-1")
        #expect(resting.status == .new)
        #expect(F.code { try f.limit(.buy, "0.1", at: "48000", id: "rest-1") } == -4116)
        f.move(F.btc, to: "49500")
        #expect(try f.exchange.queryOrder(F.key, symbol: F.btc, orderID: resting.orderID, clientOrderID: nil).status == .new)
        f.move(F.btc, to: "48990")
        let filled = try f.exchange.queryOrder(F.key, symbol: F.btc, orderID: nil, clientOrderID: "rest-1")
        #expect(filled.status == .filled && filled.averagePrice == Price("49000")!)
        #expect(f.account.trades.last?.maker == true)
        #expect(f.account.trades.last?.commission == Notional("0.98")!)
        #expect(F.code { try f.exchange.cancelOrder(F.key, symbol: F.btc, orderID: filled.orderID, clientOrderID: nil, time: f.time) } == -2011)
        #expect(F.code { try f.exchange.queryOrder(F.key, symbol: F.btc, orderID: 42, clientOrderID: nil) } == -2013)
    }

    @Test func timeInForceRules() throws {
        var f = try F()
        #expect(F.code { try f.limit(.buy, "0.1", at: "50001", tif: .gtx) } == -5022)
        #expect(F.code { try f.limit(.buy, "0.1", at: "49000", tif: .fok) } == -5021)
        let ioc = try f.limit(.buy, "0.1", at: "49000", tif: .ioc)
        #expect(ioc.status == .expired && f.account.openOrders().isEmpty)
        let crossing = try f.limit(.buy, "0.1", at: "50010", tif: .ioc)
        #expect(crossing.status == .filled && crossing.averagePrice == Price("50000.1")!)
        let cancelled = try f.limit(.sell, "0.05", at: "52000")
        #expect(try f.exchange.cancelOrder(F.key, symbol: F.btc, orderID: nil, clientOrderID: cancelled.clientOrderID, time: f.time).status == .canceled)
    }

    @Test func protectiveStopClosesThePositionOnMarkPrice() throws {
        var f = try F()
        _ = try f.market(.buy, "0.1")
        let stop = NewAlgoOrderRequest(symbol: F.btc, side: .sell, type: "STOP_MARKET", triggerPrice: Price("49000")!, workingType: .markPrice,
                                       closePosition: true, clientAlgoID: "qt-p-BTCUSDT-1")
        #expect(F.code { try f.exchange.placeAlgoOrder(F.key, NewAlgoOrderRequest(symbol: F.btc, side: .sell, type: "STOP_MARKET", triggerPrice: Price("50500")!, workingType: .markPrice, closePosition: true), time: f.time) } == -2021)
        #expect(F.code { try f.exchange.placeAlgoOrder(F.key, NewAlgoOrderRequest(symbol: F.btc, side: .sell, type: "STOP_MARKET", triggerPrice: Price("49000")!, closePosition: true, quantity: Quantity("0.1")!), time: f.time) } == -4137)
        let algo = try f.exchange.placeAlgoOrder(F.key, stop, time: f.time)
        #expect(algo.status == .new)
        // Last trades below the trigger but the mark does not: a mark-price stop holds.
        f.move(F.btc, to: "48900", mark: "49100")
        #expect(try f.position().quantity == Quantity("0.1")!)
        f.move(F.btc, to: "48950", mark: "48990")
        #expect(try f.position().quantity == .zero)
        let fired = try f.exchange.queryAlgoOrder(F.key, algoID: algo.algoID, clientAlgoID: nil)
        #expect(fired.status == .finished)
        let order = try f.exchange.queryOrder(F.key, symbol: F.btc, orderID: fired.triggeredOrderID, clientOrderID: nil)
        #expect(order.reduceOnly && order.closePosition && order.clientOrderID == "qt-p-BTCUSDT-1")
        let algoStates = f.exchange.drainEvents(F.key).compactMap { event -> AlgoOrder.Status? in
            if case .algoUpdate(let a, _) = event { return a.status } else { return nil }
        }
        #expect(algoStates == [.new, .triggered, .finished])
    }

    @Test func aStopWithNoPositionLeftExpires() throws {
        var f = try F()
        _ = try f.market(.buy, "0.1")
        let algo = try f.exchange.placeAlgoOrder(F.key, NewAlgoOrderRequest(symbol: F.btc, side: .sell, type: "STOP_MARKET", triggerPrice: Price("49000")!, closePosition: true), time: f.time)
        _ = try f.market(.sell, "0.1", reduceOnly: true)
        f.move(F.btc, to: "48000")
        #expect(try f.exchange.queryAlgoOrder(F.key, algoID: algo.algoID, clientAlgoID: nil).status == .expired)
        #expect(f.account.trades.count == 2)
    }

    @Test func configurationEndpoints() throws {
        var f = try F()
        #expect(F.code { try f.exchange.setLeverage(F.key, symbol: F.btc, leverage: 0) } == -4028)
        #expect(F.code { try f.exchange.setLeverage(F.key, symbol: F.btc, leverage: 126) } == -4028)
        #expect(try f.exchange.setLeverage(F.key, symbol: F.btc, leverage: 5).0 == Leverage(rawValue: 5)!)
        #expect(F.code { try f.exchange.setMarginType(F.key, symbol: F.btc, .cross) } == -4046)
        _ = try f.limit(.buy, "0.01", at: "40000")
        #expect(F.code { try f.exchange.setMarginType(F.key, symbol: F.btc, .isolated) } == -4047)
        #expect(F.code { try f.exchange.setHedgeMode(F.key, true) } == -4067)
        try f.exchange.cancelAllOrders(F.key, symbol: F.btc, time: f.time)
        _ = try f.market(.buy, "0.01")
        #expect(F.code { try f.exchange.setMarginType(F.key, symbol: F.btc, .isolated) } == -4048)
        #expect(F.code { try f.exchange.setHedgeMode(F.key, true) } == -4068)
        #expect(F.code { try f.exchange.setHedgeMode(F.key, false) } == -4059)
    }

    @Test func leverageCapsPositionSize() throws {
        var f = try F()
        f.exchange.maxNotional = { _, leverage in leverage.rawValue > 10 ? Notional("1000")! : nil }
        #expect(F.code { try f.market(.buy, "0.03") } == -2027)
        _ = try f.exchange.setLeverage(F.key, symbol: F.btc, leverage: 10)
        #expect(try f.market(.buy, "0.03").status == .filled)
        #expect(F.code { try f.exchange.setLeverage(F.key, symbol: F.btc, leverage: 20) } == -2027)
    }

    @Test func hedgeModeKeepsLongAndShortApart() throws {
        var f = try F()
        try f.exchange.setHedgeMode(F.key, true)
        #expect(F.code { try f.market(.buy, "0.1") } == -4061)
        func order(_ side: OrderSide, _ q: String, _ ps: PositionSideParameter, reduceOnly: Bool? = nil) throws(ExchangeError) -> SimOrder {
            try f.exchange.placeOrder(F.key, NewOrderRequest(symbol: F.btc, side: side, type: "MARKET", quantity: Quantity(q)!, reduceOnly: reduceOnly, positionSide: ps), time: f.time)
        }
        #expect(F.code { try order(.buy, "0.1", .long, reduceOnly: false) } == -1106)
        _ = try order(.buy, "0.1", .long)
        _ = try order(.sell, "0.2", .short)
        #expect(try f.position(side: .long).quantity == Quantity("0.1")!)
        #expect(try f.position(side: .short).quantity == Quantity("-0.2")!)
        #expect(F.code { try order(.sell, "0.1", .long) } == nil)
        #expect(F.code { try order(.sell, "0.1", .long) } == -2022)
    }

    @Test func fundingIsPaidByLongsWhenPositive() throws {
        var f = try F()
        _ = try f.market(.buy, "0.1")
        let before = f.account.walletBalance
        f.exchange.applyFunding(F.btc, rate: Ratio("0.0001")!, time: f.time)
        // 0.1 × 50000 × 0.0001 = 0.5 USDT.
        #expect(try before - f.account.walletBalance == Notional("0.5")!)
        let reasons = f.exchange.drainEvents(F.key).compactMap { event -> AccountUpdate.Reason? in
            if case .accountUpdate(let u) = event { return u.reason } else { return nil }
        }
        #expect(reasons.last == .fundingFee)
    }

    @Test func aCrashLiquidatesAnOverleveragedAccount() throws {
        var f = try F(balance: "300")
        _ = try f.exchange.setLeverage(F.key, symbol: F.btc, leverage: 50)
        _ = try f.market(.buy, "0.2")  // 10 000 notional on 300 of margin
        #expect(try f.position().liquidationPrice > Price("48000")!)
        f.move(F.btc, to: "48600")
        #expect(try f.position().quantity == .zero)
        let liquidation = try #require(f.account.orders.values.first { $0.clientOrderID.hasPrefix("autoclose-") })
        #expect(liquidation.status == .filled && liquidation.reduceOnly)
        #expect(!f.account.walletBalance.isNegative)
    }

    @Test func sameInputsGiveIdenticalFillsAndEvents() throws {
        func run() throws -> (SimAccount, [UserEvent]) {
            var f = try F()
            _ = try f.market(.buy, "0.1")
            _ = try f.limit(.sell, "0.05", at: "50500")
            for price in ["50200", "50600", "49800", "49000"] { f.move(F.btc, to: price) }
            _ = try f.market(.sell, "0.05", reduceOnly: true)
            return (f.account, f.exchange.drainEvents(F.key))
        }
        let (a, eventsA) = try run()
        let (b, eventsB) = try run()
        #expect(a == b)
        #expect(eventsA == eventsB)
        #expect(eventsA.count > 6)
    }
}

@Suite(.timeLimit(.minutes(3))) struct SimulatedExchangeAdminTests {
    typealias F = SimulatedExchangeFixture

    @Test func aResetWipesPositionsAndOrders() throws {
        var f = try F()
        _ = try f.market(.buy, "0.1")
        _ = try f.limit(.sell, "0.1", at: "55000")
        try f.exchange.resetAccount(F.key, balance: Notional("10000")!, time: f.time)
        #expect(try f.exchange.positions(F.key).isEmpty)
        #expect(f.account.openOrders().isEmpty && f.account.walletBalance == Notional("10000")!)
        #expect(F.code { try f.exchange.resetAccount("nobody", balance: .zero, time: f.time) } == -2015)
    }

    @Test func aManualPositionChangeIsReported() throws {
        var f = try F()
        try f.exchange.adjustPosition(F.key, symbol: F.btc, quantity: Quantity("-0.3")!, entryPrice: Price("50100")!, time: f.time)
        #expect(try f.position().quantity == Quantity("-0.3")!)
        #expect(try f.position().unrealizedPnL == Notional("30")!)
        guard case .accountUpdate(let update)? = f.exchange.drainEvents(F.key).last else {
            Issue.record("no account update")
            return
        }
        #expect(update.reason == .adminAdjustment)
        try f.exchange.adjustPosition(F.key, symbol: F.btc, quantity: .zero, entryPrice: .zero, time: f.time)
        #expect(try f.exchange.positions(F.key).isEmpty)
    }
}

@Suite(.timeLimit(.minutes(3))) struct SimulatedExchangeBracketTests {
    typealias F = SimulatedExchangeFixture

    @Test func realBracketsCapLeverageAndPositionSize() throws {
        var f = try F(balance: "1000000")
        f.exchange.useLeverageBrackets(try LeverageBracketTable.load(contentsOf: try SharedData.file("binance_um_reference/leverage_brackets_20241024.json")))
        #expect(F.code { try f.exchange.setLeverage(F.key, symbol: F.btc, leverage: 125) } == nil)
        // At 125x BTCUSDT's first bracket caps the position at 50 000 USDT notional.
        #expect(F.code { try f.market(.buy, "1.1") } == -2027)
        #expect(try f.market(.buy, "0.9").status == .filled)
        _ = try f.exchange.setLeverage(F.key, symbol: F.btc, leverage: 100)
        #expect(try f.market(.buy, "1").status == .filled)
        // Tiered maintenance margin: 1.9 BTC ≈ 95 000 notional is in the 0.5 % tier (cum 50).
        let summary = try f.exchange.summary(F.key)
        #expect(summary.maintenanceMargin < summary.initialMargin)
        #expect(summary.maintenanceMargin.isPositive)
    }
}
