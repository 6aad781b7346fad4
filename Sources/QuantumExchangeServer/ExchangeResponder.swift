import HTTPTypes
import Hummingbird
import NIOCore
import QuantumCore
import QuantumVenue
import QuantumExchange
import QuantumSim

/// Answers every HTTP request of the simulator: Binance's REST paths through the desk, `/admin/…` from loopback only.
///
/// The thin I/O shell of `ExchangeHost`: it copies the request's exact bytes (the signature covers
/// them), applies the reply's injected latency or dropped response, and writes Binance's headers.
struct ExchangeResponder: HTTPResponder {
    let host: ExchangeHost

    func respond(to request: Request, context: ExchangeRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        var headers = HTTPHeaderFields()
        for field in request.headers { headers.append(name: field.name.rawName, value: field.value) }
        let binance = BinanceRequest(
            method: RequestMethod(rawValue: request.method.rawValue), path: request.uri.path, query: request.uri.query ?? "",
            body: Array(buffer: body), headers: headers, remoteAddress: context.remoteAddress?.ipAddress)
        if binance.path.hasPrefix("/admin/") { return await admin(binance, context: context) }
        let reply = await host.handle(binance)
        if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
        if reply.drop {
            // The order was executed; the client must see a timeout, not an answer.
            try? await context.channel.close()
            throw HTTPError(.internalServerError)
        }
        if reply.garble {
            // Executed, but the body is cut off mid-document, as a broken proxy would deliver it.
            let bytes = reply.body.bytes
            return Self.response(status: reply.status, headers: reply.headers, bytes: Array(bytes.prefix(bytes.count / 2)))
        }
        return Self.response(status: reply.status, headers: reply.headers, body: reply.body)
    }

    /// The admin endpoint: faults and manual changes, refused to anything but loopback.
    private func admin(_ request: BinanceRequest, context: ExchangeRequestContext) async -> Response {
        let json: [HTTPHeaderFields.Field] = [.init(name: BinanceHeader.contentType, value: "application/json")]
        guard Self.isLoopback(context.remoteAddress) else {
            return Self.response(status: 403, headers: HTTPHeaderFields(json),
                                 body: BinanceJSON.error(ExchangeError(code: -1002, message: "The admin endpoint only answers loopback clients.")))
        }
        do {
            let command = try AdminCommand(method: request.method, path: request.path, parameters: try request.parameters())
            return Self.response(status: 200, headers: HTTPHeaderFields(json), body: try await host.perform(command))
        } catch {
            let status = error.code == -5000 ? 404 : 400
            return Self.response(status: status, headers: HTTPHeaderFields(json), body: BinanceJSON.error(error))
        }
    }

    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        return ip == "::1" || ip.hasPrefix("127.") || ip.hasPrefix("::ffff:127.")
    }

    static func response(status: Int, headers: HTTPHeaderFields, body: JSONValue) -> Response {
        response(status: status, headers: headers, bytes: body.bytes)
    }

    static func response(status: Int, headers: HTTPHeaderFields, bytes: [UInt8]) -> Response {
        var fields = HTTPFields()
        for field in headers.fields {
            if let name = HTTPField.Name(field.name) { fields.append(HTTPField(name: name, value: field.value)) }
        }
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
