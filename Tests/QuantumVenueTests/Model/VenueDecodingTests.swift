import QuantumCore
import QuantumVenue
import Testing

/// Binance's reply shapes (written from the documentation, not copied) decode into typed values.
@Suite(.timeLimit(.minutes(3))) struct VenueDecodingTests {
    @Test func anOrderReply() throws {
        let json = try JSONValue(parsing: #"""
        {"orderId":22542179,"symbol":"BTCUSDT","status":"FILLED","clientOrderId":"qt-o-abc","price":"0","avgPrice":"100000.00000",
         "origQty":"0.010","executedQty":"0.010","cumQty":"0.010","cumQuote":"1000.00000","timeInForce":"GTC","type":"MARKET",
         "reduceOnly":false,"closePosition":false,"side":"BUY","positionSide":"BOTH","stopPrice":"0","workingType":"CONTRACT_PRICE",
         "priceProtect":false,"origType":"MARKET","priceMatch":"NONE","selfTradePreventionMode":"EXPIRE_MAKER","goodTillDate":0,
         "updateTime":1750000000123}
        """#)
        let order = try VenueOrder(binance: json)
        #expect(order.orderID == 22542179 && order.clientOrderID == "qt-o-abc" && order.status == .filled)
        #expect(order.type == .market && order.side == .buy)
        #expect(order.executedQuantity == (try Quantity(parsing: "0.01")))
        #expect(order.averagePrice == (try Price(parsing: "100000")))
        #expect(order.updateTime == EpochMillis(1750000000123))
    }

    @Test func anUnknownOrderTypeStillDecodes() throws {
        let json: JSONValue = ["orderId": 1, "symbol": "BTCUSDT", "status": "NEW", "clientOrderId": "web_x", "price": "0", "avgPrice": "0",
                               "origQty": "1", "executedQty": "0", "type": "TRAILING_STOP_MARKET", "side": "SELL", "time": 5]
        let order = try VenueOrder(binance: json)
        #expect(order.type == nil && order.typeName == "TRAILING_STOP_MARKET")
        #expect(order.updateTime == EpochMillis(5))
    }

    @Test func positionRowsOfV2AndV3() throws {
        let v2 = try JSONValue(parsing: #"""
        {"symbol":"ETHUSDT","positionAmt":"-0.500","entryPrice":"3000.0","breakEvenPrice":"3001.5003001500","markPrice":"2990.12345678",
         "unRealizedProfit":"4.93827161","liquidationPrice":"0","leverage":"20","maxNotionalValue":"1000000","marginType":"cross",
         "isolatedMargin":"0.00000000","isAutoAddMargin":"false","positionSide":"BOTH","notional":"-1495.06","isolatedWallet":"0","updateTime":7}
        """#)
        let position = try VenuePosition(binance: v2)
        #expect(try position.direction == .short && position.quantity == (try Quantity(parsing: "-0.5")))
        #expect(position.leverage?.rawValue == 20 && position.marginType == .cross)
        let v3: JSONValue = ["symbol": "ETHUSDT", "positionSide": "BOTH", "positionAmt": "0", "entryPrice": "0", "markPrice": "3000",
                             "unRealizedProfit": "0", "liquidationPrice": "0"]
        let flat = try VenuePosition(binance: v3)
        #expect(flat.leverage == nil && flat.direction == nil)
    }

    @Test func algoOrdersAcceptEitherTypeField() throws {
        var fields: [JSONValue.Member] = [
            .init("algoId", 9), .init("clientAlgoId", "qt-s-1"), .init("symbol", "BTCUSDT"), .init("side", "SELL"),
            .init("algoStatus", "NEW"), .init("triggerPrice", "95000.00"), .init("closePosition", true), .init("actualOrderId", ""),
        ]
        fields.append(.init("orderType", "STOP_MARKET"))
        let placed = try VenueAlgoOrder(binance: .object(fields))
        #expect(placed.typeName == "STOP_MARKET" && placed.status.isLive && placed.actualOrderID == nil)
        fields.removeLast()
        fields.append(.init("type", "STOP_MARKET"))
        #expect(try VenueAlgoOrder(binance: .object(fields)).typeName == "STOP_MARKET")
    }

    @Test func accountTotalsAndConfigurations() throws {
        let account: JSONValue = ["totalWalletBalance": "1000.5", "totalUnrealizedProfit": "-2", "totalMarginBalance": "998.5",
                                  "availableBalance": "900", "totalInitialMargin": "98.5", "totalMaintMargin": "1", "canTrade": true]
        let decoded = try VenueAccount(binance: account)
        #expect(try decoded.canTrade && decoded.marginBalance == (try Notional(parsing: "998.5")))
        let config = try SymbolConfiguration(binance: ["symbol": "BTCUSDT", "marginType": "CROSSED", "isAutoAddMargin": "false",
                                                       "leverage": 21, "maxNotionalValue": "1000000"])
        #expect(config.leverage.rawValue == 21 && config.marginType == .cross)
        let leverageReply = try SymbolConfiguration(binance: ["leverage": 5, "maxNotionalValue": "5000000", "symbol": "ETHUSDT"])
        #expect(leverageReply.marginType == nil)
        #expect(throws: WireDecodingError.self) { try SymbolConfiguration(binance: ["leverage": 500, "maxNotionalValue": "1", "symbol": "X"]) }
    }

    @Test func userTrades() throws {
        let json = try JSONValue(parsing: #"{"buyer":false,"commission":"0.50000000","commissionAsset":"USDT","id":77,"maker":false,"orderId":5,"price":"100000","qty":"0.010","quoteQty":"1000","realizedPnl":"-1.5","side":"SELL","positionSide":"BOTH","symbol":"BTCUSDT","time":99}"#)
        let trade = try UserTrade(binance: json)
        #expect(try trade.tradeID == 77 && trade.side == .sell && trade.realizedPnL == (try Notional(parsing: "-1.5")))
    }
}
