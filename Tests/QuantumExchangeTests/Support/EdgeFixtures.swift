import QuantumCore
import QuantumExchange
import QuantumSim

/// The documentation's example credentials and signing vectors (reference §3.1).
enum DocVectors {
    static let apiKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83"
    static let secretKey = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9"
    static let timestamp = EpochMillis(1_591_702_613_943)
    static let credential = APICredential(apiKey: apiKey, secretKey: secretKey)

    static let message1 = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943"
    static let signature1 = "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9"
    static let message2 = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943"
    static let signature2 = "ec11dcc17e67e47f0d3c3f513dfe9062307e37619c5c82ebaa8fe0bdf3d59519"
    static let query3 = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC"
    static let body3 = "quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943"
    static let signature3 = "30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4"
    static let message4 = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC"
    static let signature4 = "4056c4b237c7382ba50c28812d0f98f467f9d13c783f56afa5db3c705cb105ac"

    /// Every (message, signature) pair of the table.
    static let all: [(message: String, signature: String)] = [
        (message1, signature1), (message2, signature2), (query3 + body3, signature3), (message4, signature4),
    ]

    static var authenticator: RequestAuthenticator { RequestAuthenticator(credentials: [credential]) }

    static func request(
        _ method: RequestMethod = .post, path: String = "/fapi/v1/order", query: String = "", body: String = "",
        apiKey: String? = DocVectors.apiKey
    ) -> BinanceRequest {
        var headers: HTTPHeaderFields = [:]
        if let apiKey { headers.append(name: "X-MBX-APIKEY", value: apiKey) }
        return BinanceRequest(method: method, path: path, query: query, body: body, headers: headers, remoteAddress: "127.0.0.1")
    }
}

/// The error `body` throws, or `nil` when it returns (any other error becomes code 0, failing the comparison).
///
/// Untyped on purpose: closures written inside `#expect` infer `throws(any Error)`.
func thrown<T>(_ body: () throws -> T) -> ExchangeError? {
    do {
        _ = try body()
        return nil
    } catch {
        return (error as? ExchangeError) ?? ExchangeError(code: 0, message: "\(error)")
    }
}
