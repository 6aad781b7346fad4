/// What one request costs against Binance's rate limits: IP request weight and new-order counts.
public struct RequestCost: Hashable, Sendable {
    /// Weight against the IP's `REQUEST_WEIGHT` per-minute limit (`X-MBX-USED-WEIGHT-1M`).
    public var weight: Int
    /// Count against the account's 10-second `ORDERS` limit (`X-MBX-ORDER-COUNT-10S`).
    public var orders10s: Int
    /// Count against the account's 1-minute `ORDERS` limit (`X-MBX-ORDER-COUNT-1M`).
    public var orders1m: Int

    public init(weight: Int, orders10s: Int = 0, orders1m: Int = 0) {
        self.weight = weight
        self.orders10s = orders10s
        self.orders1m = orders1m
    }

    /// Whether the request counts as a new order (and gets the order-count headers).
    public var isOrder: Bool { orders10s > 0 || orders1m > 0 }
}
