import Foundation
import NIOCore
import NIOSSL
import QuantumRedis
import QuantumTestSupport
import Testing

@Suite("Redis over TLS against a real server", .timeLimit(.minutes(3)))
struct RedisTLSTests {
    /// A self-signed certificate for `localhost` made with the openssl tool, in a fresh directory.
    private func selfSignedCertificate() async throws -> (directory: URL, certificate: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path, key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", certificate,
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        while openssl.isRunning { try await Task.sleep(for: .milliseconds(5)) }
        try #require(openssl.terminationStatus == 0, "openssl could not make a certificate")
        return (directory, certificate, key)
    }

    @Test("a client trusting the server's certificate talks TLS; one that does not fails to connect")
    func tls() async throws {
        let files = try await selfSignedCertificate()
        defer { try? FileManager.default.removeItem(at: files.directory) }
        var options = RedisServerProcess.Options()
        options.tlsCertificateFile = files.certificate
        options.tlsKeyFile = files.key
        let server = try await RedisServerProcess.start(options)
        let tlsPort = try #require(server.tlsPort)

        var trusting = TLSConfiguration.makeClientConfiguration()
        trusting.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(files.certificate))
        let configuration = RedisConnection.Configuration(port: tlsPort, tls: trusting, tlsServerName: "localhost")
        let connection = try await RedisConnection.connect(configuration: configuration)
        #expect(try await connection.send("PING") == .simpleString("PONG"))
        let key = uniqueKey()
        try await connection.set(key, value: "over tls")
        #expect(try await connection.get(key) == ByteBuffer(string: "over tls"))
        await connection.close()

        // rediss:// with the system trust roots does not trust a self-signed certificate.
        let untrusting = try RedisConnection.Configuration(url: "rediss://localhost:\(tlsPort)")
        let error = await #expect(throws: RedisError.self) { try await RedisConnection.connect(configuration: untrusting) }
        #expect(error?.code == .connectionFailed)
        await server.shutdown()
    }
}
