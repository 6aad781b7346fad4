import Foundation
import QuantumCore
import QuantumSim
import QuantumTestSupport

/// A simulated exchange with BTCUSDT and ETHUSDT rules from the real exchangeInfo sample and one funded account.
struct SimulatedExchangeFixture {
    static let key = "test-key"
    static let btc = Symbol("BTCUSDT")
    static let eth = Symbol("ETHUSDT")
    static let start = EpochMillis(1_750_000_000_000)

    var exchange: SimulatedExchange
    var time = start

    init(balance: String = "10000", configure: (inout SimulatedExchange.Configuration) -> Void = { _ in }) throws {
        let data = try Data(contentsOf: try SharedData.file("binance_um_reference/exchange_info_sample_BTCUSDT_ETHUSDT.json"))
        var configuration = SimulatedExchange.Configuration()
        configure(&configuration)
        exchange = SimulatedExchange(rules: try ExchangeInfo.parse(data), configuration: configuration)
        exchange.openAccount(Self.key, balance: Notional(balance)!)
        move(Self.btc, to: "50000")
        move(Self.eth, to: "3000")
    }

    /// Advances one second and sets last and mark price.
    mutating func move(_ symbol: Symbol, to last: String, mark: String? = nil) {
        time = time.advanced(by: .seconds(1))
        exchange.updateMarket(symbol, last: Price(last)!, mark: Price(mark ?? last)!, time: time)
    }

    mutating func market(_ side: OrderSide, _ quantity: String, symbol: Symbol = btc, reduceOnly: Bool? = nil, id: String? = nil) throws(ExchangeError) -> SimOrder {
        try exchange.placeOrder(Self.key, NewOrderRequest(symbol: symbol, side: side, type: "MARKET", quantity: Quantity(quantity)!,
                                                         reduceOnly: reduceOnly, clientOrderID: id), time: time)
    }

    mutating func limit(_ side: OrderSide, _ quantity: String, at price: String, tif: TimeInForce = .gtc, symbol: Symbol = btc, id: String? = nil) throws(ExchangeError) -> SimOrder {
        try exchange.placeOrder(Self.key, NewOrderRequest(symbol: symbol, side: side, type: "LIMIT", quantity: Quantity(quantity)!,
                                                         price: Price(price)!, timeInForce: tif, clientOrderID: id), time: time)
    }

    func position(_ symbol: Symbol = btc, side: PositionSideParameter = .both) throws -> PositionSnapshot {
        try exchange.position(Self.key, symbol: symbol, side: side)
    }

    var account: SimAccount { exchange.account(Self.key)! }

    /// The Binance error code a throwing call produced, or nil if it succeeded.
    /// Any other error is reported as 0, which no expectation uses.
    static func code<T>(_ body: () throws -> T) -> Int? {
        do {
            _ = try body()
            return nil
        } catch let error as ExchangeError {
            return error.code
        } catch {
            return 0
        }
    }
}
