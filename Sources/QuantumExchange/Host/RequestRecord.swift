import QuantumCore

/// One REST request the simulator answered: what tests assert on ("no resend before a query").
public struct RequestRecord: Hashable, Sendable {
    public var method: String
    public var path: String
    /// `newClientOrderId`, `origClientOrderId` or `clientAlgoId`, when the request named one.
    public var clientOrderID: String?
    /// The HTTP status sent; `nil` when the reply was dropped on purpose.
    public var status: Int?
    public var time: EpochMillis
    /// The `symbol` parameter of an order endpoint's request (a listing without one weighs 40 on Binance, not 1).
    public var symbol: String?

    public init(method: String, path: String, clientOrderID: String?, status: Int?, time: EpochMillis, symbol: String? = nil) {
        self.method = method
        self.path = path
        self.clientOrderID = clientOrderID
        self.status = status
        self.time = time
        self.symbol = symbol
    }
}
