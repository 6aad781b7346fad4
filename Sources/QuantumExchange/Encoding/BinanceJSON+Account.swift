import QuantumCore
import QuantumVenue
import QuantumSim

extension BinanceJSON {
    /// `GET /fapi/v2/positionRisk`: every symbol, zero positions included.
    public static func positionRiskV2(_ view: AccountView) -> JSONValue {
        .array(view.rows.map { row in
            let p = row.snapshot
            return [
                "symbol": .string(p.symbol.rawValue),
                "positionAmt": decimal(p.quantity),
                "entryPrice": decimal(p.entryPrice),
                "breakEvenPrice": decimal(p.entryPrice),
                "markPrice": decimal(p.markPrice),
                "unRealizedProfit": decimal(p.unrealizedPnL),
                "liquidationPrice": decimal(p.liquidationPrice),
                "leverage": .string(String(p.leverage.rawValue)),
                "maxNotionalValue": decimal(row.maxNotional),
                "marginType": .string(p.marginType == .isolated ? "isolated" : "cross"),
                "isolatedMargin": decimal(p.isolatedWallet),
                "isAutoAddMargin": "false",
                "positionSide": .string(p.positionSide.rawValue),
                "notional": decimal(p.notional),
                "isolatedWallet": decimal(p.isolatedWallet),
                "updateTime": .time(p.updateTime),
            ]
        })
    }

    /// `GET /fapi/v3/positionRisk`: only symbols with a position or open orders; no leverage or margin type.
    public static func positionRiskV3(_ view: AccountView) -> JSONValue {
        .array(view.activeRows.map { row in
            let p = row.snapshot
            return [
                "symbol": .string(p.symbol.rawValue),
                "positionSide": .string(p.positionSide.rawValue),
                "positionAmt": decimal(p.quantity),
                "entryPrice": decimal(p.entryPrice),
                "breakEvenPrice": decimal(p.entryPrice),
                "markPrice": decimal(p.markPrice),
                "unRealizedProfit": decimal(p.unrealizedPnL),
                "liquidationPrice": decimal(p.liquidationPrice),
                "isolatedMargin": decimal(p.isolatedWallet),
                "notional": decimal(p.notional),
                "marginAsset": "USDT",
                "isolatedWallet": decimal(p.isolatedWallet),
                "initialMargin": decimal(sum(row.initialMargin, row.openOrderMargin)),
                "maintMargin": decimal(row.maintenanceMargin),
                "positionInitialMargin": decimal(row.initialMargin),
                "openOrderInitialMargin": decimal(row.openOrderMargin),
                "adl": 0,
                "bidNotional": decimal(row.bidNotional),
                "askNotional": decimal(row.askNotional),
                "updateTime": .time(p.updateTime),
            ]
        })
    }

    /// `GET /fapi/v2/account`.
    public static func accountV2(_ view: AccountView) -> JSONValue {
        var members = flags(view)
        members += totals(view)
        members.append(.init("assets", assets(view)))
        members.append(.init("positions", .array(view.rows.map { row in
            let p = row.snapshot
            return [
                "symbol": .string(p.symbol.rawValue),
                "initialMargin": decimal(sum(row.initialMargin, row.openOrderMargin)),
                "maintMargin": decimal(row.maintenanceMargin),
                "unrealizedProfit": decimal(p.unrealizedPnL),
                "positionInitialMargin": decimal(row.initialMargin),
                "openOrderInitialMargin": decimal(row.openOrderMargin),
                "leverage": .string(String(p.leverage.rawValue)),
                "isolated": .bool(p.marginType == .isolated),
                "entryPrice": decimal(p.entryPrice),
                "maxNotional": decimal(row.maxNotional),
                "bidNotional": decimal(row.bidNotional),
                "askNotional": decimal(row.askNotional),
                "positionSide": .string(p.positionSide.rawValue),
                "positionAmt": decimal(p.quantity),
                "updateTime": .time(p.updateTime),
            ]
        })))
        return .object(members)
    }

