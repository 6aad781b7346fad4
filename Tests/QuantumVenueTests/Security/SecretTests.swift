import Foundation
import QuantumVenue
import Testing

@Suite(.timeLimit(.minutes(3))) struct SecretTests {
    @Test func secretsNeverDescribeThemselves() {
        let credentials = VenueCredentials(environment: .demo, apiKey: "AKEY1234567890", secretKey: "SUPERSECRET")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped, "\(credentials.secretKey)", String(reflecting: credentials.apiKey)] {
            #expect(!text.contains("SUPERSECRET") && !text.contains("AKEY1234567890"), "\(text)")
        }
        #expect("\(credentials)" == "demo credentials (key …(14))")
        #expect(Secret(String(repeating: "a", count: 64)).hint == "aaaa…(64)")
    }

    @Test func environmentVariablesArePerEnvironment() throws {
        let variables = ["BINANCE_API_KEY": "prod-key", "BINANCE_API_SECRET": "prod-secret"]
        #expect(try VenueCredentials.fromEnvironment(.demo, variables: variables) == nil)
        let production = try #require(try VenueCredentials.fromEnvironment(.production, variables: variables))
        #expect(production.environment == .production && production.apiKey.revealed == "prod-key")
        let half = #expect(throws: VenueError.self) { try VenueCredentials.fromEnvironment(.custom, variables: ["QUANTUM_VENUE_API_KEY": "k"]) }
        #expect(half?.message.contains("QUANTUM_VENUE_API_SECRET") == true)
    }

    @Test func keyFilesMustBeOwnerOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("demo.keys").path
        try "# demo keys\nenvironment = demo\napi_key = k1\napi_secret = s1\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let open = #expect(throws: VenueError.self) { try VenueCredentials.fromFile(path) }
        #expect(open?.message.contains("chmod 600") == true)
        #expect(open?.message.contains("s1") == false)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let loaded = try VenueCredentials.fromFile(path)
        #expect(loaded.environment == .demo && loaded.secretKey.revealed == "s1")
        #expect(throws: VenueError.self) { try loaded.check(against: .production) }
        #expect(throws: Never.self) { try loaded.check(against: .demo) }
        try "api_key = k1\napi_secret = s1\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let unnamed = #expect(throws: VenueError.self) { try VenueCredentials.fromFile(path) }
        #expect(unnamed?.message.contains("environment") == true)
    }
}
