/// The names of the headers Binance reads and sends (as Binance spells them; lookups ignore case).
public enum BinanceHeader {
    /// The API key header of every non-public request.
    public static let apiKey = "X-MBX-APIKEY"
    /// The IP's request weight used in the current minute.
    public static let usedWeight1m = "X-MBX-USED-WEIGHT-1M"
    /// The account's new orders in the current 10-second window.
    public static let orderCount10s = "X-MBX-ORDER-COUNT-10S"
    /// The account's new orders in the current minute.
    public static let orderCount1m = "X-MBX-ORDER-COUNT-1M"
    /// Seconds to wait after a 429 or 418.
    public static let retryAfter = "Retry-After"
    /// The content type of every response.
    public static let contentType = "Content-Type"
}