    /// `GET /fapi/v3/account`: totals, assets, and only the active positions.
    public static func accountV3(_ view: AccountView) -> JSONValue {
        var members = totals(view)
        members.append(.init("assets", assets(view)))
        members.append(.init("positions", .array(view.activeRows.map { row in
            let p = row.snapshot
            return [
                "symbol": .string(p.symbol.rawValue),
                "positionSide": .string(p.positionSide.rawValue),
                "positionAmt": decimal(p.quantity),
                "unrealizedProfit": decimal(p.unrealizedPnL),
                "isolatedMargin": decimal(p.isolatedWallet),
                "notional": decimal(p.notional),
                "isolatedWallet": decimal(p.isolatedWallet),
                "initialMargin": decimal(sum(row.initialMargin, row.openOrderMargin)),
                "maintMargin": decimal(row.maintenanceMargin),
                "updateTime": .time(p.updateTime),
            ]
        })))
        return .object(members)
    }

    /// `GET /fapi/v2/balance` and `/fapi/v3/balance` (same shape).
    public static func balance(_ view: AccountView) -> JSONValue {
        let s = view.summary
        return [[
            "accountAlias": "SgsR",
            "asset": "USDT",
            "balance": decimal(s.walletBalance),
            "crossWalletBalance": decimal(s.walletBalance),
            "crossUnPnl": decimal(s.unrealizedPnL),
            "availableBalance": decimal(s.availableBalance),
            "maxWithdrawAmount": decimal(s.availableBalance),
            "marginAvailable": true,
            "updateTime": .time(view.time),
        ]]
    }

    /// A sum for display; an overflow (beyond 92 billion USDT) shows the first term rather than failing the reply.
    static func sum(_ a: Notional, _ b: Notional) -> Notional { (try? a + b) ?? a }

    private static func flags(_ view: AccountView) -> [JSONValue.Member] {
        [
            .init("feeTier", 0), .init("feeBurn", false), .init("canTrade", true), .init("canDeposit", true),
            .init("canWithdraw", true), .init("updateTime", 0), .init("multiAssetsMargin", false), .init("tradeGroupId", -1),
        ]
    }

    private static func totals(_ view: AccountView) -> [JSONValue.Member] {
        let s = view.summary
        let positionInitial = view.rows.reduce(Notional.zero) { (try? $0 + $1.initialMargin) ?? $0 }
        return [
            .init("totalInitialMargin", decimal(sum(s.initialMargin, s.openOrderMargin))),
            .init("totalMaintMargin", decimal(s.maintenanceMargin)),
            .init("totalWalletBalance", decimal(s.walletBalance)),
            .init("totalUnrealizedProfit", decimal(s.unrealizedPnL)),
            .init("totalMarginBalance", decimal(s.marginBalance)),
            .init("totalPositionInitialMargin", decimal(positionInitial)),
            .init("totalOpenOrderInitialMargin", decimal(s.openOrderMargin)),
            .init("totalCrossWalletBalance", decimal(s.walletBalance)),
            .init("totalCrossUnPnl", decimal(s.unrealizedPnL)),
            .init("availableBalance", decimal(s.availableBalance)),
            .init("maxWithdrawAmount", decimal(s.availableBalance)),
        ]
    }

    private static func assets(_ view: AccountView) -> JSONValue {
        let s = view.summary
        return [[
            "asset": "USDT",
            "walletBalance": decimal(s.walletBalance),
            "unrealizedProfit": decimal(s.unrealizedPnL),
            "marginBalance": decimal(s.marginBalance),
            "maintMargin": decimal(s.maintenanceMargin),
            "initialMargin": decimal(sum(s.initialMargin, s.openOrderMargin)),
            "positionInitialMargin": decimal(s.initialMargin),
            "openOrderInitialMargin": decimal(s.openOrderMargin),
            "crossWalletBalance": decimal(s.walletBalance),
            "crossUnPnl": decimal(s.unrealizedPnL),
            "availableBalance": decimal(s.availableBalance),
            "maxWithdrawAmount": decimal(s.availableBalance),
            "marginAvailable": true,
            "updateTime": .time(view.time),
        ]]
    }
}
