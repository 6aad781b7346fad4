import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// systemd's notify protocol: `READY=1` once serving, `WATCHDOG=1` while healthy, `STOPPING=1` at shutdown.
///
/// Does nothing outside a `Type=notify` unit (no `NOTIFY_SOCKET`). The watchdog pings only while the caller's
/// health check passes, so a process whose services stopped beating is restarted by systemd
/// (`WatchdogSec=`), not only one that crashed.
public struct SystemdNotifier: Sendable {
    /// The socket path from the environment (`@` for the abstract namespace).
    public let socketPath: String?
    /// Half of `WATCHDOG_USEC`: how often to ping; nil when the unit has no watchdog.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        watchdogInterval = environment["WATCHDOG_USEC"].flatMap(Int64.init).map { .microseconds($0 / 2) }
    }

    public func ready() { _ = send("READY=1") }
    public func stopping() { _ = send("STOPPING=1") }

    /// Pings the watchdog every half period while `healthy()` holds, until cancelled.
    public func watchdog(while healthy: @escaping @Sendable () async -> Bool) async {
        guard socketPath != nil, let interval = watchdogInterval else { return }
        while !Task.isCancelled {
            if await healthy() { _ = send("WATCHDOG=1") }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// Sends one datagram; `false` when there is no socket or it failed.
    @discardableResult
    public func send(_ message: String) -> Bool {
        #if canImport(Glibc)
        guard let socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var path = Array(socketPath.utf8)
        let abstract = path.first == UInt8(ascii: "@")
        if abstract { path[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.enumerated() { raw[i] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count + (abstract ? 0 : 1))
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, bytes.count, 0, sockaddr, length) }
            }
        }
        return sent == bytes.count
        #else
        return false
        #endif
    }
}
