import QuantumCore
import QuantumVenue
import QuantumSim

/// Binance's reply shapes for the simulator's objects: decimals as strings, ids and times as numbers.
///
/// One function per object, field names and order as the reference (§5–7) gives them, so any
/// Binance client parses the simulator's replies unchanged.
public enum BinanceJSON {
    /// `{}`: ping, DELETE listenKey.
    public static let empty: JSONValue = .object([])

    /// `{"code":200,"msg":…}`: command endpoints with nothing to return.
    public static func success(_ message: String = "success") -> JSONValue {
        ["code": 200, "msg": .string(message)]
    }

    /// The error body `{"code":…,"msg":…}`.
    public static func error(_ error: ExchangeError) -> JSONValue {
        ["code": .integer(Int64(error.code)), "msg": .string(error.message)]
    }

    static func decimal<Unit>(_ value: FixedPoint<Unit>) -> JSONValue { .plain(value) }
}
