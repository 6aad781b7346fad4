import QuantumVenue

/// The exchange connection of one life of the process: once that life has crashed, no request leaves, no reply
/// arrives and its streams go quiet. A request already on its way when the process dies still reaches the exchange.
struct SoakTransport: VenueTransport {
    let base: any VenueTransport
    let process: SoakProcess

    func send(_ request: TransportRequest, timeout: Duration) async throws(VenueError) -> TransportResponse {
        guard !process.isDead else { throw VenueError(.transport, "the process has crashed") }
        let response = try await base.send(request, timeout: timeout)
        guard !process.isDead else { throw VenueError(.transport, "the process crashed before the reply arrived") }
        return response
    }

    func stream(url: String, session: @escaping @Sendable (VenueStreamSession) async throws -> Void) async throws {
        try process.check()
        let process = self.process
        try await base.stream(url: url) { io in
            let fenced = VenueStreamSession(
                read: { receive in
                    try await io.read { text in
                        guard !process.isDead else { return false }
                        return await receive(text)
                    }
                },
                close: io.close)
            try await session(fenced)
        }
    }
}
