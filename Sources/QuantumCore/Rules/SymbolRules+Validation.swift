/// An order's numbers as they would be sent, for validation against `SymbolRules`.
public struct OrderCheck: Hashable, Sendable {
    public var type: OrderType
    public var quantity: Quantity
    /// The limit price; `nil` for market orders.
    public var price: Price?
    /// The trigger price of a conditional order.
    public var stopPrice: Price?
    /// The mark price, for MIN_NOTIONAL of market orders and PERCENT_PRICE.
    public var markPrice: Price?
    public var side: OrderSide
    public var reduceOnly: Bool
    /// `closePosition=true` stops carry no quantity.
    public var closePosition: Bool

    public init(
        type: OrderType, side: OrderSide, quantity: Quantity, price: Price? = nil, stopPrice: Price? = nil,
        markPrice: Price? = nil, reduceOnly: Bool = false, closePosition: Bool = false
    ) {
        self.type = type
        self.side = side
        self.quantity = quantity
        self.price = price
        self.stopPrice = stopPrice
        self.markPrice = markPrice
        self.reduceOnly = reduceOnly
        self.closePosition = closePosition
    }
}

/// A rule an order breaks, with the Binance error code the exchange would answer.
public struct RuleViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// Binance's error code (`-4164`, `-1111`, …).
    public var binanceCode: Int
    /// Binance's error name (`MIN_NOTIONAL`, `BAD_PRECISION`, …).
    public var name: String
    public var message: String

    public init(binanceCode: Int, name: String, message: String) {
        self.binanceCode = binanceCode
        self.name = name
        self.message = message
    }

    public var description: String { "\(binanceCode) \(name): \(message)" }
}

extension SymbolRules {
    /// The first rule the order breaks, in Binance's own validation order, or `nil` if it passes.
    public func validate(_ order: OrderCheck) -> RuleViolation? {
        if !isTrading {
            return RuleViolation(binanceCode: -1121, name: "BAD_SYMBOL", message: "\(symbol) is \(status), not TRADING")
        }
        if !order.closePosition {
            if !order.quantity.isPositive {
                return RuleViolation(binanceCode: -4003, name: "QTY_LESS_THAN_ZERO", message: "Quantity less than or equal to zero.")
            }
            if order.quantity.significantDecimals > quantityPrecision {
                return RuleViolation(binanceCode: -1111, name: "BAD_PRECISION",
                                     message: "Quantity \(order.quantity) has more than \(quantityPrecision) decimals.")
            }
        }
        for price in [order.price, order.stopPrice].compactMap({ $0 }) {
            if let violation = validatePrice(price) { return violation }
        }
        if !order.closePosition, let violation = validateLot(order.quantity, lotRule(for: order.type)) {
            return violation
        }
        if let violation = validatePercentPrice(order) { return violation }
        if !order.reduceOnly, !order.closePosition, minNotional.isPositive {
            let reference = order.type == .market || order.type == .stopMarket || order.type == .takeProfitMarket
                ? (order.markPrice ?? order.stopPrice ?? order.price) : (order.price ?? order.markPrice)
            if let reference, let notional = try? reference.notional(of: order.quantity), notional < minNotional {
                return RuleViolation(binanceCode: -4164, name: "MIN_NOTIONAL",
                                     message: "Order's notional must be no smaller than \(minNotional) (unless you choose reduce only).")
            }
        }
        return nil
    }

    private func validatePrice(_ price: Price) -> RuleViolation? {
        if price.isNegative {
            return RuleViolation(binanceCode: -4001, name: "PRICE_LESS_THAN_ZERO", message: "Price less than 0.")
        }
        if price.significantDecimals > pricePrecision {
            return RuleViolation(binanceCode: -1111, name: "BAD_PRECISION",
                                 message: "Price \(price) has more than \(pricePrecision) decimals.")
        }
        if minPrice.isPositive, price < minPrice {
            return RuleViolation(binanceCode: -4013, name: "PRICE_LESS_THAN_MIN_PRICE", message: "Price less than min price.")
        }
        if maxPrice.isPositive, price > maxPrice {
            return RuleViolation(binanceCode: -4002, name: "PRICE_GREATER_THAN_MAX_PRICE", message: "Price greater than max price.")
        }
        if tickSize.isPositive, !price.isMultiple(of: tickSize, from: minPrice) {
            return RuleViolation(binanceCode: -4014, name: "PRICE_NOT_INCREASED_BY_TICK_SIZE", message: "Price not increased by tick size.")
        }
        return nil
    }

    private func validateLot(_ quantity: Quantity, _ rule: LotRule) -> RuleViolation? {
        if rule.minQuantity.isPositive, quantity < rule.minQuantity {
            return RuleViolation(binanceCode: -4004, name: "QTY_LESS_THAN_MIN_QTY", message: "Quantity less than min quantity.")
        }
        if rule.maxQuantity.isPositive, quantity > rule.maxQuantity {
            return RuleViolation(binanceCode: -4005, name: "QTY_GREATER_THAN_MAX_QTY", message: "Quantity greater than max quantity.")
        }
        if rule.stepSize.isPositive, !quantity.isMultiple(of: rule.stepSize, from: rule.minQuantity) {
            return RuleViolation(binanceCode: -4023, name: "QTY_NOT_INCREASED_BY_STEP_SIZE", message: "Qty not increased by step size.")
        }
        return nil
    }

    private func validatePercentPrice(_ order: OrderCheck) -> RuleViolation? {
        guard order.type == .limit, let price = order.price, let mark = order.markPrice else { return nil }
        if order.side == .buy, let up = multiplierUp, let cap = try? mark.fraction(up, rounding: .up), price > cap {
            return RuleViolation(binanceCode: -4016, name: "PRICE_HIGHTER_THAN_MULTIPLIER_UP", message: "Price is higher than mark price multiplier cap.")
        }
        if order.side == .sell, let down = multiplierDown, let floor = try? mark.fraction(down, rounding: .down), price < floor {
            return RuleViolation(binanceCode: -4024, name: "PRICE_LOWER_THAN_MULTIPLIER_DOWN", message: "Price is lower than mark price multiplier floor.")
        }
        return nil
    }
}
