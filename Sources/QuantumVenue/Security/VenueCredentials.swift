import Foundation

/// An API key and secret, bound to the environment they were issued for.
///
/// Both halves are `Secret`s: printing, logging or dumping credentials shows the environment and a
/// short key hint, never the key or the secret.
public struct VenueCredentials: Hashable, Sendable, CustomStringConvertible {
    public var environment: VenueEnvironment
    public var apiKey: Secret
    public var secretKey: Secret

    public init(environment: VenueEnvironment, apiKey: String, secretKey: String) {
        self.environment = environment
        self.apiKey = Secret(apiKey)
        self.secretKey = Secret(secretKey)
    }

    public var description: String { "\(environment) credentials (key \(apiKey.hint))" }

    /// The environment variables that hold keys for `environment`.
    ///
    /// Different names per environment, so a production key in `BINANCE_API_KEY` can never be picked
    /// up for the demo, nor a demo key for real money.
    public static func variableNames(for environment: VenueEnvironment) -> (key: String, secret: String) {
        switch environment {
        case .production: ("BINANCE_API_KEY", "BINANCE_API_SECRET")
        case .demo: ("BINANCE_DEMO_API_KEY", "BINANCE_DEMO_API_SECRET")
        case .custom: ("QUANTUM_VENUE_API_KEY", "QUANTUM_VENUE_API_SECRET")
        }
    }

    /// Keys for `environment` from environment variables; `nil` when neither variable is set.
    public static func fromEnvironment(
        _ environment: VenueEnvironment, variables: [String: String] = ProcessInfo.processInfo.environment
    ) throws(VenueError) -> VenueCredentials? {
        let names = variableNames(for: environment)
        let key = variables[names.key].flatMap { $0.isEmpty ? nil : $0 }
        let secret = variables[names.secret].flatMap { $0.isEmpty ? nil : $0 }
        switch (key, secret) {
        case (nil, nil): return nil
        case (let key?, let secret?): return VenueCredentials(environment: environment, apiKey: key, secretKey: secret)
        case (nil, _): throw VenueError(.configuration, "\(names.secret) is set but \(names.key) is not")
        case (_, nil): throw VenueError(.configuration, "\(names.key) is set but \(names.secret) is not")
        }
    }

    /// Keys from a file of `name = value` lines (`environment`, `api_key`, `api_secret`; `#` comments).
    ///
    /// The file must be readable by its owner only (mode 600 or 400): a key file others can read is
    /// refused, with the `chmod` that fixes it.
    public static func fromFile(_ path: String) throws(VenueError) -> VenueCredentials {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw VenueError(.configuration, "key file \(path) cannot be read: \(error.localizedDescription)")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
        if mode & 0o077 != 0 {
            throw VenueError(.configuration,
                             "key file \(path) is readable by others (mode \(String(mode, radix: 8))); run: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw VenueError(.configuration, "key file \(path) cannot be read as UTF-8 text")
        }
        var fields: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw VenueError(.configuration, "key file \(path) line \(number + 1): expected name = value")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard ["environment", "api_key", "api_secret"].contains(name) else {
                throw VenueError(.configuration, "key file \(path) line \(number + 1): unknown name '\(name)'")
            }
            fields[name] = value
        }
        guard let environmentName = fields["environment"], let environment = VenueEnvironment(rawValue: environmentName.lowercased()) else {
            throw VenueError(.configuration, "key file \(path) must name its environment: environment = production | demo | custom")
        }
        guard let key = fields["api_key"], !key.isEmpty, let secret = fields["api_secret"], !secret.isEmpty else {
            throw VenueError(.configuration, "key file \(path) needs both api_key and api_secret")
        }
        return VenueCredentials(environment: environment, apiKey: key, secretKey: secret)
    }

    /// Refuses keys issued for another environment than `endpoints`'.
    public func check(against endpoints: VenueEndpoints) throws(VenueError) {
        guard environment == endpoints.environment else {
            throw VenueError(.configuration,
                             "\(environment) keys cannot be used on the \(endpoints.environment) venue \(endpoints.restBase)")
        }
    }
}
