import QuantumCore
import QuantumVenue
import QuantumSim

extension ExchangeDesk {
    /// `POST /fapi/v1/algoOrder` (algoType CONDITIONAL).
    mutating func newAlgoOrder(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let p = call.parameters
        let algoType = try p.requiredString("algoType")
        guard algoType == "CONDITIONAL" else { throw .invalidParameter("algoType") }
        let request = NewAlgoOrderRequest(
            symbol: try symbol(call),
            side: try p.requiredEnumeration("side", as: OrderSide.self, invalid: .invalidSide),
            type: try p.requiredString("type"),
            triggerPrice: try p.decimal("triggerPrice", as: PriceUnit.self),
            workingType: try p.enumeration("workingType", as: WorkingType.self) ?? .contractPrice,
            closePosition: try p.bool("closePosition") ?? false,
            quantity: try p.decimal("quantity", as: QuantityUnit.self),
            reduceOnly: try p.bool("reduceOnly"),
            positionSide: try p.enumeration("positionSide", as: PositionSideParameter.self,
                                            invalid: ExchangeError(code: -4060, message: "Invalid position side.")),
            clientAlgoID: p.string("clientAlgoId"))
        return BinanceJSON.algoOrder(try paper.engine.placeAlgoOrder(try call.account(), request, time: call.marketTime))
    }

    /// `GET /fapi/v1/algoOrder`.
    func queryAlgoOrder(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let (id, clientID) = try algoReference(call)
        return BinanceJSON.algoOrder(try engine.queryAlgoOrder(try call.account(), algoID: id, clientAlgoID: clientID))
    }

    /// `DELETE /fapi/v1/algoOrder`.
    mutating func cancelAlgoOrder(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let (id, clientID) = try algoReference(call)
        return BinanceJSON.algoOrder(try paper.engine.cancelAlgoOrder(try call.account(), algoID: id, clientAlgoID: clientID, time: call.marketTime))
    }

    /// `DELETE /fapi/v1/algoOpenOrders`: cancels a symbol's live conditional orders.
    mutating func cancelAllAlgoOrders(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try symbol(call)
        let account = try call.account()
        for algo in try accountState(call).openAlgoOrders(symbol) {
            _ = try paper.engine.cancelAlgoOrder(account, algoID: algo.algoID, clientAlgoID: nil, time: call.marketTime)
        }
        return BinanceJSON.success("The operation of cancel all open order is done.")
    }

    /// `GET /fapi/v1/openAlgoOrders`.
    func openAlgoOrders(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try optionalSymbol(call)
        return .array(try accountState(call).openAlgoOrders(symbol).map(BinanceJSON.algoOrder))
    }

    /// `GET /fapi/v1/allAlgoOrders`: a symbol's conditional orders, oldest first.
    func allAlgoOrders(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try symbol(call)
        let limit = try limit(call, default: 500, max: 1_000)
        let (start, end) = try window(call)
        let algos = try accountState(call).algoOrders.values
            .filter { algo in
                algo.symbol == symbol && (start.map { algo.time >= $0 } ?? true) && (end.map { algo.time <= $0 } ?? true)
            }
            .sorted { $0.algoID < $1.algoID }
        return .array((start != nil ? Array(algos.prefix(limit)) : Array(algos.suffix(limit))).map(BinanceJSON.algoOrder))
    }

    /// `algoId` or `clientAlgoId` (`-1102` naming algoId when neither is sent).
    func algoReference(_ call: DeskCall) throws(ExchangeError) -> (Int64?, String?) {
        let id = try call.parameters.int64("algoId")
        let clientID = call.parameters.string("clientAlgoId")
        guard id != nil || clientID != nil else { throw .mandatoryParameter("algoId") }
        return (id, clientID)
    }
}
