import QuantumCore
import QuantumSim
import QuantumVenue

extension ExchangeDesk {
    /// Orders one batch may carry (Binance: 5).
    static let batchOrderLimit = 5
    /// Orders one batch cancel may name (Binance: 10).
    static let batchCancelLimit = 10

    /// `POST /fapi/v1/batchOrders`: up to 5 orders from the JSON array in `batchOrders`, each placed exactly as
    /// `POST /fapi/v1/order` places one; the reply lists, in request order, each order or its `{code, msg}`.
    mutating func newBatchOrders(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let items = try Self.batchObjects(call.parameters.string("batchOrders"), name: "batchOrders", limit: Self.batchOrderLimit)
        var replies: [JSONValue] = []
        for item in items {
            var single = call
            single.parameters = item
            do { replies.append(try newOrder(single)) } catch { replies.append(BinanceJSON.itemError(error)) }
        }
        return .array(replies)
    }

    /// `DELETE /fapi/v1/batchOrders`: cancels the orders of `symbol` named by `orderIdList` or `origClientOrderIdList`
    /// (JSON arrays, at most 10); the reply lists each cancelled order or its `{code, msg}`.
    mutating func cancelBatchOrders(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try symbol(call)
        let ids = call.parameters.string("orderIdList"), clientIDs = call.parameters.string("origClientOrderIdList")
        guard (ids == nil) != (clientIDs == nil) else {
            throw ExchangeError(code: -1102, message: "Param 'orderIdList' or 'origClientOrderIdList' must be sent, but both were empty/null!")
        }
        let name = ids != nil ? "orderId" : "origClientOrderId"
        let values = try Self.batchScalars(ids ?? clientIDs, name: ids != nil ? "orderIdList" : "origClientOrderIdList", limit: Self.batchCancelLimit)
        var replies: [JSONValue] = []
        for value in values {
            var single = call
            single.parameters = BinanceParameters(["symbol": symbol.rawValue, name: value])
            do { replies.append(try cancelOrder(single)) } catch { replies.append(BinanceJSON.itemError(error)) }
        }
        return .array(replies)
    }

    /// The objects of a batch parameter, each as the parameters of one request (numbers and booleans as their text).
    static func batchObjects(_ text: String?, name: String, limit: Int) throws(ExchangeError) -> [BinanceParameters] {
        let invalid = ExchangeError(code: -1130, message: "Data sent for parameter '\(name)' is not valid.")
        guard let text else { throw ExchangeError(code: -1102, message: "Mandatory parameter '\(name)' was not sent, was empty/null, or malformed.") }
        guard let document = try? JSONValue(parsing: text), case .array(let elements) = document, !elements.isEmpty, elements.count <= limit
        else { throw invalid }
        var items: [BinanceParameters] = []
        for element in elements {
            guard case .object(let members) = element else { throw invalid }
            var values: [String: String] = [:]
            for member in members {
                guard let scalar = scalarText(member.value), values[member.key] == nil else { throw invalid }
                values[member.key] = scalar
            }
            items.append(BinanceParameters(values))
        }
        return items
    }

    /// The scalars of a JSON array parameter (`[123, 456]`, `["a", "b"]`) as text.
    static func batchScalars(_ text: String?, name: String, limit: Int) throws(ExchangeError) -> [String] {
        let invalid = ExchangeError(code: -1130, message: "Data sent for parameter '\(name)' is not valid.")
        guard let text, let document = try? JSONValue(parsing: text), case .array(let elements) = document, !elements.isEmpty,
              elements.count <= limit
        else { throw invalid }
        return try elements.map { element throws(ExchangeError) in
            guard let scalar = scalarText(element) else { throw invalid }
            return scalar
        }
    }

    /// A string, integer, number or boolean as the text a form parameter would carry; `nil` for anything else.
    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }
}

extension BinanceJSON {
    /// One failed item of a batch: `{"code": -2019, "msg": "Margin is insufficient."}`.
    static func itemError(_ error: ExchangeError) -> JSONValue {
        ["code": .integer(Int64(error.code)), "msg": .string(error.message)]
    }
}
