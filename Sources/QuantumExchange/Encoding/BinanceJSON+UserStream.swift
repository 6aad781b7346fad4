import QuantumCore
import QuantumVenue
import QuantumSim

extension BinanceJSON {
    /// A user-data event as Binance pushes it (`ORDER_TRADE_UPDATE`, `ACCOUNT_UPDATE`, `ALGO_UPDATE`).
    public static func userEvent(_ event: UserEvent) -> JSONValue {
        switch event {
        case .orderUpdate(let update): orderTradeUpdate(update)
        case .accountUpdate(let update): accountUpdate(update)
        case .algoUpdate(let algo, let time): algoUpdate(algo, time: time)
        }
    }

    /// `listenKeyExpired`.
    public static func listenKeyExpired(_ key: String, time: EpochMillis) -> JSONValue {
        ["e": "listenKeyExpired", "E": .time(time), "listenKey": .string(key)]
    }

    static func orderTradeUpdate(_ update: OrderUpdate) -> JSONValue {
        let order = update.order
        let trade = update.trade
        var o: [JSONValue.Member] = [
            .init("s", .string(order.symbol.rawValue)),
            .init("c", .string(order.clientOrderID)),
            .init("S", .string(order.side.rawValue)),
            .init("o", .string(order.type.rawValue)),
            .init("f", .string(order.timeInForce.rawValue)),
            .init("q", decimal(order.originalQuantity)),
            .init("p", decimal(order.price)),
            .init("ap", decimal(order.averagePrice)),
            .init("sp", "0"),
            .init("x", .string(update.executionType.rawValue)),
            .init("X", .string(order.status.rawValue)),
            .init("i", .integer(order.orderID)),
            .init("l", decimal(trade?.quantity ?? .zero)),
            .init("z", decimal(order.executedQuantity)),
            .init("L", decimal(trade?.price ?? .zero)),
        ]
        if let trade {
            o.append(.init("N", "USDT"))
            o.append(.init("n", decimal(trade.commission)))
        }
        o += [
            .init("T", .time(update.time)),
            .init("t", .integer(trade?.tradeID ?? 0)),
            .init("b", "0"),
            .init("a", "0"),
            .init("m", .bool(trade?.maker ?? false)),
            .init("R", .bool(order.reduceOnly)),
            .init("wt", "CONTRACT_PRICE"),
            .init("ot", .string(order.type.rawValue)),
            .init("ps", .string(order.positionSide.rawValue)),
            .init("cp", .bool(order.closePosition)),
            .init("rp", decimal(trade?.realizedPnL ?? .zero)),
            .init("pP", false),
            .init("si", 0),
            .init("ss", 0),
            .init("V", "EXPIRE_MAKER"),
            .init("pm", "NONE"),
            .init("gtd", 0),
        ]
        return ["e": "ORDER_TRADE_UPDATE", "E": .time(update.time), "T": .time(update.time), "o": .object(o)]
    }

    static func accountUpdate(_ update: AccountUpdate) -> JSONValue {
        [
            "e": "ACCOUNT_UPDATE",
            "E": .time(update.time),
            "T": .time(update.time),
            "a": [
                "m": .string(update.reason.rawValue),
                "B": [["a": "USDT", "wb": decimal(update.walletBalance), "cw": decimal(update.walletBalance), "bc": "0"]],
                "P": .array(update.positions.map { p in
                    [
                        "s": .string(p.symbol.rawValue),
                        "pa": decimal(p.quantity),
                        "ep": decimal(p.entryPrice),
                        "bep": decimal(p.entryPrice),
                        "cr": "0",
                        "up": decimal(p.unrealizedPnL),
                        "mt": .string(p.marginType == .isolated ? "isolated" : "cross"),
                        "iw": decimal(p.isolatedWallet),
                        "ps": .string(p.positionSide.rawValue),
                    ]
                }),
            ],
        ]
    }

    static func algoUpdate(_ algo: AlgoOrder, time: EpochMillis) -> JSONValue {
        [
            "e": "ALGO_UPDATE",
            "T": .time(time),
            "E": .time(time),
            "o": [
                "caid": .string(algo.clientAlgoID),
                "aid": .integer(algo.algoID),
                "at": "CONDITIONAL",
                "o": .string(algo.type.rawValue),
                "s": .string(algo.symbol.rawValue),
                "S": .string(algo.side.rawValue),
                "ps": .string(algo.positionSide.rawValue),
                "f": "GTC",
                "q": decimal(algo.quantity ?? .zero),
                "X": .string(algo.status.rawValue),
                "ai": .string(algo.triggeredOrderID.map(String.init) ?? ""),
                "ap": "0",
                "aq": "0",
                "act": "MARKET",
                "tp": decimal(algo.triggerPrice),
                "p": "0",
                "V": "EXPIRE_MAKER",
                "wt": .string(algo.workingType.rawValue),
                "pm": "NONE",
                "cp": .bool(algo.closePosition),
                "pP": false,
                "R": .bool(algo.reduceOnly || algo.closePosition),
                "tt": .integer(algo.status == .new || algo.status == .canceled ? 0 : algo.updateTime.rawValue),
                "gtd": 0,
                "rm": "",
            ],
        ]
    }
}
