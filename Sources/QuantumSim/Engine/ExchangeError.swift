import QuantumCore

/// A Binance error as the simulated exchange answers it: code and message (`{"code":-2019,"msg":"Margin is insufficient."}`).
///
/// The transport maps the code to Binance's HTTP status; tests match on `code`, not `msg`.
public struct ExchangeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code) \(message)" }

    /// The error Binance gives for a broken symbol rule.
    public init(_ violation: RuleViolation) {
        self.init(code: violation.binanceCode, message: violation.message)
    }

    public static let unknown = ExchangeError(code: -1000, message: "An unknown error occured while processing the request.")
    public static func mandatoryParameter(_ name: String) -> ExchangeError {
        ExchangeError(code: -1102, message: "Mandatory parameter '\(name)' was not sent, was empty/null, or malformed.")
    }
    public static func invalidParameter(_ name: String) -> ExchangeError {
        ExchangeError(code: -1130, message: "Data sent for parameter '\(name)' is not valid.")
    }
    public static let invalidTimeInForce = ExchangeError(code: -1115, message: "Invalid timeInForce.")
    public static let invalidOrderType = ExchangeError(code: -1116, message: "Invalid orderType.")
    public static let invalidSide = ExchangeError(code: -1117, message: "Invalid side.")
    public static let badSymbol = ExchangeError(code: -1121, message: "Invalid symbol.")
    public static let unknownOrderCancel = ExchangeError(code: -2011, message: "Unknown order sent.")
    public static let noSuchOrder = ExchangeError(code: -2013, message: "Order does not exist.")
    public static let marginInsufficient = ExchangeError(code: -2019, message: "Margin is insufficient.")
    public static let unableToFill = ExchangeError(code: -2020, message: "Unable to fill.")
    public static let wouldImmediatelyTrigger = ExchangeError(code: -2021, message: "Order would immediately trigger.")
    public static let reduceOnlyRejected = ExchangeError(code: -2022, message: "ReduceOnly Order is rejected.")
    public static let maxOpenOrders = ExchangeError(code: -2025, message: "Reach max open order limit.")
    public static let maxLeverageRatio = ExchangeError(code: -2027, message: "Exceeded the maximum allowable position at current leverage.")
    public static func invalidLeverage(_ leverage: Int) -> ExchangeError {
        ExchangeError(code: -4028, message: "Leverage \(leverage) is not valid")
    }
    public static let noNeedToChangeMarginType = ExchangeError(code: -4046, message: "No need to change margin type.")
    public static let marginTypeOpenOrders = ExchangeError(code: -4047, message: "Margin type cannot be changed if there exists open orders.")
    public static let marginTypeQuantity = ExchangeError(code: -4048, message: "Margin type cannot be changed if there exists position.")
    public static let noNeedToChangePositionSide = ExchangeError(code: -4059, message: "No need to change position side.")
    public static let positionSideNotMatch = ExchangeError(code: -4061, message: "Order's position side does not match user's setting.")
    public static let positionSideChangeOpenOrders = ExchangeError(code: -4067, message: "Position side cannot be changed if there exists open orders.")
    public static let positionSideChangeQuantity = ExchangeError(code: -4068, message: "Position side cannot be changed if there exists position.")
    public static let invalidClientOrderID = ExchangeError(code: -4015, message: "Client order id is not valid.")
    public static let duplicateClientOrderID = ExchangeError(code: -4116, message: "clientOrderId is duplicated")
    public static let algoEndpointRequired = ExchangeError(code: -4120, message: "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.")
    public static let quantityWithClosePosition = ExchangeError(code: -4137, message: "Quantity must be zero with closePosition equals true")
    public static let reduceOnlyWithClosePosition = ExchangeError(code: -4138, message: "Reduce only must be true with closePosition equals true")
    public static let parameterNotRequired = ExchangeError(code: -1106, message: "Parameter 'reduceOnly' sent when not required.")
    public static let gtxWouldCross = ExchangeError(code: -5022, message: "Due to the order could not be executed as maker, the Post Only order will be rejected.")
    public static let noNeedToModify = ExchangeError(code: -5027, message: "No need to modify the order.")
    public static let modifyBelowExecuted = ExchangeError(code: -4003, message: "Quantity less than or equal to zero.")
    public static let fokRejected = ExchangeError(code: -5021, message: "Due to the order could not be filled immediately, the FOK order has been rejected.")
}
