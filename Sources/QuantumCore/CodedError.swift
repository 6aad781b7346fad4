/// An error with a closed `Code` and a human message, described as `code: message`.
///
/// The Hummingbird/postgres-nio style: callers switch on `code`, people read `message`.
public protocol CodedError: Error, CustomStringConvertible {
    associatedtype Code: RawRepresentable where Code.RawValue == String
    var code: Code { get }
    var message: String { get }
}

extension CodedError {
    public var description: String { "\(code.rawValue): \(message)" }
}
