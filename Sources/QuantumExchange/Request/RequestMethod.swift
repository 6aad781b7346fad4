/// An HTTP request method as the edge sees it (`GET`, `POST`, …), compared case-sensitively like HTTP does.
///
/// A struct rather than an enum so that methods Binance does not use (`HEAD`, `OPTIONS`) still round-trip.
public struct RequestMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let get = RequestMethod(rawValue: "GET")
    public static let post = RequestMethod(rawValue: "POST")
    public static let put = RequestMethod(rawValue: "PUT")
    public static let delete = RequestMethod(rawValue: "DELETE")

    public var description: String { rawValue }
}
