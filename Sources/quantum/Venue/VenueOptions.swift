import ArgumentParser
import Foundation
import QuantumVenue

/// How a command names a venue and its keys: `--venue URL` (any Binance-compatible server, the
/// simulator included), `--demo` or `--production`, with keys from `--key-file`, `--api-key/--api-secret`,
/// or the environment variables of that venue's environment.
struct VenueOptions: ParsableArguments {
    @Option(help: "REST base URL of a Binance-compatible venue (e.g. a `quantum exchange`).")
    var venue: String?

    @Flag(help: "Binance demo trading (the futures testnet).")
    var demo = false

    @Flag(help: "Binance production: real money.")
    var production = false

    @Option(help: "A key file (environment, api_key, api_secret; mode 600).")
    var keyFile: String?

    @Option(help: "API key (prefer --key-file or the environment: command lines are visible to other users).")
    var apiKey: String?

    @Option(help: "API secret (with --api-key).")
    var apiSecret: String?

    func validate() throws {
        if [venue != nil, demo, production].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --venue, --demo and --production")
        }
        if (apiKey == nil) != (apiSecret == nil) { throw ValidationError("--api-key and --api-secret go together") }
        if keyFile != nil, apiKey != nil { throw ValidationError("choose --key-file or --api-key/--api-secret, not both") }
    }

    /// The venue named on the command line.
    func endpoints() throws(VenueError) -> VenueEndpoints {
        if demo { return .demo }
        if production { return .production }
        guard let venue else { throw VenueError(.configuration, "name a venue: --venue URL, --demo or --production") }
        return try VenueEndpoints.custom(venue)
    }

    /// The keys for `endpoints`: the key file, the command line, or the environment (in that order).
    func credentials(for endpoints: VenueEndpoints) throws(VenueError) -> VenueCredentials? {
        if let keyFile {
            let credentials = try VenueCredentials.fromFile(keyFile)
            try credentials.check(against: endpoints)
            return credentials
        }
        if let apiKey, let apiSecret {
            return VenueCredentials(environment: endpoints.environment, apiKey: apiKey, secretKey: apiSecret)
        }
        return try VenueCredentials.fromEnvironment(endpoints.environment)
    }
}
