import Logging
import QuantumCore
import QuantumVenue
import Synchronization

extension BinanceFuturesVenue {
    /// Runs market streams until cancelled (see `Venue.runMarketStreams`).
    ///
    /// One combined connection per category (production routes book streams to `/public` and the
    /// rest to `/market`; legacy hosts serve both on one). Each (re)connect is announced with
    /// `reconnected`, so consumers re-read bars they may have missed, and reconnects back off like
    /// the user stream's.
    public func runMarketStreams(_ subscriptions: [MarketSubscription], _ handler: @escaping @Sendable (MarketEvent) async -> Void)
        async throws(VenueError)
    {
        let unique = Array(Set(subscriptions)).sorted { $0.streamName < $1.streamName }
        guard !unique.isEmpty else { return }
        let groups: [[MarketSubscription]] = endpoints.layout == .routed
            ? [unique.filter(\.isPublicCategory), unique.filter { !$0.isPublicCategory }].filter { !$0.isEmpty }
            : [unique]
        await withTaskGroup(of: Void.self) { group in
            for streams in groups {
                group.addTask { await self.runMarketConnection(streams, handler: handler) }
            }
        }
    }

    private func runMarketConnection(_ streams: [MarketSubscription], handler: @escaping @Sendable (MarketEvent) async -> Void) async {
        let url = endpoints.marketStreamURL(streams.map(\.streamName), publicCategory: streams.first?.isPublicCategory ?? false)
        var failures = 0
        while !Task.isCancelled {
            if failures > 0 {
                guard await pause(reconnectDelay(afterFailures: failures)) else { return }
            }
            let received = ReceivedFlag()
            do {
                try await transport.stream(url: url) { session in
                    let now = self.venueNow()
                    self.updateHealth {
                        $0.market.isConnected = true
                        $0.market.connects += 1
                        $0.market.lastConnected = now
                    }
                    await handler(.reconnected(now))
                    try await session.read { text in
                        received.set()
                        await self.relayMarketFrame(text, handler: handler)
                        return true
                    }
                }
            } catch {
                updateHealth { $0.market.lastError = "\(error)" }
                logger.warning("market stream connection failed", metadata: ["error": "\(error)"])
            }
            updateHealth {
                if $0.market.isConnected { $0.market.disconnects += 1 }
                $0.market.isConnected = false
            }
            failures = received.value ? 0 : failures + 1
        }
    }

    private func relayMarketFrame(_ text: String, handler: @Sendable (MarketEvent) async -> Void) async {
        let now = venueNow()
        updateHealth { $0.market.lastMessage = now }
        do {
            let json = try JSONValue(parsing: text)
            if json["result"] != nil || json["id"] != nil { return }
            let payload = json["data"] ?? json
            for item in (try? payload.elements()) ?? [payload] {
                if let event = try MarketEvent(binance: item) { await handler(event) }
            }
        } catch {
            logger.error("undecodable market frame skipped", metadata: ["error": "\(error)", "frame": "\(text.prefix(200))"])
        }
    }
}

/// Whether a connection delivered anything (a connection that dies silent counts as a failure for backoff).
final class ReceivedFlag: Sendable {
    private let flag = Mutex(false)
    func set() { flag.withLock { $0 = true } }
    var value: Bool { flag.withLock { $0 } }
}
