import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore

/// Debian's chromium, headless, driven over the DevTools protocol: open a page, wait for a condition in it, read its DOM, take a screenshot.
///
/// `--dump-dom` cannot be used on a live page: it dumps before the page's scripts have fetched anything, and a virtual-time
/// budget never ends while a server-sent event stream is open.
struct HeadlessBrowser {
    let executable: String

    static func find() -> HeadlessBrowser? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
            .map(HeadlessBrowser.init)
    }

    /// Loads `url`, waits until `condition` (a JavaScript expression) holds, then returns the DOM and writes a PNG screenshot.
    func render(_ url: String, screenshot: URL, until condition: String) async throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--remote-debugging-port=0", "--remote-allow-origins=*",
                             "--user-data-dir=\(profile.path)", "--window-size=1400,1100", "about:blank"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            // Reaped off the test pool: chromium can take a while to exit, and a blocked pool thread stalls other tests.
            Thread.detachNewThread { process.waitUntilExit() }
        }
        let endpoint = try await Self.devToolsAddress(errors)
        // A tab on the page, and its own DevTools socket.
        var request = HTTPClientRequest(url: "http://\(endpoint)/json/new?\(url)")
        request.method = .PUT
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let target = try JSONSerialization.jsonObject(with: Data(buffer: try await response.body.collect(upTo: 1 << 20))) as? [String: Any]
        guard let socket = target?["webSocketDebuggerUrl"] as? String else { throw BrowserError("no page target: \(String(describing: target))") }
        let wait = """
            new Promise((resolve) => {
              const done = () => { try { return Boolean(\(condition)); } catch (e) { return false; } };
              const finish = () => resolve(document.documentElement.outerHTML);
              if (done()) return finish();
              const observer = new MutationObserver(() => { if (done()) { observer.disconnect(); finish(); } });
              observer.observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
            })
            """
        var logger = Logger(label: "chromium")
        logger.logLevel = .critical
        let results = Results()
        try await WebSocketClient.connect(url: socket, configuration: .init(maxFrameSize: 1 << 26), logger: logger) { inbound, outbound, _ in
            func call(_ id: Int, _ method: String, _ params: [String: Any]) async throws {
                let message = try JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": params])
                try await outbound.write(.text(String(decoding: message, as: UTF8.self)))
            }
            // An evaluation started on the tab's first (blank) document ends when the page replaces it: evaluate again.
            var attempt = 1
            try await call(attempt, "Runtime.evaluate", ["expression": wait, "awaitPromise": true, "returnByValue": true])
            for try await message in inbound.messages(maxSize: 1 << 26) {
                guard case .text(let text) = message,
                      let reply = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], let id = reply["id"] as? Int else { continue }
                let result = reply["result"] as? [String: Any]
                if id == attempt {
                    guard let dom = (result?["result"] as? [String: Any])?["value"] as? String, !dom.isEmpty else {
                        guard attempt < 50 else { throw BrowserError("the page never met the condition: \(text.prefix(500))") }
                        attempt += 1
                        try await call(attempt, "Runtime.evaluate", ["expression": wait, "awaitPromise": true, "returnByValue": true])
                        continue
                    }
                    results.dom = dom
                    try await call(0, "Page.captureScreenshot", ["format": "png"])
                } else if id == 0 {
                    results.png = (result?["data"] as? String).flatMap { Data(base64Encoded: $0) }
                    try await outbound.close(.normalClosure, reason: nil)
                    return
                }
            }
        }
        if let png = results.png { try png.write(to: screenshot) }
        return results.dom
    }

    /// Reads chromium's stderr until it prints `DevTools listening on ws://HOST:PORT/...`.
    static func devToolsAddress(_ pipe: Pipe) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let handle = pipe.fileHandleForReading
                var text = ""
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { return continuation.resume(throwing: BrowserError("chromium ended: \(text.suffix(500))")) }
                    text += String(decoding: chunk, as: UTF8.self)
                    if let range = text.range(of: "ws://"), let end = text[range.upperBound...].firstIndex(of: "/") {
                        continuation.resume(returning: String(text[range.upperBound..<end]))
                        // Keep draining so chromium never blocks on a full pipe.
                        while !handle.availableData.isEmpty {}
                        return
                    }
                }
            }
        }
    }
}

/// What the DevTools session returned.
final class Results: @unchecked Sendable {
    var dom = ""
    var png: Data?
}

struct BrowserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
