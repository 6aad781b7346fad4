import Testing

/// One named check of a backend contract, run against every backend by a parameterized `@Test`.
///
/// `Factory` makes a fresh instance of the thing under test (an event log, a state store).
public struct ContractCheck<Factory: Sendable>: Sendable, CustomTestStringConvertible {
    /// What the check establishes.
    public let name: String
    /// Runs the check against instances made by the factory.
    public let run: @Sendable (_ factory: Factory) async throws -> Void

    public init(name: String, run: @escaping @Sendable (_ factory: Factory) async throws -> Void) {
        self.name = name
        self.run = run
    }

    public var testDescription: String { name }
}
