/// A request that passed its endpoint's security checks, with its parsed parameters.
public struct AuthenticatedRequest: Sendable {
    /// The request as received.
    public var request: BinanceRequest
    /// Its parameters (query and body merged, query winning).
    public var parameters: BinanceParameters
    /// The security type it was checked against.
    public var security: SecurityType
    /// The verified API key (it names the account); `nil` for public endpoints.
    public var apiKey: String?

    public init(request: BinanceRequest, parameters: BinanceParameters, security: SecurityType, apiKey: String?) {
        self.request = request
        self.parameters = parameters
        self.security = security
        self.apiKey = apiKey
    }
}
