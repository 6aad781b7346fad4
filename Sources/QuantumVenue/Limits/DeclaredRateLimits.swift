/// The pool sizes a venue declares in `exchangeInfo.rateLimits`.
public struct DeclaredRateLimits: Hashable, Sendable {
    public var weightPerMinute: Int?
    public var ordersPerTenSeconds: Int?
    public var ordersPerMinute: Int?

    public init(weightPerMinute: Int? = nil, ordersPerTenSeconds: Int? = nil, ordersPerMinute: Int? = nil) {
        self.weightPerMinute = weightPerMinute
        self.ordersPerTenSeconds = ordersPerTenSeconds
        self.ordersPerMinute = ordersPerMinute
    }
}

extension DeclaredRateLimits {
    /// Reads the `rateLimits` array of an exchangeInfo document; unknown pool kinds are ignored.
    public init(exchangeInfo json: JSONValue) throws(WireDecodingError) {
        self.init()
        for limit in try json.optionalMember("rateLimits")?.elements() ?? [] {
            let type = try limit.string("rateLimitType")
            let interval = try limit.string("interval")
            let count = try limit.integer("intervalNum")
            let value = Int(clamping: try limit.integer("limit"))
            switch (type, interval, count) {
            case ("REQUEST_WEIGHT", "MINUTE", 1): weightPerMinute = value
            case ("ORDERS", "SECOND", 10): ordersPerTenSeconds = value
            case ("ORDERS", "MINUTE", 1): ordersPerMinute = value
            default: continue
            }
        }
    }
}
