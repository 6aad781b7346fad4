import QuantumCore
import QuantumSim

/// Applies Binance's security checks to a request, in the order the live service is observed to:
/// API key (`-2014`/`-2015`, HTTP 401), parameters (`-1101`), `timestamp`/`signature` present
/// (`-1102`), receive window (`-1021`), then the HMAC (`-1022`).
///
/// Pure: the server time is passed in, so tests replay the documentation's 2020 timestamps.
public struct RequestAuthenticator: Sendable {
    /// The timing rules of signed requests.
    public struct Configuration: Hashable, Sendable {
        /// The receive window when the request sends none (ms).
        public var defaultRecvWindow: Int64
        /// The largest receive window accepted (ms); larger is `-1130`.
        public var maxRecvWindow: Int64
        /// A timestamp this many ms or more ahead of the server clock is `-1021`.
        public var maxAhead: Int64

        public init(defaultRecvWindow: Int64 = 5_000, maxRecvWindow: Int64 = 60_000, maxAhead: Int64 = 1_000) {
            self.defaultRecvWindow = defaultRecvWindow
            self.maxRecvWindow = maxRecvWindow
            self.maxAhead = maxAhead
        }
    }

    /// The timing rules in force.
    public let configuration: Configuration
    private let verifiers: [String: SignatureVerifier]

    /// An authenticator knowing `credentials` (a key listed twice keeps its last secret).
    public init(credentials: [APICredential], configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.verifiers = Dictionary(credentials.map { ($0.apiKey, SignatureVerifier(secretKey: $0.secretKey)) }) { _, last in last }
    }

    /// Whether `apiKey` is one of the known keys.
    public func knows(apiKey: String) -> Bool { verifiers[apiKey] != nil }

    /// Checks `request` against `security` at `serverTime` and returns it with its parameters.
    public func authenticate(
        _ request: BinanceRequest, security: SecurityType, serverTime: EpochMillis
    ) throws(ExchangeError) -> AuthenticatedRequest {
        guard security.requiresAPIKey else {
            return AuthenticatedRequest(request: request, parameters: try request.parameters(), security: security, apiKey: nil)
        }
        guard let apiKey = request.apiKey, APICredential.isWellFormedKey(apiKey) else { throw EdgeErrors.badAPIKeyFormat }
        guard let verifier = verifiers[apiKey] else { throw EdgeErrors.rejectedAPIKey(requestIP: request.remoteAddress) }
        let parameters = try request.parameters()
        if security.requiresSignature {
            guard parameters.isPresent("timestamp") else { throw .mandatoryParameter("timestamp") }
            guard parameters.isPresent("signature") else { throw .mandatoryParameter("signature") }
            let timestamp = try parameters.requiredInt64("timestamp")
            let recvWindow = try parameters.int64("recvWindow") ?? configuration.defaultRecvWindow
            guard recvWindow > 0, recvWindow <= configuration.maxRecvWindow else { throw .invalidParameter("recvWindow") }
            try checkTiming(timestamp: timestamp, recvWindow: recvWindow, serverTime: serverTime)
            try verifier.verify(request)
        }
        return AuthenticatedRequest(request: request, parameters: parameters, security: security, apiKey: apiKey)
    }

    /// `-1021` unless `timestamp` is less than `maxAhead` ms ahead of `serverTime` and at most
    /// `recvWindow` ms behind it (Binance: accept iff `timestamp < serverTime + 1000` and
    /// `serverTime − timestamp ≤ recvWindow`).
    public func checkTiming(timestamp: Int64, recvWindow: Int64, serverTime: EpochMillis) throws(ExchangeError) {
        let (ahead, overflow) = timestamp.subtractingReportingOverflow(serverTime.rawValue)
        if overflow || ahead >= configuration.maxAhead { throw EdgeErrors.timestampAhead }
        if -ahead > recvWindow { throw EdgeErrors.timestampOutsideRecvWindow }
    }
}
