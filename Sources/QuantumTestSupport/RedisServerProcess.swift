import Foundation
import Synchronization

/// A real `redis-server` on a free loopback port in a fresh temporary directory, for integration tests.
///
/// Started and stopped by its process id, never by name. It can be stopped and started again on the same port and
/// directory, so a test can take Redis down and bring it back (with its append-only file, if enabled).
/// `shutdown()` stops it and deletes the directory; dropping the last reference kills it as a safety net.
public final class RedisServerProcess: Sendable {
    /// An ACL user with full access (`~* &* +@all`).
    public struct User: Sendable, Hashable {
        /// The user name.
        public var name: String
        /// The user's password.
        public var password: String

        /// A user with full access.
        public init(name: String, password: String) {
            self.name = name
            self.password = password
        }
    }

    /// How the server is configured.
    public struct Options: Sendable {
        /// `appendonly yes`: persist every write to the append-only file.
        public var appendOnly = false
        /// `appendfsync`: `always`, `everysec` or `no`; nil for the server default (`everysec`).
        public var appendFsync: String?
        /// `requirepass`: the password of the `default` user; nil for none.
        public var password: String?
        /// Extra ACL users.
        public var users: [User] = []
        /// A PEM certificate (also used as the CA) and key: the server then listens with TLS on `tlsPort` too.
        public var tlsCertificateFile: String?
        /// The PEM private key of `tlsCertificateFile`.
        public var tlsKeyFile: String?
        /// More `--name value` arguments, appended last.
        public var extraArguments: [String] = []
        /// The server binary: `$REDIS_SERVER`, else `/usr/bin/redis-server`.
        public var executable = ProcessInfo.processInfo.environment["REDIS_SERVER"] ?? "/usr/bin/redis-server"
        /// How long starting may take until the server answers.
        public var startTimeout: Duration = .seconds(10)

        /// Options with defaults: no persistence, no password, no TLS.
        public init(appendOnly: Bool = false, appendFsync: String? = nil, password: String? = nil, users: [User] = []) {
            self.appendOnly = appendOnly
            self.appendFsync = appendFsync
            self.password = password
            self.users = users
        }
    }

    /// The server did not start, or did not answer in time.
    public struct StartFailure: Error, CustomStringConvertible {
        /// What went wrong, with the end of the server's log when it exited.
        public var description: String
    }

    /// The loopback address the server listens on.
    public let host = "127.0.0.1"
    /// The port the server listens on, the same across restarts.
    public let port: Int
    /// The TLS port, when `options` has a certificate; the plain `port` stays open too.
    public let tlsPort: Int?
    /// The server's working directory (append-only file, log), deleted by `shutdown()`.
    public let directory: URL
    /// How the server is configured.
    public let options: Options
    private let child = Mutex(RedisServerChild.none)

    /// `redis://127.0.0.1:<port>`, without credentials.
    public var url: String { "redis://\(host):\(port)" }

    /// The server's log so far.
    public var log: String { (try? String(contentsOf: directory.appendingPathComponent("redis.log"), encoding: .utf8)) ?? "" }

    /// Whether the server process is running.
    public var isRunning: Bool { child.withLock { $0.poll() } }

    /// The server's process id, while it runs.
    public var pid: pid_t? {
        child.withLock { child in
            guard child.poll(), case .running(let pid) = child else { return nil }
            return pid
        }
    }

    private init(port: Int, tlsPort: Int?, directory: URL, options: Options) {
        self.port = port
        self.tlsPort = tlsPort
        self.directory = directory
        self.options = options
    }

    /// Starts a server on a free port in a new temporary directory and waits until it answers.
    public static func start(_ options: Options = .init()) async throws -> RedisServerProcess {
        var lastError: (any Error)?
        // A free port can be taken by someone else before the server binds it: try a few.
        for _ in 0..<5 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let tlsPort = options.tlsCertificateFile == nil ? nil : try freeLoopbackPort()
            let server = RedisServerProcess(port: try freeLoopbackPort(), tlsPort: tlsPort, directory: directory, options: options)
            do {
                try await server.restart()
                return server
            } catch {
                lastError = error
                await server.shutdown()
            }
        }
        throw lastError ?? StartFailure(description: "redis-server did not start")
    }

    /// Starts the server again on the same port and directory (after `stop`) and waits until it answers.
    public func restart() async throws {
        try child.withLock { child in
            guard !child.poll() else { throw StartFailure(description: "redis-server is already running") }
            child = .running(try Self.spawn(options.executable, arguments))
        }
        let deadline = ContinuousClock.now + options.startTimeout
        while await !Self.answersOffPool(port: port) {
            guard isRunning else {
                throw StartFailure(description: "redis-server exited at start:\n\(log.suffix(2000))")
            }
            guard ContinuousClock.now < deadline else {
                await stop(signal: SIGKILL)
                throw StartFailure(description: "redis-server did not answer on port \(port) within \(options.startTimeout)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// `answers(port:)` on a thread of its own: its connect and read block for up to a second, and the cooperative pool
    /// (two threads on a 2-core machine) must stay free for the tests starting beside it, or their servers stall.
    private static func answersOffPool(port: Int) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: answers(port: port)) }
        }
    }

    /// Stops the server by its process id (SIGTERM by default; SIGKILL to simulate a crash) and waits for it to exit.
    ///
    /// Escalates to SIGKILL if it has not exited within 10 seconds. The directory is kept for `restart()`.
    public func stop(signal: Int32 = SIGTERM) async {
        guard let pid else { return }
        kill(pid, signal)
        let deadline = ContinuousClock.now + .seconds(10)
        var escalated = signal == SIGKILL
        while isRunning {
            if !escalated, ContinuousClock.now >= deadline {
                kill(pid, SIGKILL)
                escalated = true
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Stops the server and deletes its directory.
    public func shutdown() async {
        await stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        child.withLock { child in
            guard child.poll(), case .running(let pid) = child else { return }
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private var arguments: [String] {
        var arguments = [
            "--port", String(port), "--bind", host, "--dir", directory.path, "--save", "",
            "--appendonly", options.appendOnly ? "yes" : "no", "--daemonize", "no",
            "--logfile", directory.appendingPathComponent("redis.log").path,
            "--enable-debug-command", "local",
        ]
        if let fsync = options.appendFsync { arguments += ["--appendfsync", fsync] }
        if let password = options.password { arguments += ["--requirepass", password] }
        if let tlsPort, let certificate = options.tlsCertificateFile, let key = options.tlsKeyFile {
            arguments += ["--tls-port", String(tlsPort), "--tls-cert-file", certificate, "--tls-key-file", key]
            arguments += ["--tls-ca-cert-file", certificate, "--tls-auth-clients", "no"]
        }
        for user in options.users {
            arguments += ["--user", user.name, "on", ">\(user.password)", "~*", "&*", "+@all"]
        }
        return arguments + options.extraArguments
    }
}
