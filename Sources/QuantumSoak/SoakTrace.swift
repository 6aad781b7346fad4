import QuantumBus
import QuantumCore
import QuantumExchange
import QuantumServices
import QuantumSim

/// A run's trace: every result, reconcile event and fault, and every order the exchange made, one line each in
/// time order, with the digest of the whole — what makes two runs of one seed comparable bit for bit.
struct SoakTrace {
    var lines: [String]
    var hash: String
    var trades: Int

    static func read(log: any EventLog, host: ExchangeHost, faults: SoakFaultDriver.Record) async -> SoakTrace {
        var stamped: [(time: Int64, order: Int, line: String)] = []
        func add(_ time: Int64, _ line: String) { stamped.append((time, stamped.count, line)) }
        for stream in [StreamName.plan, StreamName.result, StreamName.reconcile] {
            for entry in (try? await log.range(stream, from: .zero, to: .max, count: 10_000_000)) ?? [] {
                let fields = entry.fields.filter { $0.key != "v" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                add(Int64(entry.id.milliseconds), "\(stream.split(separator: ":").last ?? "") " + fields.joined(separator: " "))
            }
        }
        for fault in faults.log { add(fault.time.rawValue, fault.line) }
        let key = SimulatorSetup.defaultCredential.apiKey
        let orders = await host.inspect { desk in (desk.engine.account(key).map { Array($0.orders.values) } ?? []).sorted { $0.orderID < $1.orderID } }
        var trades = 0
        for order in orders {
            if order.executedQuantity.isPositive, order.clientOrderID.hasPrefix(ClientOrderID.prefix) { trades += 1 }
            add(order.time.rawValue, "order \(order.orderID) \(order.clientOrderID) \(order.symbol) \(order.side.rawValue) \(order.type.rawValue) "
                + "\(order.status.rawValue) qty=\(order.originalQuantity) filled=\(order.executedQuantity) avg=\(order.averagePrice)")
        }
        stamped.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        let lines = stamped.map { "\($0.time) \($0.line)" }
        return SoakTrace(lines: lines, hash: SHA256Digest.hex(lines.joined(separator: "\n")), trades: trades)
    }
}
