import Hummingbird
import NIOCore

/// The request context of the simulator's HTTP server: the channel (to drop a reply) and the peer (rate limits per IP).
public struct ExchangeRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    public var remoteAddress: SocketAddress? { channel.remoteAddress }

    /// Bodies larger than this are refused (Binance's requests are small; batch orders are the largest).
    public var maxUploadSize: Int { 1 << 20 }
}
